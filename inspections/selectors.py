"""Reads of the inspections app: scoped querysets, work lists (待办), timelines, export rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Enterprise, Unit, User
from inspections.choices import CaseStatus, InspectionStatus
from inspections.deadlines import (
    DUE_SOON_DAYS,
    draft_stale_before,
    due_soon_cutoff,
    provincial_entry_due,
    provincial_entry_due_q,
    provincial_entry_late,
)
from inspections.models import (
    Case,
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionOfficer,
    Interview,
    PlanItem,
    Rectification,
    Referral,
)
from regsys.scoping import scope_for, scoped


def count_per_inspection(model) -> Coalesce:
    """Rows of ``model`` per inspection as a correlated subquery.

    Two ``Count(..., distinct=True)`` over officers and findings would join both tables and group the
    product of their rows: ten times slower on a district's year of inspections.
    """
    rows = model.objects.filter(inspection=OuterRef("pk")).order_by().values("inspection").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def inspection_qs(user: User) -> QuerySet[Inspection]:
    """Inspections ``user`` may see, with what lists show."""
    return scoped(
        Inspection.objects.select_related("enterprise", "unit", "rectification").prefetch_related("officers").annotate(
            officer_count=count_per_inspection(InspectionOfficer),
            finding_count=count_per_inspection(Finding),
        ).order_by("-start_date", "-id"),
        user,
    )


def inspection_detail_qs(user: User) -> QuerySet[Inspection]:
    return scoped(
        Inspection.objects.select_related(
            "enterprise", "unit", "checklist", "plan_item", "created_by", "finalised_by"
        ).prefetch_related(
            "campaigns",
            Prefetch("officers", queryset=InspectionOfficer.objects.select_related("user")),
            Prefetch("findings", queryset=Finding.objects.select_related("checklist_item")),
            "attachments",
            "amendments__amended_by",
            "interviews",
            "cases",
            "referrals",
        ),
        user,
    )


def case_qs(user: User) -> QuerySet[Case]:
    return scoped(
        Case.objects.select_related("enterprise", "unit", "source_inspection", "revoked_licence")
        .prefetch_related("penalised_persons", "handlers", "campaigns"),
        user,
    )


def rectification_qs(user: User) -> QuerySet[Rectification]:
    """Open orders first, the most overdue on top; then completed ones, the latest first."""
    return scoped(
        Rectification.objects.select_related("inspection__enterprise", "inspection__unit", "follow_up"), user
    ).order_by(F("completed_on").desc(nulls_first=True), "deadline", "pk")


def interview_qs(user: User) -> QuerySet[Interview]:
    return scoped(Interview.objects.select_related("enterprise", "unit", "inspection").prefetch_related("campaigns"),
                  user)


def referral_qs(user: User) -> QuerySet[Referral]:
    return scoped(Referral.objects.select_related("enterprise", "unit", "case").prefetch_related("campaigns"), user)


# Oldest first; a record without a stored due date is older than the column (its due is long past).
PROVINCIAL_ORDER = (F("provincial_entry_due").asc(nulls_first=True), "start_date", "pk")


@dataclass
class WorkList:
    """What waits on one person (or, for a chief, on one unit): querysets, or ``CappedList``s for a page."""

    drafts: QuerySet | CappedList
    rectifications: QuerySet | CappedList
    follow_ups: QuerySet | CappedList
    provincial: QuerySet | CappedList
    cases: QuerySet | CappedList


# The 待办 rules, once each: the lists filter by them and the home card counts by them. Each starts from a
# partial index (inspection_open_draft_idx, inspection_unentered_idx, rectification_open_idx, case_open_idx)
# so a count reads the open work of the district, never the years of finished inspections.
def _is_follow_up() -> Exists:
    return Exists(Rectification.objects.filter(follow_up=OuterRef("pk")))


def _draft_q() -> Q:
    return Q(status=InspectionStatus.DRAFT) & ~Q(_is_follow_up())


def _follow_up_q(cutoff: date | None) -> Q:
    q = Q(_is_follow_up(), status=InspectionStatus.DRAFT)
    return q if cutoff is None else q & Q(start_date__lte=cutoff)


def _provincial_q(cutoff: date | None) -> Q:
    q = Q(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True)
    return q if cutoff is None else q & provincial_entry_due_q(on_or_before=cutoff)


def _my_inspections(user: User) -> QuerySet[Inspection]:
    """Inspections ``user`` took part in (an officer) or entered, within their scope."""
    mine = Exists(InspectionOfficer.objects.filter(inspection=OuterRef("pk"), user=user)) | Q(created_by=user)
    return scoped(Inspection.objects.select_related("enterprise", "unit"), user).filter(mine)


def _my_rectifications(user: User, cutoff: date | None) -> QuerySet[Rectification]:
    orders = scoped(
        Rectification.objects.select_related("inspection__enterprise", "follow_up"), user
    ).filter(
        Exists(InspectionOfficer.objects.filter(inspection=OuterRef("inspection"), user=user))
        | Q(ordered_by=user),
        completed_on__isnull=True,
    )
    return orders if cutoff is None else orders.filter(deadline__lte=cutoff)


def _my_cases(user: User) -> QuerySet[Case]:
    # A handler test per open case (EXISTS), not a join on handlers that needs DISTINCT over every case.
    handled = Exists(Case.handlers.through.objects.filter(case=OuterRef("pk"), user=user))
    return case_qs(user).filter(handled | Q(created_by=user)).exclude(status=CaseStatus.CLOSED)


def todo_for(user: User, *, today: date, horizon: int | None = DUE_SOON_DAYS) -> WorkList:
    """我的待办: drafts to finish, rectifications and follow-ups coming due within ``horizon`` days (None: all,
    whatever their date), provincial entries, cases."""
    cutoff = due_soon_cutoff(today, horizon)
    inspections = _my_inspections(user)
    return WorkList(
        drafts=inspections.filter(_draft_q()).order_by("start_date", "pk"),
        rectifications=_my_rectifications(user, cutoff).order_by("deadline", "pk"),
        follow_ups=inspections.filter(_follow_up_q(cutoff)).order_by("start_date", "pk"),
        provincial=inspections.filter(_provincial_q(cutoff)).order_by(*PROVINCIAL_ORDER),
        cases=_my_cases(user).order_by("filed_on", "pk"),
    )


def todo_counts(user: User, *, today: date, horizon: int | None = DUE_SOON_DAYS) -> dict[str, int]:
    """The sizes of ``todo_for``'s lists in three statements: the three inspection lists in one pass."""
    cutoff = due_soon_cutoff(today, horizon)
    counts = _my_inspections(user).filter(
        Q(status=InspectionStatus.DRAFT) | Q(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True)
    ).aggregate(
        drafts=Count("pk", filter=_draft_q()),
        follow_ups=Count("pk", filter=_follow_up_q(cutoff)),
        provincial=Count("pk", filter=_provincial_q(cutoff)),
    )
    counts["rectifications"] = _my_rectifications(user, cutoff).count()
    counts["cases"] = _my_cases(user).count()
    return counts


