"""Reads of the reporting app: scoped returns and jobs, the form layout, grids, the calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign, CampaignDueDate, FormTemplate
from enterprises.choices import UnitKind
from enterprises.models import Unit
from regsys.scoping import scope_for, scoped, visibility_q
from reporting.choices import ReturnAction
from reporting.exporters.layout import ColumnSpec, FormLayout, LabelCell, RowSpec
from reporting.metrics import METRICS
from reporting.models import ExportJob, ReportingSettings, Return

DEFAULT_PREAMBLE = ("填报单位（盖章）：", "填报人：", "联系方式：")


def returns_visible(user) -> QuerySet[Return]:
    return scoped(Return.objects.select_related("campaign", "template", "unit", "due_date"), user)


def jobs_of(user) -> QuerySet[ExportJob]:
    """A user's own export jobs (the download centre), never another user's files."""
    return scoped(ExportJob.objects.filter(created_by=user).select_related("ret"), user)


def jobs_downloadable(user) -> QuerySet[ExportJob]:
    """Files a user may download: their own, those of every return they may see (a reviewer), and the risk
    reports of their scope."""
    visible = returns_visible(user).values("pk")
    # the quarterly risk-consultation report: every build of the user's scope (see reporting.risk_report)
    risk_reports = Q(kind="risk_report") & visibility_q(user, ExportJob)
    return ExportJob.objects.filter(Q(created_by=user) | Q(ret__in=visible) | risk_reports).select_related("ret")


def campaign_units(campaign: Campaign) -> list[Unit]:
    """The units that file returns for a campaign: its taking-part units, else every 所."""
    units = list(campaign.units.order_by("sort_order", "code"))
    return units or list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"))


def district_reporting_unit() -> str:
    """The 填报单位 of a district return filed without a unit of its own: the bureau's name."""
    return Unit.objects.filter(kind=UnitKind.BUREAU).order_by("pk").values_list("name", flat=True).first() \
        or "全区"


def next_due_dates(today: dt.date | None = None) -> dict[int, dt.date]:
    """Each campaign's next due date from today on (the usual cut-off of a new return); none when all have passed."""
    today = today or timezone.localdate()
    out: dict[int, dt.date] = {}
    for campaign_id, due_on in CampaignDueDate.objects.filter(due_on__gte=today).order_by("campaign_id", "due_on") \
            .values_list("campaign_id", "due_on"):
        out.setdefault(campaign_id, due_on)
    return out


def district_phone() -> str:
    """The bureau's phone (监管单位 区局), the last fallback of a district return's 联系方式."""
    return Unit.objects.filter(kind=UnitKind.BUREAU).order_by("pk").values_list("phone", flat=True).first() or ""


def reporting_settings() -> ReportingSettings:
    """The administrator's reporting settings (an empty, unsaved one until they are set)."""
    return ReportingSettings.objects.order_by("pk").first() or ReportingSettings()


def approved_version(*, campaign, template, unit, cutoff) -> Return | None:
    """The latest version of a return that was approved, even if it was later sent back."""
    return (
        Return.objects.filter(campaign=campaign, template=template, unit=unit, cutoff=cutoff,
                              events__action=ReturnAction.APPROVE)
        # when it was approved (``reviewed_at`` moves on when it is later sent back)
        .annotate(approved_at=Max("events__at", filter=Q(events__action=ReturnAction.APPROVE)))
        .order_by("-version").first()
    )


def return_changes(*, template: FormTemplate, old: dict, new: dict) -> list[dict]:
    """Cell by cell, the numbers that differ between two returns' filled copies (the district total, then each
    unit), keyed by column; an empty cell (—) differs from 0."""
    rows = list(template.rows.order_by("order"))
    columns = list(template.columns.order_by("order"))
    sheets = [("total", str(_("全区")) if old.get("units") or new.get("units") else "", old.get("total", {}),
               new.get("total", {}))]
    unit_keys = sorted(set(old.get("units", {})) | set(new.get("units", {})), key=int)
    names = {str(u.pk): u.display_name for u in Unit.objects.filter(pk__in=[int(k) for k in unit_keys])}
    for key in unit_keys:
        sheets.append((key, names.get(key, key), old.get("units", {}).get(key, {}), new.get("units", {}).get(key, {})))
    changes = []
    for _key, sheet, before, after in sheets:
        for row in rows:
            for column in columns:
                a = _stored(before.get(row.key, {}), column)
                b = _stored(after.get(row.key, {}), column)
                if (a is None) != (b is None) or (a is not None and Decimal(str(a)) != Decimal(str(b))):
                    changes.append({"sheet": sheet, "row": row.display_label, "column": column.label,
                                    "old": _shown(a, column.decimals), "new": _shown(b, column.decimals)})
    return changes


