"""The campaigns app's list exports (regsys/exports.py): campaigns and form templates."""

from __future__ import annotations

from campaigns.filters import CampaignFilter, template_list_qs
from campaigns.models import Campaign
from regsys.exports import CHUNK, ListExport, Sheet, register


def _campaign_sheets(request) -> list[Sheet]:
    queryset = Campaign.objects.prefetch_related("forms", "due_dates", "units")
    qs = CampaignFilter(request.GET, queryset=queryset, request=request).qs
    rows = ((c.name, c.doc_number, c.year, c.start_date, c.end_date,
             "、".join(u.display_name for u in c.units.all()), "、".join(str(f) for f in c.forms.all()),
             "、".join(f"{d.due_on:%m-%d}" for d in c.due_dates.all()), "是" if c.is_active else "否")
            for c in qs.iterator(chunk_size=CHUNK))
    headers = ["名称", "文号", "年度", "开始日期", "结束日期", "参加单位", "报表", "报送截止日期", "进行中"]
    return [Sheet(title="专项整治", headers=headers, rows=rows, total=qs.count())]


def _template_sheets(request) -> list[Sheet]:
    qs = template_list_qs(request.GET)
    rows = ((str(t), t.code, t.year, t.version, t.rows.count(), t.columns.count(), t.get_case_count_date_display(),
             t.get_interview_count_mode_display()) for t in qs.iterator(chunk_size=CHUNK))
    headers = ["模板", "代码", "年度", "版本", "行数", "列数", "案件计入日期", "约谈计数"]
    return [Sheet(title="报表模板", headers=headers, rows=rows, total=qs.count())]


register(ListExport(name="campaigns", title="专项整治", sheets=_campaign_sheets))
register(ListExport(name="form_templates", title="报表模板", sheets=_template_sheets))