# The 待办 pages list the most urgent items of each kind (each list's own order: the oldest or the most
# overdue first, then by id, so that the rows cut at a date shared by several are always the same) and say how many there are in all, with a link to the whole list: an inspector with
# hundreds of open items reads the top of each list, and the page stays as fast as with a few.
WORK_LIST_LIMIT = 20
WORK_SECTIONS = ("drafts", "rectifications", "follow_ups", "provincial", "cases")


@dataclass
class CappedList:
    """The first rows of a work list, and how many rows it has in all."""

    items: list
    total: int
    capped: bool  # False when the whole list was asked for

    def __iter__(self):
        return iter(self.items)

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _capped(queryset: QuerySet, limit: int | None) -> CappedList:
    if limit is None:
        items = list(queryset)
        return CappedList(items=items, total=len(items), capped=False)
    # The total rides on every row (COUNT(*) OVER ()): one statement per list, the same as uncapped.
    items = list(queryset.annotate(list_total=Window(Count("pk")))[:limit])
    return CappedList(items=items, total=items[0].list_total if items else 0, capped=True)


def work_list_capped(work: WorkList, *, limit: int = WORK_LIST_LIMIT, whole: str | None = None,
                     sections: tuple[str, ...] = WORK_SECTIONS) -> WorkList:
    """``work`` with each list of ``sections`` cut to its first ``limit`` rows and its total (the others
    stay unevaluated querysets); the list named ``whole`` (one of ``WORK_SECTIONS``) in full."""
    return WorkList(**{name: _capped(getattr(work, name), None if name == whole else limit)
                       if name in sections else getattr(work, name) for name in WORK_SECTIONS})