def _stored(values: dict, column):
    """A stored cell of a column (by its key; returns stored before column keys used the metric key)."""
    if column.key in values:
        return values[column.key]
    return values.get(column.metric)


def _shown(value, decimals: int) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.{decimals}f}" if decimals else str(int(Decimal(str(value))))


def column_help(column) -> str:
    metric = METRICS.get(column.metric)
    return column.help_text or (str(metric.definition) if metric else "")


def form_layout(template: FormTemplate, cutoff: dt.date, *, unscheduled: bool = False) -> FormLayout:
    rows = template.rows.order_by("order")
    columns = template.columns.order_by("order")
    labels = tuple(f.get("label", "") for f in template.preamble_fields) or DEFAULT_PREAMBLE
    return FormLayout(
        title=template.title_for() + (_("（临时报送）") if unscheduled else ""),
        header_label=template.header_label,
        label_columns=template.label_columns,
        columns=tuple(ColumnSpec(c.label, c.decimals, c.width) for c in columns),
        rows=tuple(
            RowSpec(r.key, tuple(LabelCell(c.get("text", ""), int(c["col"]), int(c.get("colspan", 1)),
                                           int(c.get("rowspan", 1))) for c in r.label_cells))
            for r in rows
        ),
        footer=template.footer_for(cutoff),
        preamble_labels=labels,
    )


def grid_values(grid: dict, template: FormTemplate) -> tuple[tuple[int | Decimal | None, ...], ...]:
    """A stored (filled) grid as rows of typed values in form order: an int, or a Decimal with the column's
    decimals; None for an empty cell (not applicable, not entered, a formula that failed)."""
    columns = list(template.columns.order_by("order"))
    out = []
    for row in template.rows.order_by("order"):
        values = grid.get(row.key, {})
        out.append(tuple(_typed(_stored(values, c), c.decimals) for c in columns))
    return tuple(out)


def _typed(value, decimals: int) -> int | Decimal | None:
    if value is None or value == "":
        return None
    number = Decimal(str(value))
    if decimals:
        return number.quantize(Decimal(1).scaleb(-decimals))
    return int(number.to_integral_value())


def current_return(*, campaign, template, unit_id, cutoff) -> Return | None:
    return (
        Return.objects.filter(campaign=campaign, template=template, unit_id=unit_id, cutoff=cutoff, is_current=True)
        .order_by("-version")
        .first()
    )


def calendar(campaign: Campaign, user, today: dt.date | None = None) -> list[dict]:
    """Per form and due date: each unit's latest return for that period (submitted, on time, late, missing).

    A 所 sees only its own row (it cannot see the other units' returns, so they would all read 未报).
    The 药械科 has no row (it compiles the district total). Nothing filed after the due date reads 逾期未报 (``overdue``); before it 待报 (``missing``).
    Unscheduled (临时报送) returns follow in a block of their own per form: one line per return, never overdue.
    """
    today = today or timezone.localdate()
    # The 药械科 compiles the district return and reviews; it files no unit return of its own.
    units = [u for u in campaign_units(campaign) if u.kind != UnitKind.SECTION]
    scope = scope_for(user)
    if not scope.district_wide:
        units = [u for u in units if u.pk == scope.unit_id]
    returns = list(
        returns_visible(user).filter(campaign=campaign, unit__isnull=False, unscheduled=False)
        .order_by("due_date_id", "unit_id", "-version")
    )
    unscheduled = list(
        returns_visible(user).filter(campaign=campaign, unscheduled=True, is_current=True)
        .order_by("-cutoff", F("unit__sort_order").asc(nulls_last=True), "unit__code")
    )
    latest = _latest_by_slot(returns)
    blocks = []
    for template in campaign.forms.order_by("code"):
        for due in campaign.due_dates.order_by("due_on"):
            cells = []
            for unit in units:
                ret = latest.get((template.pk, due.pk, unit.pk))
                state = return_state(ret, due.due_on, today)
                cells.append({"unit": unit, "ret": ret, "state": state})
            blocks.append({"template": template, "due": due, "cells": cells,
                           "missing": sum(1 for c in cells if c["state"] in ("missing", "overdue", "draft", "returned"))})
        extra = [r for r in unscheduled if r.template_id == template.pk]
        if extra:
            blocks.append({"template": template, "due": None, "unscheduled": True, "missing": 0,
                           "cells": [{"unit": r.unit, "ret": r, "state": "unscheduled"} for r in extra]})
    return blocks


