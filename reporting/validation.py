"""Plausibility rules on a computed return, and records it may be missing, reported as warnings (never blocking)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.models import Campaign, FormTemplate, RecordScope
from campaigns.rows import TagIndex, in_campaign_scope
from enterprises.models import Unit
from inspections.choices import InspectionStatus
from inspections.models import Case, Inspection, Interview, Referral
from reporting.exporters.layout import Warning

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


# kind label, queryset, date field, the page where the record's 所属专项整治 is set
UNLINKED_SOURCES = [
    (gettext_lazy("检查"), lambda: Inspection.objects.filter(status=InspectionStatus.FINALISED), "start_date",
     lambda r: reverse("inspections:campaigns", args=[r.pk])),
    (gettext_lazy("约谈"), lambda: Interview.objects.all(), "held_on",
     lambda r: reverse("inspections:interview_campaigns", args=[r.pk])),
    (gettext_lazy("移送/移交"), lambda: Referral.objects.all(), "referred_on",
     lambda r: reverse("inspections:referral_campaigns", args=[r.pk])),
    (gettext_lazy("案件"), lambda: Case.objects.all(), None, lambda r: reverse("inspections:case_edit", args=[r.pk])),
]


def unlinked_records(*, campaign: Campaign, template: FormTemplate, unit: Unit | None, cutoff: dt.date,
                     sheet: str) -> list[Warning]:
    """Records that look in the campaign's scope but are not linked to it, so the return leaves them out.

    In scope (``campaigns.rows.in_campaign_scope``): the enterprise is in a row of this form (a record
    only another form of the campaign counts is that form's warning) and the record's date is inside the campaign's window; here also on or before the cut-off, and the
    unit's own records for a unit's return (every record of the district for 全区). A case's date is the
    one the template counts cases by. One query per kind of record, each with a link to fix the record.
    """
    if template.record_scope == RecordScope.ALL:  # every record counts, linked or not: nothing is left out
        return []
    tags = TagIndex()
    found: list[tuple[dt.date, str, str, str, str]] = []
    for label, base, date_field, url in UNLINKED_SOURCES:
        field = date_field or template.case_count_date
        records: QuerySet = in_campaign_scope(base(), campaign=campaign, date_field=field, tags=tags,
                                              template=template)
        records = records.filter(**{f"{field}__lte": cutoff}).exclude(campaigns=campaign)
        if unit is not None:
            records = records.filter(unit=unit)
        for record in records.select_related("enterprise", "unit").order_by(field, "pk"):
            day = getattr(record, field)
            found.append((day, str(label), record.enterprise.name, f"{label} {day:%Y-%m-%d}，{record.unit.display_name}",
                          url(record)))
    found.sort(key=lambda item: (item[0], item[1]))
    rule = _("在专项范围内（企业属于报表所列企业，日期在专项期间内）但未关联本专项，未计入本表")
    warnings = [Warning(sheet, name, rule, detail, link) for _day, _label, name, detail, link in found[:UNLINKED_LISTED]]
    if len(found) > UNLINKED_LISTED:
        warnings.append(Warning(sheet, _("其余记录"), rule, _("另有 %(n)d 条未逐条列出") % {"n": len(found) - UNLINKED_LISTED}))
    return warnings
