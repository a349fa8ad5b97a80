"""Cockpit indicators: ind_duties."""

from __future__ import annotations

from reporting.cockpit.base import Indicator

INDICATORS: list[Indicator] = []
