"""The suspension list's export (a download-centre job, ``regsys.exports``); registered from ``list_exports``."""

from __future__ import annotations

from django.utils import timezone

from enterprises.suspension_views import filtered_suspensions
from regsys.exports import CHUNK, ListExport, Sheet, register, row_fill

HEADERS = ["企业名称", "统一社会信用代码", "监管单位", "停产类型", "停产日期", "停产原因", "来源", "原因分析",
           "整改情况", "整改记录日期", "复产日期", "停产天数", "复产报告", "复产说明", "状态"]


def _suspension_sheets(request) -> list[Sheet]:
    qs = filtered_suspensions(request)
    today = timezone.localdate()
    rows = (
        (s.enterprise.name, s.enterprise.credit_code, s.enterprise.owning_unit.display_name, s.get_kind_display(),
         s.started_on, s.reason, s.source_label, s.cause, s.rectification, s.rectification_recorded_on,
         s.resumed_on, ((s.resumed_on or today) - s.started_on).days, "已上传" if s.resume_report else "",
         s.resume_note, "已复产" if s.resumed_on else "停产中", row_fill("secondary" if s.resumed_on else "warning"))
        for s in qs.iterator(chunk_size=CHUNK)
    )
    return [Sheet(title="停产记录", headers=HEADERS, rows=rows, total=qs.count(),
                  number_formats={5: "yyyy-mm-dd", 10: "yyyy-mm-dd", 11: "yyyy-mm-dd"})]


register(ListExport(name="suspensions", title="停产记录", sheets=_suspension_sheets))
