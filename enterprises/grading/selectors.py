"""Reads of graded supervision: scoped grade lists, unit progress against the grading deadline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When

from enterprises.choices import ACTIVE_STATUSES, UnitKind
from enterprises.grading.choices import GradeStatus, Sector
from enterprises.grading.rules import sector_q
from enterprises.models import CreditRecord, Enterprise, EnterpriseGrade, GradeLevel, GradingScheme, Unit
from regsys.scoping import scope_for, scoped


def visible_units(user) -> QuerySet:
    """Units the user may pick: every supervising unit for district users, else their own."""
    units = Unit.objects.filter(kind__in=(UnitKind.STATION, UnitKind.SECTION))
    scope = scope_for(user)
    if scope.district_wide:
        return units
    return Unit.objects.filter(pk=scope.unit_id)


def grades_for(user, year: int | None = None) -> QuerySet:
    qs = EnterpriseGrade.objects.select_related(
        "enterprise", "enterprise__owning_unit", "level", "proposed_level", "approved_by", "changed_by"
    )
    if year:
        qs = qs.filter(year=year)
    return scoped(qs, user)


def credit_records_for(user) -> QuerySet:
    return scoped(CreditRecord.objects.select_related("enterprise", "enterprise__owning_unit", "created_by"), user)


SECTOR_ORDER = Case(*(When(sector=s, then=Value(i)) for i, s in enumerate(Sector.values)), default=Value(9))


def scheme_of(year: int) -> GradingScheme | None:
    """The year's scheme with levels (生产, 经营, 使用; highest first) and criteria prefetched."""
    levels = GradeLevel.objects.order_by(SECTOR_ORDER, "-rank")
    return GradingScheme.objects.filter(year=year).prefetch_related(
        Prefetch("levels", queryset=levels), "criteria__level"
    ).first()


@dataclass
class UnitGradingProgress:
    unit: Unit
    required: int
    graded: int
    approved: int
    deadline: datetime.date | None
    today: datetime.date

    @property
    def percentage(self) -> int:
        return round(self.approved * 100 / self.required) if self.required else 100

    @property
    def state(self) -> tuple[str, str]:
        """(label, colour) of the unit against the deadline."""
        if self.required and self.approved >= self.required:
            return "已完成", "success"
        if self.deadline and self.today > self.deadline:
            return "已超期", "danger"
        if self.deadline and (self.deadline - self.today).days <= 14:
            return "临近期限", "warning"
        return "进行中", "info"


def grading_progress(year: int, units, today: datetime.date, *,
                     as_of: datetime.date | None = None) -> list[UnitGradingProgress]:
    """Per unit: grades needed (enterprise × sector), proposed, approved. Two grouped queries.

    ``as_of``: count only the grades approved on or before that day (a past quarter's figure); the grades
    needed are those of the enterprises in supervision now.
    """
    scheme = GradingScheme.objects.filter(year=year).first()
    units = list(units)
    required: dict[int, int] = {}
    active = Enterprise.objects.filter(status__in=ACTIVE_STATUSES, owning_unit__in=units)
    per_sector = {f"n_{sector}": Count("id", filter=sector_q(sector)) for sector in Sector.values}
    for row in active.values("owning_unit").annotate(**per_sector).order_by():
        required[row["owning_unit"]] = sum(row[name] for name in per_sector)
    approved_q = Q(status=GradeStatus.APPROVED)
    if as_of is not None:
        approved_q &= Q(approved_at__date__lte=as_of)
    graded = {
        row["enterprise__owning_unit"]: row
        for row in EnterpriseGrade.objects.filter(year=year, enterprise__in=active)
        .values("enterprise__owning_unit")
        .annotate(n=Count("id"), approved=Count("id", filter=approved_q))
    }
    return [
        UnitGradingProgress(
            unit=unit, required=required.get(unit.id, 0),
            graded=graded.get(unit.id, {}).get("n", 0), approved=graded.get(unit.id, {}).get("approved", 0),
            deadline=scheme.grading_deadline if scheme else None, today=today,
        )
        for unit in units
    ]


def history_rows(records, model, skip: tuple[str, ...] = ()) -> list[dict]:
    """simple-history records as rows for a page: when, who, and each change as (label, old, new) in Chinese.

    Foreign keys show the related object, choices their label. ``records`` newest first.
    """
    records = list(records)
    rows = []
    related: dict[str, dict] = {}
    for record in records:
        changes = []
        if record.prev_record:
            for change in record.diff_against(record.prev_record, excluded_fields=list(skip)).changes:
                field = model._meta.get_field(change.field)
                old, new = change.old, change.new
                if field.is_relation and field.many_to_one:
                    cache = related.setdefault(field.name, {})
                    missing = {v for v in (old, new) if v is not None and v not in cache}
                    if missing:
                        cache.update(field.related_model._default_manager.in_bulk(missing))
                    old, new = cache.get(old, old), cache.get(new, new)
                elif field.choices:
                    labels = dict(field.flatchoices)
                    old, new = labels.get(old, old), labels.get(new, new)
                changes.append((field.verbose_name, "—" if old in (None, "") else old,
                                "—" if new in (None, "") else new))
        rows.append({"date": record.history_date, "user": record.history_user, "type": record.history_type,
                     "reason": record.history_change_reason, "changes": changes})
    return rows
