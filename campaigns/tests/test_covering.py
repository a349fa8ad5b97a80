"""campaigns_covering: the running campaigns a record of an enterprise on a date falls in."""

import datetime as dt

import pytest

from campaigns.models import Campaign, FormRow, FormTemplate
from campaigns.rows import campaigns_covering
from enterprises.choices import Link
from enterprises.tests.factories import EnterpriseFactory, TagFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 5, 10)


def _campaign(name, *rows, start=dt.date(2024, 4, 1), end=dt.date(2024, 12, 31), active=True):
    template = FormTemplate.objects.create(code=name, year=2024, title_template=name, footer_template="")
    for order, (link, tags, excluded) in enumerate(rows, start=1):
        FormRow.objects.create(template=template, order=order, key=f"r{order}", link=link, tag_codes=tags,
                               exclude_tag_codes=excluded)
    campaign = Campaign.objects.create(name=name, year=2024, start_date=start, end_date=end, is_active=active)
    campaign.forms.set([template])
    return campaign


def test_an_operator_on_a_day_of_the_window_is_covered_by_the_operation_campaign_only():
    operation = _campaign("经营专项", (Link.OPERATION, [], []))
    _campaign("生产专项", (Link.MANUFACTURE, [], []))
    operator = EnterpriseFactory(is_operator=True, is_manufacturer=False)

    assert campaigns_covering(operator, DAY) == [operation]


def test_the_window_days_are_inclusive_and_the_day_after_is_not():
    campaign = _campaign("经营专项", (Link.OPERATION, [], []))
    operator = EnterpriseFactory(is_operator=True)

    assert campaigns_covering(operator, dt.date(2024, 4, 1)) == [campaign]
    assert campaigns_covering(operator, dt.date(2024, 12, 31)) == [campaign]
    assert campaigns_covering(operator, dt.date(2024, 3, 31)) == []
    assert campaigns_covering(operator, dt.date(2025, 1, 1)) == []


def test_a_campaign_no_longer_running_or_without_forms_covers_nothing():
    _campaign("已结束专项", (Link.OPERATION, [], []), active=False)
    Campaign.objects.create(name="无报表专项", year=2024, start_date=dt.date(2024, 1, 1), end_date=dt.date(2024, 12, 31))
    operator = EnterpriseFactory(is_operator=True)

    assert campaigns_covering(operator, DAY) == []


def test_tags_of_a_row_include_child_tags_and_excluded_tags_keep_an_enterprise_out():
    lenses = TagFactory(code="lenses", name="角膜接触镜")
    coloured = TagFactory(code="coloured_lenses", name="彩色平光隐形眼镜", parent=lenses)
    online = TagFactory(code="online", name="网络销售")
    campaign = _campaign("隐形眼镜专项", (Link.OPERATION, ["lenses"], ["online"]))
    shop = EnterpriseFactory(is_operator=True, tags=[coloured])
    online_shop = EnterpriseFactory(is_operator=True, tags=[coloured, online])
    other = EnterpriseFactory(is_operator=True)

    assert campaigns_covering(shop, DAY) == [campaign]
    assert campaigns_covering(online_shop, DAY) == []
    assert campaigns_covering(other, DAY) == []


def test_any_row_of_any_form_of_the_campaign_is_enough_and_order_is_by_start():
    later = _campaign("下半年专项", (Link.MANUFACTURE, [], []), (Link.OPERATION, [], []), start=dt.date(2024, 5, 1))
    earlier = _campaign("全年专项", (Link.OPERATION, [], []), start=dt.date(2024, 1, 1))
    operator = EnterpriseFactory(is_operator=True)

    assert campaigns_covering(operator, DAY) == [earlier, later]
