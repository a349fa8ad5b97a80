"""Plausibility rules on a computed return, reported as warnings (never blocking)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.exporters.layout import Warning

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