def year_calendar(year: int, user, today: dt.date | None = None) -> dict:
    """The reporting calendar of every active campaign of ``year``, special campaigns and annual returns alike.

    ``campaigns``: ``[{"campaign", "blocks" (as ``calendar``), "missing"}]`` in start-date order; a 所 sees
    only the campaigns it takes part in, and in each only its own row. ``due_dates``: the year's due dates in
    order, each with what falls due then (``[{"due_on", "items": [{"campaign", "block"}], "missing"}]``).
    """
    today = today or timezone.localdate()
    scope = scope_for(user)
    found = []
    for campaign in (Campaign.objects.filter(year=year, is_active=True)
                     .prefetch_related("units").order_by("start_date", "pk")):
        blocks = calendar(campaign, user, today=today)
        if not scope.district_wide and not any(b["cells"] for b in blocks):
            continue  # a campaign this 所 takes no part in
        found.append({"campaign": campaign, "blocks": blocks, "missing": sum(b["missing"] for b in blocks)})
    by_day: dict[dt.date, list[dict]] = {}
    for entry in found:
        for block in entry["blocks"]:
            if block["due"] is not None:
                by_day.setdefault(block["due"].due_on, []).append({"campaign": entry["campaign"], "block": block})
    due_dates = [{"due_on": day, "items": items, "missing": sum(i["block"]["missing"] for i in items),
                  "past": day < today}
                 for day, items in sorted(by_day.items())]
    return {"campaigns": found, "due_dates": due_dates}


def calendar_years() -> list[int]:
    """The years the calendar can show: those with a campaign, and the current one."""
    years = set(Campaign.objects.values_list("year", flat=True)) | {timezone.localdate().year}
    return sorted(years, reverse=True)


def _latest_by_slot(returns) -> dict[tuple[int, int, int], Return]:
    """(form, due date, unit) → the return that stands for it: a filed one before a draft, then the latest."""
    latest: dict[tuple[int, int, int], Return] = {}
    for ret in returns:
        key = (ret.template_id, ret.due_date_id, ret.unit_id)
        best = latest.get(key)
        rank = (ret.status != "draft", ret.cutoff, ret.version)
        if best is None or rank > (best.status != "draft", best.cutoff, best.version):
            latest[key] = ret
    return latest


# States of a (form, due date, unit) slot that count as filed (已上报).
FILED_STATES = ("on_time", "late")


def return_state(ret: Return | None, due_on: dt.date, today: dt.date) -> str:
    """The state of a slot on the reporting calendar: overdue (逾期未报), missing (待报), draft, returned,
    on_time or late. The one rule of 应报/已报/逾期, shared by the calendar and the cockpit."""
    if ret is None and due_on < today:
        return "overdue"
    if ret is None or ret.submitted_at is None:
        return "missing" if ret is None else "draft"
    if ret.status == "returned":
        return "returned"
    if ret.submitted_on_time:
        return "on_time"
    return "late"


@dataclass(frozen=True)
class ReturnSlot:
    """One return a unit must file (a form of a campaign for one due date) and its state as of a day."""

    unit_id: int
    due_on: dt.date
    state: str
    approved: bool

    @property
    def filed(self) -> bool:
        return self.state in FILED_STATES


def return_slots(*, start: dt.date, as_of: dt.date) -> list[ReturnSlot]:
    """Every return due from ``start`` to ``as_of`` (each form of each campaign × due date × filing unit, the
    calendar's slots, all campaigns, all units), in the state it had at the end of ``as_of``.

    A return submitted after ``as_of`` reads as not yet submitted; one reads approved when it is approved now and
    was reviewed by ``as_of``. Five queries.
    """
    dues = list(CampaignDueDate.objects.filter(due_on__gte=start, due_on__lte=as_of).select_related("campaign")
                .prefetch_related("campaign__units", "campaign__forms"))
    stations = None
    end = dt.datetime.combine(as_of, dt.time.max, tzinfo=timezone.get_current_timezone())
    returns = list(Return.objects.filter(due_date__in=dues, unit__isnull=False, unscheduled=False)
                   .select_related("due_date").order_by("due_date_id", "unit_id", "-version"))
    for ret in returns:
        if ret.submitted_at is not None and ret.submitted_at > end:
            ret.submitted_at = None  # not yet submitted on that day (an in-memory view, never saved)
    latest = _latest_by_slot(returns)
    slots = []
    for due in dues:
        units = list(due.campaign.units.all())
        if not units:
            if stations is None:
                stations = list(Unit.objects.filter(kind=UnitKind.STATION))
            units = stations
        for template in due.campaign.forms.all():
            for unit in units:
                if unit.kind == UnitKind.SECTION:
                    continue
                ret = latest.get((template.pk, due.pk, unit.pk))
                state = return_state(ret, due.due_on, as_of + dt.timedelta(days=1))
                approved = (ret is not None and state in FILED_STATES and ret.status == "approved"
                            and ret.reviewed_at is not None and ret.reviewed_at <= end)
                slots.append(ReturnSlot(unit.pk, due.due_on, state, approved))
    return slots
