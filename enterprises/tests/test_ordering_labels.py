"""The sort drop-downs of the registry read in Chinese (no English from django-filter's defaults)."""

import re

import pytest

from enterprises.filters import EnterpriseFilterSet, LicenceFilterSet


@pytest.mark.parametrize("filterset_class", [EnterpriseFilterSet, LicenceFilterSet])
def test_sort_choices_are_all_chinese(filterset_class):
    choices = [str(label) for _value, label in filterset_class.base_filters["ordering"].field.choices]
    assert [label for label in choices if re.search(r"[A-Za-z]", label)] == []


def test_enterprise_sort_choices_name_every_field():
    choices = [str(label) for _value, label in EnterpriseFilterSet.base_filters["ordering"].field.choices]
    assert choices == [
        "默认排序", "企业名称", "企业名称（降序）", "信用代码", "信用代码（降序）", "监管单位", "监管单位（降序）",
        "街道/镇", "街道/镇（降序）", "经营状态", "经营状态（降序）", "更新时间", "更新时间（降序）",
    ]