def unit_work_list(user: User, *, unit: Unit | None, today: date, overdue_only: bool) -> WorkList:
    """A unit's open items (for its chief); with ``overdue_only`` just what is past its date."""
    inspections = scoped(Inspection.objects.select_related("enterprise", "unit"), user)
    rectifications = scoped(Rectification.objects.select_related("inspection__enterprise", "follow_up"), user)
    cases = case_qs(user).exclude(status=CaseStatus.CLOSED)
    if unit is not None:
        inspections = inspections.filter(unit=unit)
        rectifications = rectifications.filter(inspection__unit=unit)
        cases = cases.filter(unit=unit)
    is_follow_up = Exists(Rectification.objects.filter(follow_up=OuterRef("pk")))
    drafts = inspections.filter(status=InspectionStatus.DRAFT).exclude(is_follow_up)
    follow_ups = inspections.filter(is_follow_up, status=InspectionStatus.DRAFT)
    provincial = inspections.filter(status=InspectionStatus.FINALISED, provincial_entry_date__isnull=True)
    rectifications = rectifications.filter(completed_on__isnull=True)
    if overdue_only:
        drafts = drafts.filter(start_date__lt=draft_stale_before(today))
        follow_ups = follow_ups.filter(start_date__lt=today)
        provincial = provincial.filter(provincial_entry_due_q(on_or_before=today - timedelta(days=1)))
        rectifications = rectifications.filter(deadline__lt=today)
        cases = cases.none()
    return WorkList(
        drafts=drafts.order_by("start_date", "pk"), rectifications=rectifications.order_by("deadline", "pk"),
        follow_ups=follow_ups.order_by("start_date", "pk"), provincial=provincial.order_by(*PROVINCIAL_ORDER),
        cases=cases.order_by("filed_on", "pk"),
    )


def plan_item_planned_by(item: PlanItem) -> date:
    """The day a plan item should be done by: its 应检日期, else the end of its month, quarter or year."""
    if item.due_date is not None:
        return item.due_date
    year = item.plan.year
    month = item.target_month or (item.target_quarter * 3 if item.target_quarter else 12)
    return (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)


@dataclass
class PlanItemsDue:
    """A unit's open plan items of the year by when they are due (the inspector's 今日计划)."""

    overdue: list
    today: list
    this_week: list

    def __len__(self) -> int:
        return len(self.overdue) + len(self.today) + len(self.this_week)


def plan_items_due(user: User, *, unit: Unit, today: date) -> PlanItemsDue:
    """Plan items of ``unit`` in this year's plans not yet fulfilled by a finalised inspection: due before
    today (overdue), today, or later this week (to Sunday), earliest first. One query."""
    done = Exists(Inspection.objects.filter(plan_item=OuterRef("pk"), status=InspectionStatus.FINALISED))
    items = (scoped(PlanItem.objects.select_related("plan", "enterprise"), user)
             .filter(plan__unit=unit, plan__year=today.year).exclude(done))
    week_end = today + timedelta(days=6 - today.weekday())
    due = PlanItemsDue(overdue=[], today=[], this_week=[])
    for item in sorted(items, key=lambda i: (plan_item_planned_by(i), i.enterprise.name, i.pk)):
        item.planned_by = plan_item_planned_by(item)
        if item.planned_by < today:
            due.overdue.append(item)
        elif item.planned_by == today:
            due.today.append(item)
        elif item.planned_by <= week_end:
            due.this_week.append(item)
    return due


def units_for(user: User) -> QuerySet[Unit]:
    scope = scope_for(user)
    if scope.district_wide:
        return Unit.objects.all()
    return Unit.objects.filter(pk=scope.unit_id)


