"""The grading and planning demo seeders on top of the demo district (deterministic, linked to inspections)."""

import io

import pytest
from django.db.models import F

from enterprises import demo as enterprises_demo
from enterprises.grading import demo as grading_demo
from enterprises.grading.choices import GradeStatus
from enterprises.models import CreditRecord, Enterprise, EnterpriseGrade, GradingScheme
from enterprises.reference import load_reference
from inspections.choices import InspectionKind, InspectionStatus, PlanStatus
from inspections.models import (
    AnnualTarget,
    ConflictOfInterest,
    DrawPick,
    InspectionPlan,
    PlanItem,
    RandomDraw,
)
from inspections.planning import demo as planning_demo
from inspections.planning.tests.factories import InspectionFactory
from regsys.bootstrap import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_grades_plans_and_progress_follow_the_inspections():
    ctx = DemoContext(scale=0, seed=7, out=io.StringIO())
    load_reference()
    enterprises_demo.seed(ctx)
    enterprises = list(Enterprise.objects.order_by("id")[:30])
    done = [InspectionFactory(enterprise=e, unit=e.owning_unit, start_date=ctx.today.replace(month=1, day=10))
            for e in enterprises[:20]]
    flight = InspectionFactory(enterprise=enterprises[25], unit=enterprises[25].owning_unit,
                               kind=InspectionKind.FLIGHT, start_date=ctx.today.replace(month=1, day=12))
    draft = InspectionFactory(enterprise=enterprises[26], start_date=ctx.today.replace(month=1, day=12),
                              status=InspectionStatus.DRAFT)

    grading_summary = grading_demo.seed(ctx)
    planning_summary = planning_demo.seed(ctx)

    assert "分级" in grading_summary and "检查计划" in planning_summary
    for year in (ctx.year - 1, ctx.year):
        assert not EnterpriseGrade.objects.filter(year=year).exclude(status=GradeStatus.APPROVED).exists()
        assert EnterpriseGrade.objects.filter(year=year).count() > 1000
    assert EnterpriseGrade.objects.filter(year=ctx.year).exclude(change_reason="").count() == 3
    # last year's bad-credit records put those operators on this year's key list (not last year's)
    credited = list(CreditRecord.objects.values_list("enterprise_id", flat=True))
    assert len(credited) == 3  # 风险会商点名 records come from the risk register (monitoring demo), not here
    current = EnterpriseGrade.objects.filter(year=ctx.year, sector="operation", enterprise_id__in=credited)
    assert current.count() == 3 and all(g.is_key for g in current)
    assert all("c-bad-credit" in {r["code"] for r in g.reasons} for g in current)
    last_year = EnterpriseGrade.objects.filter(year=ctx.year - 1, enterprise_id__in=credited)
    assert not any("c-bad-credit" in {r["code"] for r in g.reasons} for g in last_year)
    plans = InspectionPlan.objects.filter(year=ctx.year)
    assert not plans.filter(kind="routine").exclude(status=PlanStatus.APPROVED).exists()
    assert plans.filter(kind="routine").count() == 8  # 7 所 + 药械科
    for inspection in done + [flight]:
        inspection.refresh_from_db()
        assert inspection.plan_item is not None
        assert inspection.plan_item.enterprise_id == inspection.enterprise_id
    flight.refresh_from_db()
    assert flight.plan_item.kind == InspectionKind.FLIGHT
    draft.refresh_from_db()
    assert draft.plan_item is None
    assert RandomDraw.objects.filter(year=ctx.year, published_at__isnull=True).count() == 0
    # the timeline reads proposal → (change) → approval → draw before publication
    assert not EnterpriseGrade.objects.filter(approved_at__lt=F("proposed_at")).exists()
    assert not RandomDraw.objects.filter(published_at__lt=F("created_at")).exists()
    changed = EnterpriseGrade.objects.filter(year=ctx.year).exclude(change_reason="").first()
    steps = [(h.history_change_reason, h.status) for h in changed.history.order_by("history_date", "history_id")]
    assert steps == [(None, GradeStatus.PROPOSED), ("上年度投诉举报较多，提高一级监管", GradeStatus.CHANGED),
                     (None, GradeStatus.APPROVED)]
    latest = EnterpriseGrade.objects.filter(year=ctx.year).first().history.first()
    assert (latest.status, latest.history_user.role) == (GradeStatus.APPROVED, "leader")
    assert RandomDraw.objects.filter(year=ctx.year).count() >= 8
    assert all(p.officers.count() == 2 for p in PlanItem.objects.filter(source="draw")[:50])


def test_demo_is_deterministic():
    ctx = DemoContext(scale=0, seed=11, out=io.StringIO())
    load_reference()
    enterprises_demo.seed(ctx)

    def run():
        grading_demo.seed(ctx)
        planning_demo.seed(ctx)
        grades = sorted(EnterpriseGrade.objects.values_list("enterprise_id", "year", "sector", "level__code",
                                                            "change_reason"))
        items = sorted(PlanItem.objects.values_list("enterprise_id", "kind", "target_month", "target_quarter",
                                                    "source"))
        picks = sorted(DrawPick.objects.values_list("draw__seed", "enterprise_id", "officers"))
        return grades, items, picks

    first = run()
    for model in (PlanItem, DrawPick, RandomDraw, InspectionPlan, ConflictOfInterest, AnnualTarget, EnterpriseGrade,
                  GradingScheme):
        model.objects.all().delete()
    second = run()

    assert first == second
