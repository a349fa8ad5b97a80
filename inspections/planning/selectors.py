"""Reads of inspection planning, always scoped to the user's unit."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from enterprises.duties.expiry import annotate_expired_licence
from enterprises.models import EnterpriseGrade, GradingScheme, Unit
from inspections.choices import InspectionStatus
from inspections.models import ConflictOfInterest, DrawPick, Inspection, InspectionPlan, PlanItem, RandomDraw
from inspections.planning.due import with_last_inspected
from regsys.scoping import scoped

# An item is done when a finalised inspection is linked to it: ``PlanItem.done_on`` holds the first one's date
# (kept by ``inspections.services.plan_items_refresh_done``).
DONE = Q(done_on__isnull=False)


def _item_count(column: str) -> Coalesce:
    """Per plan (OuterRef pk), how many of its items have ``column`` set ("plan": all of them, "done_on": the done
    ones). Index-only on ``plan_item_done_idx``, and computed for the rows of a page only (the paginator's COUNT
    leaves it out)."""
    items = PlanItem.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
    return Coalesce(Subquery(items.annotate(n=Count(column)).values("n"), output_field=IntegerField()), 0)


def plans_for(user) -> QuerySet:
    """Plans ``user`` may see, with ``item_count`` and ``done_count`` (items with a linked finalised inspection)."""
    return scoped(
        InspectionPlan.objects.select_related("unit", "approved_by").annotate(
            item_count=_item_count("plan"), done_count=_item_count("done_on"),
        ).order_by("-year", "unit__sort_order", "kind"),
        user,
    )


def items_for(user) -> QuerySet:
    """Plan items ``user`` may see, with ``done_on`` and the enterprise's 证照已过期 flag (``expired_licence``)."""
    items = annotate_expired_licence(PlanItem.objects.all(), enterprise_field="enterprise_id")
    return scoped(
        items.select_related("plan", "plan__unit", "enterprise", "draw")
        .prefetch_related("officers")
        .order_by("target_month", "target_quarter", "enterprise__name", "id"),
        user,
    )


def draws_for(user) -> QuerySet:
    return scoped(RandomDraw.objects.select_related("unit", "created_by").annotate(pick_count=Count("picks"))
                  .order_by("-year", "-created_at"), user)


def draw_picks(draw_ids: list[int]) -> dict[int, list[dict]]:
    """draw id → its picks in draw order, each ``{"position", "enterprise", "officers"}`` (sorted officer ids).

    Two queries of bare ids, no model instances: a district's draws hold thousands of picks.
    """
    officers = defaultdict(list)
    for pick_id, user_id in DrawPick.officers.through.objects.filter(drawpick__draw_id__in=draw_ids).values_list(
        "drawpick_id", "user_id"
    ):
        officers[pick_id].append(user_id)
    picks: dict[int, list[dict]] = {draw_id: [] for draw_id in draw_ids}
    for pick_id, draw_id, position, enterprise_id in DrawPick.objects.filter(draw_id__in=draw_ids).order_by(
        "draw_id", "position"
    ).values_list("id", "draw_id", "position", "enterprise_id"):
        picks[draw_id].append({"position": position, "enterprise": enterprise_id,
                               "officers": sorted(officers.get(pick_id, ()))})
    return picks


def conflicts_for(user) -> QuerySet:
    return scoped(ConflictOfInterest.objects.select_related("officer", "officer__unit", "enterprise"), user)


def due_grades_for(user, scheme: GradingScheme) -> QuerySet:
    """The year's grades visible to ``user``, annotated with the last qualifying inspection."""
    qs = scoped(
        EnterpriseGrade.objects.filter(year=scheme.year).select_related(
            "enterprise", "enterprise__owning_unit", "level"
        ),
        user,
    )
    return with_last_inspected(qs, scheme)


def linkable_inspections(item: PlanItem) -> QuerySet:
    """Inspections that could fulfil ``item``: same enterprise and year, not linked elsewhere."""
    return Inspection.objects.filter(
        enterprise_id=item.enterprise_id, start_date__year=item.plan.year
    ).filter(Q(plan_item__isnull=True) | Q(plan_item=item)).order_by("-start_date")


def plan_progress(items: QuerySet, inspections: QuerySet, year: int) -> dict:
    """Planned vs done by kind and by month, for the given (already scoped and filtered) items.

    An item with only a quarter counts in the quarter's last month. Done = a linked finalised inspection,
    counted in the month of that inspection. ``inspections``: all finalised inspections in scope, by month.
    """
    items = items.order_by()
    by_kind = []
    kind_labels = dict(PlanItem._meta.get_field("kind").choices)
    for row in items.values("kind").annotate(
        planned=Count("id", distinct=True), done=Count("id", filter=DONE, distinct=True)
    ).order_by("kind"):
        by_kind.append({"kind": row["kind"], "label": kind_labels.get(row["kind"], row["kind"]),
                        "planned": row["planned"], "done": row["done"]})
    planned_month = defaultdict(int)
    for row in items.values("target_month", "target_quarter").annotate(n=Count("id", distinct=True)):
        month = row["target_month"] or (row["target_quarter"] * 3 if row["target_quarter"] else 12)
        planned_month[month] += row["n"]
    done_month = defaultdict(int)
    for done_on in items.filter(DONE).values_list("done_on", flat=True):
        if done_on.year == year:
            done_month[done_on.month] += 1
    all_month = defaultdict(int)
    # Scoped querysets are never DISTINCT (regsys.scoping); without the model's ordering the rows group
    # per month. (Re-basing on "pk IN (all visible ids)" made the district read every inspection ever.)
    if inspections.query.distinct:
        inspections = Inspection.objects.filter(pk__in=inspections.values("pk"))
    for row in inspections.order_by().filter(start_date__year=year, status=InspectionStatus.FINALISED).values(
        "start_date__month"
    ).annotate(n=Count("id")):
        all_month[row["start_date__month"]] = row["n"]
    months = list(range(1, 13))
    return {
        "by_kind": by_kind,
        "months": months,
        "planned": [planned_month[m] for m in months],
        "done": [done_month[m] for m in months],
        "inspections": [all_month[m] for m in months],
        "planned_total": sum(planned_month.values()),
        "done_total": sum(done_month.values()),
    }


def unit_plan_summary(year: int, units: list[Unit]) -> dict[int, dict]:
    """Per unit: items planned and done in the year's plans, and plan statuses. Two grouped queries."""
    summary = {u.id: {"planned": 0, "done": 0, "plans": []} for u in units}
    for row in PlanItem.objects.filter(plan__year=year, plan__unit__in=units).values("plan__unit").annotate(
        planned=Count("id"), done=Count("id", filter=DONE)
    ):
        summary[row["plan__unit"]].update(planned=row["planned"], done=row["done"])
    for plan in InspectionPlan.objects.filter(year=year, unit__in=units).order_by("kind"):
        summary[plan.unit_id]["plans"].append(plan)
    return summary


def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()
