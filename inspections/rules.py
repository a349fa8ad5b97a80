"""Checklist outcome rule (GSP 现场检查指导原则, 2024): rates of non-compliant key (※) and general items.

Rate = non-compliant ÷ (items of that kind − justified 不适用) × 100%. Items corrected on site count as
compliant. Result: 通过检查 when nothing fails; 限期整改 when key ≤ 10% and general ≤ 20%; otherwise
未通过检查. Routine inspections use the tally as guidance for the conclusion; the officers decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from inspections.choices import AnswerResult

KEY_MAX_RATE = Decimal("10")
GENERAL_MAX_RATE = Decimal("20")


@dataclass(frozen=True)
class ChecklistTally:
    key_items: int
    key_failed: int
    key_na: int
    general_items: int
    general_failed: int
    general_na: int

    @staticmethod
    def _rate(failed: int, total: int, na: int) -> Decimal:
        base = total - na
        if base <= 0:
            return Decimal("0")
        return (Decimal(failed) * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def key_rate(self) -> Decimal:
        return self._rate(self.key_failed, self.key_items, self.key_na)

    @property
    def general_rate(self) -> Decimal:
        return self._rate(self.general_failed, self.general_items, self.general_na)

    @property
    def result(self) -> str:
        if self.key_failed == 0 and self.general_failed == 0:
            return "通过检查"
        if self.key_rate <= KEY_MAX_RATE and self.general_rate <= GENERAL_MAX_RATE:
            return "限期整改"
        return "未通过检查"


def checklist_tally(*, items: Iterable, answers: Iterable) -> ChecklistTally:
    """Tally a template's ``items`` (objects with pk, is_key) against ``answers`` (item_id, result)."""
    results = {a.item_id: a.result for a in answers}
    counts = {"key": [0, 0, 0], "general": [0, 0, 0]}
    for item in items:
        bucket = counts["key" if item.is_key else "general"]
        bucket[0] += 1
        result = results.get(item.pk)
        if result == AnswerResult.NO:
            bucket[1] += 1
        elif result == AnswerResult.NA:
            bucket[2] += 1
    return ChecklistTally(*counts["key"], *counts["general"])
