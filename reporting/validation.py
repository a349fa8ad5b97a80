"""Plausibility rules on a computed return, and records it may be missing, reported as warnings (never blocking)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import F, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, FormTemplate, RecordScope
from enterprises.models import Unit
from inspections.choices import InspectionStatus
from inspections.models import Case, Inspection, Interview, Referral
from reporting.exporters.layout import Warning
from reporting.metrics import form_enterprises_sql

UNLINKED_LISTED = 200  # at most this many unlinked records are listed one by one; the rest as a count

# (smaller metric, larger metric, rule text): the first must not exceed the second in any row.
PAIR_RULES: list[tuple[str, str, str]] = [
    ("rectification_completed", "ordered_to_correct", "完成整改家次不应大于责令改正家次"),
    ("ordered_to_correct", "enterprises_inspected", "检查企业家次应不小于责令改正家次"),
    ("ordered_suspension", "cases_investigated", "责令停产停业数不应大于查处案件数"),
    ("licenses_revoked", "cases_investigated", "吊销许可证数不应大于查处案件数"),
    ("cases_to_police", "cases_investigated", "移送公安机关案件数一般不大于查处案件数"),
]


def check_grid(*, sheet: str, rows: list, labels: dict[str, str], metric_labels: dict[str, str],
               grid: dict[str, dict[str, int | Decimal]]) -> list[Warning]:
    """Warnings for one filled copy. ``rows`` are (key, parent_key) in form order."""
    warnings: list[Warning] = []
    for key, parent_key in rows:
        values = grid.get(key, {})
        label = labels[key]
        for metric, value in values.items():
            if value < 0:
                warnings.append(Warning(sheet, label, _("数值不能为负"), f"{metric_labels[metric]}={value}"))
        if parent_key:
            parent = grid.get(parent_key, {})
            for metric, value in values.items():
                if metric in parent and value > parent[metric]:
                    warnings.append(Warning(
                        sheet, label, _("“其中”行不应大于所属行"),
                        f"{metric_labels[metric]}：{value} > {labels[parent_key]} {parent[metric]}",
                    ))
        for small, large, text in PAIR_RULES:
            if small in values and large in values and values[small] > values[large]:
                warnings.append(Warning(
                    sheet, label, _(text),
                    f"{metric_labels[small]}={values[small]}，{metric_labels[large]}={values[large]}",
                ))
        if "staff_dispatched" in values and "enterprises_inspected" in values:
            if values["staff_dispatched"] < 2 * values["enterprises_inspected"]:
                warnings.append(Warning(
                    sheet, label, _("每次现场检查应有两名以上执法人员"),
                    f"{metric_labels['staff_dispatched']}={values['staff_dispatched']}，"
                    f"{metric_labels['enterprises_inspected']}={values['enterprises_inspected']}",
                ))
    return warnings


# kind label, queryset, date field, the page where the record's 所属专项整治 is set (by the record's pk)
UNLINKED_SOURCES = [
    (gettext_lazy("检查"), lambda: Inspection.objects.filter(status=InspectionStatus.FINALISED), "start_date",
     lambda pk: reverse("inspections:campaigns", args=[pk])),
    (gettext_lazy("约谈"), lambda: Interview.objects.all(), "held_on",
     lambda pk: reverse("inspections:interview_campaigns", args=[pk])),
    (gettext_lazy("移送/移交"), lambda: Referral.objects.all(), "referred_on",
     lambda pk: reverse("inspections:referral_campaigns", args=[pk])),
    (gettext_lazy("案件"), lambda: Case.objects.all(), None, lambda pk: reverse("inspections:case_edit", args=[pk])),
]


def unlinked_records(*, campaign: Campaign, template: FormTemplate, unit: Unit | None, cutoff: dt.date,
                     sheet: str) -> list[Warning]:
    """Records that look in the campaign's scope but are not linked to it, so the return leaves them out.

    In scope (``campaigns.rows.campaign_enterprises_q``, computed as ``metrics.form_enterprises_sql``): the enterprise is in a row of this form (a record
    only another form of the campaign counts is that form's warning) and the record's date is inside the
    campaign's window; here also on or before the cut-off, and the unit's own records for a unit's return
    (every record of the district for 全区). A case's date is the one the template counts cases by.

    One statement for every kind of record: the enterprises in scope are selected once (the row masks
    of the return's own statement, a common table expression the kinds share), and for each kind the database returns its
    first ``UNLINKED_LISTED`` records by date with the kind's total count (a window count), so nothing is
    read into Python beyond what is listed. Each listed record links to the page where it is fixed.
    """
    if template.record_scope == RecordScope.ALL:  # every record counts, linked or not: nothing is left out
        return []
    rule = _("在专项范围内（企业属于报表所列企业，日期在专项期间内）但未关联本专项，未计入本表")
    rows = list(template.rows.order_by("order"))
    if not rows:  # a form without rows selects no enterprise
        return []
    scope_sql, scope_params = form_enterprises_sql(rows)
    parts, params = [], list(scope_params)
    for index, (_label, base, date_field, _url) in enumerate(UNLINKED_SOURCES):
        field = date_field or template.case_count_date
        records: QuerySet = base().filter(**{
            f"{field}__gte": campaign.start_date, f"{field}__lte": min(campaign.end_date, cutoff),
        }).exclude(campaigns=campaign)
        if unit is not None:
            records = records.filter(unit=unit)
        records = records.order_by().annotate(
            r_kind=Value(index), r_day=F(field), r_enterprise=F("enterprise_id"), r_name=F("enterprise__name"),
            r_short=F("unit__short_name"), r_unit=F("unit__name"),
        ).values_list("r_kind", "r_day", "pk", "r_name", "r_short", "r_unit", "r_enterprise")
        sql, kind_params = records.query.sql_with_params()
        # joined to the masks (one row per enterprise): a hash join, not a probe per enterprise in scope
        parts.append(
            f"SELECT * FROM (SELECT r.*, COUNT(*) OVER () AS matching FROM ({sql}) r "
            f"JOIN masks ON masks.enterprise_id = r.r_enterprise ORDER BY 2, 3 LIMIT {UNLINKED_LISTED}) unlinked_{index}"
        )
        params.extend(kind_params)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE {scope_sql} " + " UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    found, counts = [], {}
    for index, day, pk, name, short_name, unit_name, _enterprise, matching in rows:
        label, _base, _field, url = UNLINKED_SOURCES[index]
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])  # SQLite: text
        counts[index] = matching
        found.append((day, str(label), pk, name, f"{label} {day:%Y-%m-%d}，{short_name or unit_name}", url(pk)))
    found.sort(key=lambda item: item[:3])  # by date, then kind, then record
    warnings = [Warning(sheet, name, rule, detail, link)
                for _day, _label, _pk, name, detail, link in found[:UNLINKED_LISTED]]
    total = sum(counts.values())
    if total > UNLINKED_LISTED:
        warnings.append(Warning(sheet, _("其余记录"), rule, _("另有 %(n)d 条未逐条列出") % {"n": total - UNLINKED_LISTED}))
    return warnings