@dataclass(frozen=True)
class TimelineEvent:
    day: date
    kind: str
    title: str
    detail: str
    url: str
    css: str = ""


def enterprise_timeline(*, enterprise: Enterprise, user: User) -> list[TimelineEvent]:
    """Inspections, findings, rectifications, 约谈, cases and referrals of one enterprise, newest first."""
    events: list[TimelineEvent] = []
    inspections = scoped(Inspection.objects.filter(enterprise=enterprise).select_related("unit"), user)
    for i in inspections:
        events.append(TimelineEvent(
            i.start_date, "检查", f"{i.get_kind_display()}（{i.unit.display_name}）",
            f"{i.get_conclusion_display() or '未填写结论'} · {i.get_status_display()}",
            reverse("inspections:detail", args=[i.pk]), "primary",
        ))
    findings = scoped(Finding.objects.filter(inspection__enterprise=enterprise).select_related("inspection"), user)
    for f in findings:
        events.append(TimelineEvent(
            f.inspection.start_date, "缺陷", f.get_severity_display(), f.text[:80],
            reverse("inspections:detail", args=[f.inspection_id]), "warning",
        ))
    rectifications = scoped(
        Rectification.objects.filter(inspection__enterprise=enterprise).select_related("inspection"), user
    )
    for r in rectifications:
        state = f"已于{r.completed_on:%Y-%m-%d}完成整改" if r.completed_on else f"整改期限 {r.deadline:%Y-%m-%d}"
        events.append(TimelineEvent(r.ordered_on, "责令改正", state, r.requirements[:80],
                                    reverse("inspections:detail", args=[r.inspection_id]), "danger" if not r.completed_on else "success"))
    for iv in scoped(Interview.objects.filter(enterprise=enterprise), user):
        events.append(TimelineEvent(iv.held_on, "约谈", iv.persons, iv.record[:80],
                                    reverse("inspections:interview_list") + f"?enterprise={enterprise.pk}", "info"))
    for c in scoped(Case.objects.filter(enterprise=enterprise), user):
        events.append(TimelineEvent(c.filed_on, "立案", c.number, f"{c.get_status_display()} · {c.violation[:60]}",
                                    reverse("inspections:case_detail", args=[c.pk]), "dark"))
    for ref in scoped(Referral.objects.filter(enterprise=enterprise).select_related("case"), user):
        events.append(TimelineEvent(
            ref.referred_on, "移送", ref.get_target_display(), ref.note[:80],
            reverse("inspections:case_detail", args=[ref.case_id]) if ref.case_id
            else reverse("inspections:referral_list") + f"?enterprise={enterprise.pk}",
            "secondary",
        ))
    rank = {"检查": 0, "缺陷": 1, "责令改正": 2, "约谈": 3, "立案": 4, "移送": 5}
    events.sort(key=lambda e: (-e.day.toordinal(), rank[e.kind]))
    return events


@dataclass(frozen=True)
class HistoryRow:
    when: object
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]


