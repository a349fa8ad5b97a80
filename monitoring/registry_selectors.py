"""Reads of the AE quotas' registry-side inputs, scoped to the user's unit: registrants and their
registration, population per 街道/镇 and its totals, the year's settings, training courses and their counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from enterprises.choices import ACTIVE_STATUSES
from enterprises.models import Enterprise, Subdistrict, Unit
from monitoring.models import PopulationFigure, TrainingAttendance, TrainingCourse
from monitoring.services.settings import SETTINGS_FIELDS, settings_for_year  # noqa: F401  (re-exported)
from regsys.scoping import scope_for, scoped

# ---------------------------------------------------------------- registrants


def registrant_list(*, user) -> QuerySet[Enterprise]:
    """Every supervised 注册人/备案人 the user may see, with its registration record when it has one.

    The record is left-joined: a registrant without one is 未注册 until someone edits it, so a new
    registrant is on the list the moment the registry marks it.
    """
    return scoped(
        Enterprise.objects.filter(is_registrant=True, status__in=ACTIVE_STATUSES)
        .select_related("owning_unit", "subdistrict", "ae_registration", "ae_registration__updated_by"),
        user,
    ).order_by("name", "pk")


def registered_q(registered: bool) -> Q:
    """Registrants whose registration says registered (or, for False, not: no record counts as 未注册)."""
    yes = Q(ae_registration__registered=True)
    return yes if registered else ~yes


# ---------------------------------------------------------------- population


@dataclass
class UnitPopulation:
    unit: Unit
    total: int = 0
    missing: int = 0
    rows: list = field(default_factory=list)


@dataclass
class PopulationTable:
    """The year's figures of the 街道/镇 the user may see, grouped by 所, with totals."""

    year: int
    units: list[UnitPopulation]
    district_total: int | None  # None for a 监管所 user (it sees its own 街道/镇 only)
    missing: int

    @property
    def total(self) -> int:
        return sum(u.total for u in self.units)


def subdistricts_for(*, user) -> QuerySet[Subdistrict]:
    """The 街道/镇 of the user's jurisdiction (all of them for district users)."""
    return scoped(Subdistrict.objects.select_related("unit"), user, paths=("unit",)).order_by(
        "unit__sort_order", "unit__code", "code")


def population_table(*, year: int, user) -> PopulationTable:
    figures = {f.subdistrict_id: f for f in PopulationFigure.objects.filter(year=year).select_related("updated_by")}
    units: dict[int, UnitPopulation] = {}
    for sd in subdistricts_for(user=user):
        group = units.setdefault(sd.unit_id, UnitPopulation(unit=sd.unit))
        figure = figures.get(sd.pk)
        group.rows.append((sd, figure))
        if figure is None:
            group.missing += 1
        else:
            group.total += figure.population
    district_total = None
    if scope_for(user).district_wide:
        district_total = PopulationFigure.objects.filter(year=year).aggregate(t=Sum("population"))["t"] or 0
    return PopulationTable(year=year, units=list(units.values()), district_total=district_total,
                           missing=sum(u.missing for u in units.values()))


def population_start_values(*, year: int) -> dict[int, tuple[int, str]]:
    """Starting values for a new year's form: last year's figures; a 街道/镇 without one starts from the
    population kept on the 街道/镇 itself (``Subdistrict.population``, when set). Nothing is saved."""
    previous = {f.subdistrict_id: f for f in PopulationFigure.objects.filter(year=year - 1)}
    values: dict[int, tuple[int, str]] = {}
    for sd in Subdistrict.objects.all():
        figure = previous.get(sd.pk)
        if figure is not None:
            values[sd.pk] = (figure.population, (_("沿用%(y)s年：%(s)s") % {"y": year - 1, "s": figure.source})[:200])
        elif sd.population:
            values[sd.pk] = (sd.population, _("街道/镇基础资料"))
    return values


# ---------------------------------------------------------------- settings

# ---------------------------------------------------------------- training


def training_list(*, user) -> QuerySet[TrainingCourse]:
    return scoped(
        TrainingCourse.objects.select_related("unit").annotate(
            enterprise_count=Count("attendances"), people_count=Sum("attendances__people")),
        user,
    ).order_by("-held_on", "-id")


def training_year_counts(courses: QuerySet[TrainingCourse]) -> list[dict]:
    """Per year of ``courses``: 培训次数, 参训企业 (distinct enterprises), 参训人次 (people summed)."""
    ids = courses.values("pk")
    per_year = {
        row["year"]: row for row in TrainingCourse.objects.filter(pk__in=ids).annotate(year=ExtractYear("held_on"))
        .values("year").annotate(courses=Count("pk")).order_by("-year")
    }
    attendance = (TrainingAttendance.objects.filter(course__in=ids).annotate(year=ExtractYear("course__held_on"))
                  .values("year").annotate(enterprises=Count("enterprise", distinct=True), people=Sum("people")))
    for row in attendance:
        per_year[row["year"]].update(enterprises=row["enterprises"], people=row["people"] or 0)
    return [{"year": y, "courses": r["courses"], "enterprises": r.get("enterprises", 0), "people": r.get("people", 0)}
            for y, r in sorted(per_year.items(), reverse=True)]


# ---------------------------------------------------------------- history


@dataclass
class HistoryRow:
    when: object
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str, str]]


HIDDEN_HISTORY_FIELDS = {"version", "updated_by", "evidence", "id"}


def _shown(model, name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


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
                                _shown(model, change.field, change.old), _shown(model, change.field, change.new)))
        if item.history_type == "~" and not changes and not item.history_change_reason:
            continue
        who = item.history_user.display_name if item.history_user else _("系统")
        rows.append(HistoryRow(when=item.history_date, who=who, action=actions.get(item.history_type, ""),
                               reason=item.history_change_reason or "", changes=changes))
    return rows
