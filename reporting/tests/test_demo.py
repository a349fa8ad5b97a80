"""The demo: both campaigns exist and every row of both forms has non-zero numbers in the district."""

import io

import pytest
from django.core.management import call_command

from campaigns.models import Campaign
from reporting.choices import ReturnStatus
from reporting.metrics import Period, compute
from reporting.models import Return
from reporting.selectors import campaign_units


@pytest.mark.django_db(transaction=False)
def test_seed_demo_fills_every_row_of_both_forms(settings):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())

    campaigns = list(Campaign.objects.order_by("year"))
    assert [c.doc_number for c in campaigns][0] == "永市场监管药械〔2023〕3号"
    assert len(campaigns) == 2
    assert [c.is_active for c in campaigns] == [False, True]  # the 2023 campaign ended long ago
    for campaign in campaigns:
        assert [d.due_on.strftime("%m-%d") for d in campaign.due_dates.all()] == ["06-25", "09-25", "12-25"]
        cutoff = min(campaign.end_date, campaign.due_dates.last().due_on)
        period = Period(campaign=campaign, cutoff=cutoff, unit_ids=tuple(u.pk for u in campaign_units(campaign)))
        for template in campaign.forms.all():
            grid = compute(template=template, period=period)[None]
            empty = [row for row, values in grid.items()
                     if values["enterprise_total"] == 0 or values["enterprises_inspected"] == 0]
            assert empty == [], f"{campaign} {template}"
    statuses = set(Return.objects.values_list("status", flat=True))
    assert {ReturnStatus.APPROVED, ReturnStatus.RETURNED} <= statuses
    assert Return.objects.filter(unit__isnull=True).count() == 2
    filed = Return.objects.filter(unit__isnull=False)
    years = {e.at.year for r in filed for e in r.events.all()} | {h.history_date.year for r in filed
                                                                  for h in r.history.all()}
    assert years == {2023}  # the workflow records and history agree with the 2023 filing dates