def _display(model, field_name: str, value) -> str:
    if value is None or value == "":
        return "—"
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and field.related_model is not None:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj else str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if timezone.is_aware(value) else f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def amendment_changes(amendment) -> list[tuple[str, str, str]]:
    """An amendment's changes as (field label, old, new) in Chinese, as the history shows them."""
    rows = []
    for name, pair in (amendment.changes or {}).items():
        try:
            label = str(Inspection._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a field removed since the amendment keeps its stored name
            label = name
        old, new = (list(pair) + [None, None])[:2]
        rows.append((label, _display(Inspection, name, old), _display(Inspection, name, new)))
    return rows


def history_of(obj, *, limit: int = 50, label: str = "") -> list[HistoryRow]:
    """Who changed what and when (field old → new), newest first, from django-simple-history."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    rows = []
    actions = {"+": "新建", "~": "修改", "-": "删除"}
    model = type(obj)
    for index, record in enumerate(records[:limit]):
        changes: list[tuple[str, str, str]] = []
        previous = records[index + 1] if index + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                try:
                    verbose = str(model._meta.get_field(change.field).verbose_name)
                except Exception:  # noqa: BLE001
                    verbose = change.field
                if isinstance(change.old, list) or isinstance(change.new, list):
                    continue
                changes.append((verbose, _display(model, change.field, change.old),
                                _display(model, change.field, change.new)))
        user = record.history_user
        rows.append(HistoryRow(
            when=record.history_date, who=(user.display_name if user else "系统"),
            action=f"{label}{actions.get(record.history_type, '')}", reason=record.history_change_reason or "",
            changes=changes,
        ))
    return rows


def answer_history(inspection: Inspection) -> list[HistoryRow]:
    """Every change of the inspection's checklist answers: item, result and note old → new, who, when."""
    records = ChecklistAnswer.history.filter(inspection_id=inspection.pk).select_related("history_user")
    items = {item.pk: item for item in ChecklistItem.objects.filter(
        pk__in={r.item_id for r in records})}
    last: dict[int, object] = {}
    rows = []
    actions = {"+": "填写", "~": "修改", "-": "清除"}
    for record in records.order_by("history_date", "history_id"):
        before = last.get(record.id)
        after = None if record.history_type == "-" else record
        changes = []
        for name in ("result", "note"):
            old = getattr(before, name) if before is not None else None
            new = getattr(after, name) if after is not None else None
            old, new = _display(ChecklistAnswer, name, old), _display(ChecklistAnswer, name, new)
            if old != new:
                changes.append((str(ChecklistAnswer._meta.get_field(name).verbose_name), old, new))
        last[record.id] = after
        item = items.get(record.item_id)
        user = record.history_user
        rows.append(HistoryRow(
            when=record.history_date, who=(user.display_name if user else "系统"),
            action=f"检查项目 {item.code if item else record.item_id} {actions.get(record.history_type, '')}",
            reason="", changes=changes,
        ))
    return rows


def inspection_history(inspection: Inspection) -> list[HistoryRow]:
    rows = history_of(inspection) + answer_history(inspection)
    rectification = getattr(inspection, "rectification", None)
    if rectification is not None:
        rows += history_of(rectification, label="责令改正")
    for finding in inspection.findings.all():
        rows += history_of(finding, label="缺陷")
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows


def case_history(case: Case) -> list[HistoryRow]:
    rows = history_of(case)
    for person in case.penalised_persons.all():
        rows += history_of(person, label="责任人")
    for referral in case.referrals.all():
        rows += history_of(referral, label="移送")
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows


# ------------------------------------------------------------------ provincial entry as of a day (the cockpit)


@dataclass(frozen=True)
class ProvincialEntry:
    """One finalised inspection whose provincial entry fell due by a day, and whether it was entered on time."""

    pk: int
    unit_id: int
    due: date
    late: bool


def provincial_entries(queryset: QuerySet[Inspection], *, as_of: date) -> list[ProvincialEntry]:
    """The finalised inspections of ``queryset`` whose provincial entry is due on or before ``as_of``, each with
    whether it is late at the end of that day (entered after its due date, or not entered by ``as_of``).

    One query. The due date is the stored one, else the rule of ``inspections.deadlines`` from the end date
    (records older than the column); lateness is ``deadlines.provincial_entry_late`` on the day after ``as_of``.
    """
    rows = (queryset.filter(provincial_entry_due_q(on_or_before=as_of), status=InspectionStatus.FINALISED)
            .order_by().values_list("pk", "unit_id", "provincial_entry_due", "end_date", "start_date",
                                    "provincial_entry_date"))
    out = []
    for pk, unit_id, due, end, start, entered in rows:
        due = due or provincial_entry_due(end or start)
        late = provincial_entry_late(due=due, entered_on=entered, today=as_of + timedelta(days=1))
        out.append(ProvincialEntry(pk, unit_id, due, late))
    return out


def provincial_late_ids(queryset: QuerySet[Inspection], *, as_of: date) -> list[int]:
    """The ids of ``provincial_entries`` that are late as of ``as_of`` (the inspection list's filter)."""
    return [e.pk for e in provincial_entries(queryset, as_of=as_of) if e.late]
