"""The demo moves with its date: seeded for a given ``today``, this year's campaign has filed returns for
every due date already past (the calendar shows no 逾期未报), the next one is open, every row of both
forms has numbers, and nothing is dated after that day."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.plan2024 import action_name, annual_name
from enterprises.grading.choices import GradeStatus
from enterprises.models import EnterpriseGrade, User
from inspections.choices import PlanStatus
from inspections.models import Inspection, InspectionPlan
from reporting.choices import ReturnStatus
from reporting.metrics import Period, compute
from reporting.models import Return, ReturnEvent
from reporting.selectors import calendar, campaign_units
from reporting.services import compute_return_data, return_contact

JANUARY = dt.date(2026, 1, 20)
SEPTEMBER = dt.date(2026, 9, 28)  # 6-25 reviewed long ago, 9-25 filed three days ago


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("today", [JANUARY, SEPTEMBER], ids=["january", "september"])
def test_the_demo_seeded_for_a_date_has_this_years_returns_and_numbers(today):
    call_command("seed_demo", today=today, stdout=io.StringIO(), stderr=io.StringIO())

    # a district file written without a filer (build_return) names the bureau's configured contact
    filled_by, contact = return_contact(unit=None)
    assert filled_by and contact, (filled_by, contact)

    # the plan's quarterly returns (附件1, 附件2) of 2024 and of this year, due the 15th; this year's last one open
    plan = list(Campaign.objects.filter(name__in=[n(y) for n in (annual_name, action_name) for y in (2024, 2026)])
                .order_by("year", "kind"))
    assert [(c.year, c.kind) for c in plan] == [(2024, "annual"), (2024, "campaign"), (2026, "annual"), (2026, "campaign")]
    for campaign in plan:
        assert [d.due_on.strftime("%m-%d") for d in campaign.due_dates.all()] == ["03-15", "06-15", "09-15", "11-15"]
        assert campaign.due_dates.last().is_open_on(today) == (campaign.year == 2026)
    filed_2024 = Return.objects.filter(campaign=plan[1], unit__isnull=False, status=ReturnStatus.APPROVED)
    stations = plan[1].units.filter(kind="station").count()
    assert stations >= 5 and filed_2024.count() == 4 * 2 * stations  # every 所 (not the 药械科), both tables, each due
    assert Return.objects.filter(campaign=plan[1], unit__isnull=True).count() == 2

    campaigns = list(Campaign.objects.exclude(pk__in=[c.pk for c in plan]).order_by("year"))
    assert [(c.doc_number, c.year) for c in campaigns] == [("永市场监管药械〔2023〕3号", 2023),
                                                           ("鹿市监药械〔2026〕5号", 2026)]
    assert [c.is_active for c in campaigns] == [False, True]
    history, current = campaigns
    for campaign in campaigns:
        assert [d.due_on.strftime("%m-%d") for d in campaign.due_dates.all()] == ["06-25", "09-25", "12-25"]
        cutoff = min(campaign.due_dates.last().due_on, today)
        period = Period(campaign=campaign, cutoff=cutoff, unit_ids=tuple(u.pk for u in campaign_units(campaign)))
        for template in campaign.forms.all():
            grid = compute(template=template, period=period)[None]
            empty = [row for row, values in grid.items()
                     if values["enterprise_total"] == 0 or values["enterprises_inspected"] == 0]
            assert empty == [], f"{campaign} {template}"

    # this year's calendar: every unit filed for each past due date; the next one is open
    kezhang = User.objects.get(username="kezhang")
    blocks = calendar(current, kezhang, today=today)
    units = [u for u in campaign_units(current) if u.kind != "section"]
    past = [d for d in current.due_dates.all() if d.due_on < today]
    assert len(past) == {JANUARY: 0, SEPTEMBER: 2}[today]
    assert len(blocks) == 2 * 3
    assert [c["state"] for b in blocks for c in b["cells"] if c["state"] == "overdue"] == []
    for block in blocks:
        states = {c["state"] for c in block["cells"]}
        if block["due"] in past:
            assert len(block["cells"]) == len(units) == 8
            assert all(c["ret"] is not None and c["ret"].submitted_at is not None for c in block["cells"])
            assert states <= {"on_time", "late", "returned"}
        else:
            assert block["due"].is_open_on(today)
            assert states <= {"missing", "draft"}
    states = [c["state"] for b in blocks for c in b["cells"]]
    filed = Return.objects.filter(campaign=current, unit__isnull=False)
    if today == SEPTEMBER:
        assert states.count("late") == 2  # one 所 filed the first period late (both forms)
        assert filed.filter(status=ReturnStatus.APPROVED).count() > 20
        assert filed.filter(status=ReturnStatus.SUBMITTED).exists()  # the latest period still waits for review
        assert filed.filter(status=ReturnStatus.RETURNED, version=1).count() == 1
        assert states.count("draft") == 0  # 12-25 is still three months away: nobody has started it
    else:
        assert filed.count() == 0
        assert states == ["missing"] * len(states)
    assert Return.objects.filter(campaign=current, unit__isnull=True).count() == (2 if past else 0)
    # the 2023 history is unchanged: approved, sent back, late and missing
    old = Return.objects.filter(campaign=history)
    assert {ReturnStatus.APPROVED, ReturnStatus.RETURNED} <= set(old.values_list("status", flat=True))
    assert {e.at.year for e in ReturnEvent.objects.filter(ret__campaign=history)} == {2023}

    # a return filed with numbers computed for all units at once has the numbers of its own computation
    for ret in filed.filter(is_current=True).order_by("pk")[:2]:
        own = compute_return_data(campaign=current, template=ret.template, unit=ret.unit, cutoff=ret.cutoff)
        assert (ret.data["total"], ret.warnings) == (own["total"], own["warnings"])

    # nothing happened after "today"
    end = _end_of(today)
    assert not Inspection.objects.filter(start_date__gt=today).exclude(status="draft").exists()
    assert not Return.objects.filter(created_at__gt=end).exists()
    assert not Return.objects.filter(submitted_at__gt=end).exists()
    assert not Return.objects.filter(reviewed_at__gt=end).exists()
    assert not ReturnEvent.objects.filter(at__gt=end).exists()
    assert not Return.history.filter(history_date__gt=end).exists()
    assert not Return.history.filter(computed_at__gt=end).exists()  # the page's 修改历史 shows these times
    assert not Return.history.filter(created_at__gt=end).exists()
    assert not EnterpriseGrade.objects.filter(proposed_at__gt=end).exists()
    assert not EnterpriseGrade.objects.filter(approved_at__gt=end).exists()
    assert not InspectionPlan.objects.filter(generated_at__gt=end).exists()
    assert not InspectionPlan.objects.filter(approved_at__gt=end).exists()
    this_year = EnterpriseGrade.objects.filter(year=today.year)
    plans = InspectionPlan.objects.filter(year=today.year).exclude(items__isnull=True)
    if today == JANUARY:  # grading is due 31 March and the plans 31 January: both still under way
        assert set(this_year.values_list("status", flat=True)) == {GradeStatus.PROPOSED, GradeStatus.CHANGED}
        assert set(plans.values_list("status", flat=True)) == {PlanStatus.SUBMITTED}
        assert Inspection.objects.filter(start_date__year=2026, status="finalised").count() > 50
    else:
        assert set(this_year.values_list("status", flat=True)) == {GradeStatus.APPROVED}
        assert set(plans.values_list("status", flat=True)) == {PlanStatus.APPROVED}
