"""Reads of the yearly filings: each enterprise's status per year, kind and sector, and the progress toward
the due date. Every figure is a function ``(year, kind, unit=None, as_of=None)`` the cockpit can call; pages
pass ``user`` to read through the unit boundary (``regsys.scoping``).

The owed set and the statuses come from :mod:`enterprises.duties.filing_rules`; a figure is computed from the
same rows the list shows, in a fixed number of queries (enterprises, status changes, filings); the progress
figures are counted in the database by one grouped statement (:func:`filing_counts`) with the rules' SQL forms.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, FilteredRelation, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.duties import filing_rules as rules
from enterprises.duties.choices import FilingKind, Sector
from enterprises.duties.filing_rules import FilingStatus
from enterprises.models import AnnualFiling, Enterprise, EnterpriseStatusChange, Unit
from enterprises.selectors import status_on
from regsys.scoping import scoped


@dataclass
class FilingRow:
    """One owed filing: an enterprise, a sector, and its filing row when one exists."""

    enterprise: Enterprise
    year: int
    kind: str
    sector: str
    due: datetime.date
    status: str
    filing: AnnualFiling | None = None

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label)

    @property
    def status_label(self) -> str:
        return str(FilingStatus(self.status).label)

    @property
    def kind_label(self) -> str:
        return str(FilingKind(self.kind).label)

    @property
    def submitted_on(self) -> datetime.date | None:
        return self.filing.submitted_on if self.filing else None

    @property
    def counted(self) -> bool:
        return rules.counts_as_owed(kind=self.kind, sector=self.sector)

    @property
    def order_state(self) -> str:
        """责令改正: '' (none), 'proposed' or 'confirmed'."""
        if self.filing is None or self.filing.order_proposed_on is None:
            return ""
        return "confirmed" if self.filing.order_confirmed_on else "proposed"


def _enterprises(*, user=None, unit: Unit | int | None = None) -> QuerySet:
    queryset = Enterprise.objects.filter(rules.any_sector_q()).select_related("owning_unit", "subdistrict")
    if user is not None:
        queryset = scoped(queryset, user)
    if unit is not None:
        queryset = queryset.filter(owning_unit=unit)
    return queryset


def filing_rows(year: int, kind: str, unit: Unit | int | None = None, as_of: datetime.date | None = None, *,
                user=None, enterprises: QuerySet | None = None) -> list[FilingRow]:
    """Every filing of ``kind`` owed in ``year`` (one row per enterprise and sector) with its status on
    ``as_of`` (today by default), ordered by unit and enterprise name.

    ``enterprises`` narrows the enterprises (a list's filters); ``user`` and ``unit`` narrow to what the user
    may see and to one unit.
    """
    as_of = as_of or timezone.localdate()
    due = rules.due_date(year, kind)
    base = enterprises if enterprises is not None else _enterprises(user=user, unit=unit)
    if enterprises is not None:
        base = base.filter(rules.any_sector_q()).select_related("owning_unit", "subdistrict")
        if user is not None:
            base = scoped(base, user)
        if unit is not None:
            base = base.filter(owning_unit=unit)
    changed_later = EnterpriseStatusChange.objects.filter(effective_on__gt=due).values("enterprise_id")
    candidates = list(base.filter(Q(status__in=rules.OWING_STATUSES) | Q(pk__in=changed_later)))
    ids = [e.pk for e in candidates]
    changes: dict[int, list] = defaultdict(list)
    for enterprise_id, effective_on, from_status, to_status in EnterpriseStatusChange.objects.filter(
            enterprise_id__in=ids, effective_on__gt=due).order_by("effective_on", "created_at", "pk").values_list(
            "enterprise_id", "effective_on", "from_status", "to_status"):
        changes[enterprise_id].append((effective_on, from_status, to_status))
    filings = {
        (f.enterprise_id, f.sector): f
        for f in AnnualFiling.objects.filter(enterprise_id__in=ids, year=year, kind=kind).select_related(
            "order_confirmed_by", "credit_record")
    }
    rows = []
    for enterprise in candidates:
        status_then = rules.status_on(current=enterprise.status, changes=changes.get(enterprise.pk, ()), day=due)
        if not rules.owes_on(established_on=enterprise.established_on, status_then=status_then, year=year, kind=kind):
            continue
        for sector in rules.owed_sectors(enterprise, kind):
            filing = filings.get((enterprise.pk, sector))
            rows.append(FilingRow(
                enterprise=enterprise, year=year, kind=kind, sector=sector, due=due, filing=filing,
                status=rules.filing_status(kind=kind, sector=sector, submitted_on=filing.submitted_on if filing else None,
                                           due=due, as_of=as_of),
            ))
    rows.sort(key=lambda r: (r.enterprise.owning_unit.sort_order, r.enterprise.owning_unit.code, r.enterprise.name,
                             list(rules.SECTOR_ROLES).index(r.sector)))
    return rows


@dataclass
class Progress:
    """Progress of one unit (or the district) toward the due date."""

    unit: Unit | None
    owed: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    on_file: int = 0
    sectors: dict = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """提交率 (%, one decimal): submitted (on time or late) / owed."""
        return round(self.submitted * 100 / self.owed, 1) if self.owed else None

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time * 100 / self.owed, 1) if self.owed else None

    @property
    def label(self) -> str:
        return self.unit.display_name if self.unit else _("全区合计")

    def add(self, row: FilingRow) -> None:
        if not row.counted:
            self.on_file += row.status == FilingStatus.ON_FILE
            return
        self.owed += 1
        self.on_time += row.status == FilingStatus.SUBMITTED
        self.late += row.status == FilingStatus.LATE
        self.missing += row.status == FilingStatus.MISSING


@dataclass
class ProgressTable:
    year: int
    kind: str
    due: datetime.date
    as_of: datetime.date
    units: list[Progress]
    total: Progress

    @property
    def days_left(self) -> int:
        return (self.due - self.as_of).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)

    @property
    def kind_label(self) -> str:
        return str(FilingKind(self.kind).label)


def filing_progress(year: int, kind: str = FilingKind.SELF_REPORT, unit: Unit | int | None = None,
                    as_of: datetime.date | None = None, *, user=None) -> ProgressTable:
    """(year, kind, unit=None, as_of=None) -> ProgressTable: per supervising unit (所) the filings owed, submitted
    on time, late, missing and the 提交率, and the total, as of ``as_of`` (today by default).

    Owed counts every owed filing except a use unit's self-report (留存备查, shown apart as ``on_file``).
    Counted in the database (:func:`filing_counts`), the same figures as counting :func:`filing_rows`.
    """
    return filing_counts(year, kind, unit, as_of, user=user)


def _sector_alias(sector: str) -> str:
    return f"filing_{sector}"


def filing_counts(year: int, kind: str = FilingKind.SELF_REPORT, unit: Unit | int | None = None,
                  as_of: datetime.date | None = None, *, user=None) -> ProgressTable:
    """The progress of :func:`filing_progress` in one grouped statement (plus one for the units): per owning
    unit and sector, the owed filings, those submitted on time and late by ``as_of``, and the use units'
    reports kept on file. The rules are :mod:`filing_rules`' SQL forms (owed sectors, registered in time) and
    the registry's status on the due date (``enterprises.selectors.status_on``); nothing is built per
    enterprise, so the cost does not grow in Python.
    """
    as_of = as_of or timezone.localdate()
    due = rules.due_date(year, kind)
    base = _enterprises(user=user, unit=unit).select_related(None)
    for sector in rules.SECTOR_ROLES:
        base = base.annotate(**{_sector_alias(sector): FilteredRelation(
            "annual_filings", condition=Q(annual_filings__year=year, annual_filings__kind=kind,
                                          annual_filings__sector=sector))})
    # The status on the due date: the status log is read only for the few enterprises with a change after it
    # (a hashed membership test, then ``status_on``), the others keep their current status.
    changed_later = EnterpriseStatusChange.objects.filter(effective_on__gt=due).values("enterprise_id")
    status_then = Case(When(pk__in=changed_later, then=status_on(due)), default=F("status"))
    owing = base.annotate(status_then=status_then).filter(rules.owes_q(year, kind))
    aggregates = {}
    for sector in rules.SECTOR_ROLES:
        owed = rules.owed_sector_q(kind, sector)
        submitted_on = f"{_sector_alias(sector)}__submitted_on"
        aggregates[f"{sector}__owed"] = Count("pk", filter=owed)
        aggregates[f"{sector}__on_time"] = Count("pk", filter=owed & Q(**{f"{submitted_on}__lte": min(due, as_of)}))
        aggregates[f"{sector}__late"] = Count("pk", filter=owed & Q(**{f"{submitted_on}__gt": due,
                                                                       f"{submitted_on}__lte": as_of}))
    grouped = owing.values("owning_unit_id").annotate(**aggregates).order_by()
    per_unit: dict[int, Progress] = {}
    for row in grouped:
        progress = per_unit[row["owning_unit_id"]] = Progress(unit=None)
        for sector in rules.SECTOR_ROLES:
            owed, on_time, late = (row[f"{sector}__{name}"] for name in ("owed", "on_time", "late"))
            if not rules.counts_as_owed(kind=kind, sector=sector):
                progress.on_file += owed - on_time - late
                continue
            progress.owed += owed
            progress.on_time += on_time
            progress.late += late
            progress.missing += owed - on_time - late
    for owner in Unit.objects.filter(pk__in=per_unit):
        per_unit[owner.pk].unit = owner
    total = Progress(unit=None)
    for progress in per_unit.values():
        for name in ("owed", "on_time", "late", "missing", "on_file"):
            setattr(total, name, getattr(total, name) + getattr(progress, name))
    units = sorted(per_unit.values(), key=lambda p: (p.unit.sort_order, p.unit.code))
    return ProgressTable(year=year, kind=kind, due=due, as_of=as_of, units=units, total=total)


def filing_rate(year: int, kind: str = FilingKind.SELF_REPORT, unit: Unit | int | None = None,
                as_of: datetime.date | None = None) -> float | None:
    """(year, kind, unit=None, as_of=None) -> float | None: the 提交率 (%) of the unit or the district."""
    return filing_progress(year, kind, unit, as_of).total.rate


def order_candidates(year: int, unit: Unit | int | None = None, as_of: datetime.date | None = None, *,
                     user=None) -> list[FilingRow]:
    """(year, unit=None, as_of=None) -> rows: after the due date, the missing self-reports, with their 责令改正
    state (none, proposed, confirmed); empty before the due date."""
    as_of = as_of or timezone.localdate()
    kind = FilingKind.SELF_REPORT
    if as_of <= rules.due_date(year, kind):
        return []
    return [row for row in filing_rows(year, kind, unit, as_of, user=user)
            if row.kind in rules.ORDER_KINDS and row.status == FilingStatus.MISSING]


def filing_years() -> list[int]:
    """Years a user may pick: the configured ones and the years around today."""
    from enterprises.models import DutyYear

    this = timezone.localdate().year
    return sorted({*DutyYear.objects.values_list("year", flat=True), this - 1, this, this + 1}, reverse=True)


def filing_visible(user) -> QuerySet:
    """The filing rows (AnnualFiling) ``user`` may see."""
    return scoped(AnnualFiling.objects.select_related("enterprise", "enterprise__owning_unit"), user)


@dataclass
class HistoryRow:
    when: datetime.datetime
    who: str
    action: str
    changes: list


HIDDEN_HISTORY_FIELDS = ["version", "updated_at", "created_at", "created_by"]


def record_history(record) -> list[HistoryRow]:
    """Who changed ``record`` (a model with ``history``), when and what, newest first."""
    if record is None or record.pk is None:
        return []
    actions = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
    model = type(record)
    rows = []
    for item in record.history.select_related("history_user").order_by("-history_date", "-history_id"):
        changes = []
        previous = item.prev_record
        if item.history_type == "~" and previous is not None:
            for change in item.diff_against(previous, excluded_fields=HIDDEN_HISTORY_FIELDS).changes:
                changes.append((str(model._meta.get_field(change.field).verbose_name),
                                "" if change.old is None else str(change.old),
                                "" if change.new is None else str(change.new)))
            if not changes:
                continue
        who = item.history_user.display_name if item.history_user else _("系统")
        rows.append(HistoryRow(when=item.history_date, who=who, action=actions.get(item.history_type, ""),
                               changes=changes))
    return rows
