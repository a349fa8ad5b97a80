"""Cockpit indicators: ind_inspections."""

from __future__ import annotations

from reporting.cockpit.base import Indicator

INDICATORS: list[Indicator] = []
