"""The sort drop-downs of the inspection lists read in Chinese."""

import re

import pytest

from inspections.filters import (
    CaseFilterSet,
    InspectionFilterSet,
    InterviewFilterSet,
    ReferralFilterSet,
)


@pytest.mark.parametrize(
    "filterset_class",
    [InspectionFilterSet, CaseFilterSet, InterviewFilterSet, ReferralFilterSet],
)
def test_sort_choices_are_all_chinese(filterset_class):
    labels = [str(label) for _value, label in filterset_class.base_filters["o"].field.choices]
    assert [label for label in labels if re.search(r"[A-Za-z]", label)] == []


def test_inspection_sort_choices_mark_descending_in_chinese():
    labels = [str(label) for _value, label in InspectionFilterSet.base_filters["o"].field.choices]
    assert labels[:3] == ["默认", "检查日期", "检查日期（降序）"]
