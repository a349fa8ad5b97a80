"""The clean-up cases' list export (download centre), the page's filters applied for the job's user."""

from __future__ import annotations

from enterprises.duties.zombie_views import _filtered_cases
from regsys.exports import CHUNK, ListExport, Sheet, register

HEADERS = ["清理年度", "企业名称", "统一社会信用代码", "承办单位", "列为候选原因", "进度", "核查日期", "核查情况",
           "告知方式", "告知/公告日期", "告知书/公告编号", "处理方式", "决定文号", "决定/办结日期", "处理情况",
           "企业当前状态"]


def _case_sheets(request) -> list[Sheet]:
    qs = _filtered_cases(request).qs
    rows = (
        (c.year, c.enterprise.name, c.enterprise.credit_code, c.unit.display_name, c.reason_text,
         c.get_stage_display(), c.verified_on, c.verification, c.get_notice_kind_display(), c.notice_on,
         c.notice_ref, c.get_clearance_kind_display(), c.decision_no, c.decision_on, c.outcome_note,
         c.enterprise.get_status_display())
        for c in qs.iterator(chunk_size=CHUNK)
    )
    return [Sheet(title="僵尸企业清理台账", headers=HEADERS, rows=rows, total=qs.count())]


register(ListExport(name="zombie_cases", title="僵尸企业清理台账", sheets=_case_sheets))
