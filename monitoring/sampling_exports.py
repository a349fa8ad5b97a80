"""The sample list's export (a download-centre job), registered from ``monitoring/list_exports.py``."""

from __future__ import annotations

from inspections.exports import column_sheet
from inspections.filters import filtered
from monitoring.filters_sampling import SampleFilterSet
from monitoring.sampling_selectors import samples_for
from regsys.exports import ListExport, register


def _d(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


SAMPLE_COLUMNS = [
    ("抽样单号", lambda s: s.sample_no, 18),
    ("计划年度", lambda s: s.task.year, 9),
    ("抽检级别", lambda s: s.task.get_level_display(), 9),
    ("抽检任务", lambda s: s.task.name, 30),
    ("被抽样单位", lambda s: s.enterprise.name, 30),
    ("统一社会信用代码", lambda s: s.enterprise.credit_code, 22),
    ("抽样环节", lambda s: s.get_link_display(), 10),
    ("抽样单位", lambda s: s.unit.display_name, 12),
    ("产品名称", lambda s: s.product_name, 24),
    ("注册人/备案人", lambda s: s.registrant_name, 24),
    ("注册证编号/备案编号", lambda s: s.registration_number, 24),
    ("规格型号", lambda s: s.model_spec, 14),
    ("批号/编号", lambda s: s.batch, 14),
    ("抽样数量", lambda s: s.quantity, 10),
    ("抽样日期", lambda s: _d(s.sampled_on), 12),
    ("抽样人员", lambda s: "、".join(o.display_name for o in s.officers.all()), 18),
    ("检验机构", lambda s: s.lab, 24),
    ("检验报告编号", lambda s: s.report_no, 18),
    ("检验结论", lambda s: s.get_conclusion_display(), 10),
    ("不合格项目", lambda s: s.failed_items, 24),
    ("复检", lambda s: s.get_retest_display(), 14),
    ("待办环节", lambda s: s.get_next_step_display() or "已办结", 14),
    ("待办期限", lambda s: _d(s.next_due_on), 12),
]


def _sample_sheets(request):
    queryset = samples_for(request.user).prefetch_related("officers").order_by("-sampled_on", "-pk")
    _f, qs = filtered(request, queryset=queryset, filterset_class=SampleFilterSet)
    return [column_sheet(title="抽检样品", columns=SAMPLE_COLUMNS, queryset=qs)]


register(ListExport(name="sampling_samples", title="抽检样品", sheets=_sample_sheets))
