"""Cockpit indicators: ind_returns."""

from __future__ import annotations

from reporting.cockpit.base import Indicator

INDICATORS: list[Indicator] = []
