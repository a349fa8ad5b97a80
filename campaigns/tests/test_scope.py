"""The campaign-scope rule: which running campaigns cover an enterprise on a day (campaigns.rows)."""

import datetime as dt

import pytest

from campaigns.models import Campaign, FormTemplate
from campaigns.reference import load_reference
from campaigns.rows import campaigns_covering, in_campaign_scope
from enterprises.models import Enterprise, Tag
from enterprises.reference import load_reference as load_tags
from enterprises.tests.factories import EnterpriseFactory

D = dt.date
START, END = D(2023, 4, 1), D(2023, 12, 31)


@pytest.fixture
def forms(db):
    load_tags()
    load_reference()
    return {t.code: t for t in FormTemplate.objects.all()}


def campaign(forms, *, name="口罩专项", start=START, end=END, active=True, codes=("统计表一",)):
    c = Campaign.objects.create(name=name, year=start.year, start_date=start, end_date=end, is_active=active)
    c.forms.set([forms[code] for code in codes])
    return c


def mask_maker(**kwargs):
    """In 统计表一's row 医用口罩生产企业 (link 生产 + tag mask)."""
    return EnterpriseFactory(is_manufacturer=True, is_operator=False,
                             tags=list(Tag.objects.filter(code="mask")), **kwargs)


def test_a_running_campaign_covers_an_enterprise_in_its_rows_on_a_day_in_its_window(forms):
    running = campaign(forms)
    enterprise = mask_maker()

    assert campaigns_covering(enterprise, D(2023, 4, 1)) == [running]
    assert campaigns_covering(enterprise, D(2023, 12, 31)) == [running]
    assert campaigns_covering(enterprise, D(2023, 3, 31)) == []
    assert campaigns_covering(enterprise, D(2024, 1, 1)) == []


def test_an_enterprise_in_no_row_is_not_covered(forms):
    campaign(forms)
    # an operator of masks is not in 统计表一's 医用口罩生产企业 row (that row is 生产 only)
    mask_seller = EnterpriseFactory(is_operator=True, tags=list(Tag.objects.filter(code="mask")))
    plain_maker = EnterpriseFactory(is_manufacturer=True, is_operator=False)

    assert campaigns_covering(mask_seller, D(2023, 5, 1)) == []
    assert campaigns_covering(plain_maker, D(2023, 5, 1)) == []


def test_ended_campaigns_and_campaigns_without_forms_cover_nothing(forms):
    campaign(forms, name="已结束", active=False)
    campaign(forms, name="无报表", codes=())
    enterprise = mask_maker()

    assert campaigns_covering(enterprise, D(2023, 5, 1)) == []


def test_every_covering_campaign_is_listed_in_start_order(forms):
    late = campaign(forms, name="下半年", start=D(2023, 7, 1))
    early = campaign(forms, name="全年", start=D(2023, 1, 1))
    other_form = campaign(forms, name="统计表二专项", codes=("统计表二",))
    enterprise = mask_maker()

    assert campaigns_covering(enterprise, D(2023, 8, 1)) == [early, late]
    assert other_form not in campaigns_covering(enterprise, D(2023, 8, 1))


def test_the_queryset_helper_applies_the_same_rule_to_records(forms):
    running = campaign(forms)
    inside, outside = mask_maker(), EnterpriseFactory(is_operator=True)

    in_scope = in_campaign_scope(Enterprise.objects.all(), campaign=running, date_field="established_on",
                                 enterprise_path="")
    Enterprise.objects.filter(pk__in=[inside.pk, outside.pk]).update(established_on=D(2023, 5, 1))
    assert list(in_scope) == [inside]
    Enterprise.objects.filter(pk=inside.pk).update(established_on=D(2023, 3, 1))
    assert list(in_scope.all()) == []
