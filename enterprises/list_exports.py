"""The enterprises app's list exports (regsys/exports.py): registry, licences, grades and credit records."""

from __future__ import annotations

from django.utils import timezone

from enterprises import exporters, selectors
from enterprises.filters import EnterpriseFilterSet, LicenceFilterSet
from enterprises.grading.views import _filtered_credit, _filtered_grades
from regsys.exports import CHUNK, ListExport, Sheet, register


def _enterprise_sheets(request) -> list[Sheet]:
    queryset = selectors.enterprise_list(user=request.user).prefetch_related("licences")
    qs = EnterpriseFilterSet(request.GET, queryset=queryset, request=request).qs
    return [exporters.enterprises_sheet(qs.iterator(chunk_size=CHUNK), total=qs.count())]


def _licence_sheets(request) -> list[Sheet]:
    today = timezone.localdate()
    queryset = selectors.licences_expiring(user=request.user, today=today)
    qs = LicenceFilterSet(request.GET, queryset=queryset, request=request).qs
    return [exporters.licences_sheet(qs.iterator(chunk_size=CHUNK), today=today, total=qs.count())]


def _grade_sheets(request) -> list[Sheet]:
    qs = _filtered_grades(request).qs
    rows = (
        (g.year, g.enterprise.name, g.enterprise.credit_code, g.enterprise.owning_unit.display_name,
         g.get_sector_display(), g.level.name, "是" if g.is_key else "否", g.proposed_level.name,
         "；".join(f"{r['name']}（{r['note']}）" for r in g.reasons), g.get_status_display(), g.change_reason,
         str(g.approved_by or ""), timezone.localtime(g.approved_at).strftime("%Y-%m-%d") if g.approved_at else "")
        for g in qs.iterator(chunk_size=CHUNK)
    )
    headers = ["年度", "企业名称", "统一社会信用代码", "监管单位", "环节", "监管等级", "重点监管", "系统建议等级",
               "命中标准", "状态", "调整理由", "审批人", "审批日期"]
    return [Sheet(title="企业监管等级", headers=headers, rows=rows, total=qs.count())]


def _credit_sheets(request) -> list[Sheet]:
    qs = _filtered_credit(request).qs
    rows = ((r.enterprise.name, r.enterprise.credit_code, r.enterprise.owning_unit.display_name, r.get_kind_display(),
             r.recorded_on, r.valid_until, r.reason, str(r.created_by or ""))
            for r in qs.iterator(chunk_size=CHUNK))
    headers = ["企业名称", "统一社会信用代码", "监管单位", "类型", "记录日期", "有效期至", "事由", "录入人"]
    return [Sheet(title="信用记录", headers=headers, rows=rows, total=qs.count())]


register(ListExport(name="enterprises", title="企业名录", sheets=_enterprise_sheets))
register(ListExport(name="licences_expiring", title="证照到期提醒", sheets=_licence_sheets))
register(ListExport(name="grades", title="企业监管等级", sheets=_grade_sheets))
register(ListExport(name="credit_records", title="信用记录", sheets=_credit_sheets))

# Other registry lists register their exports in modules of their own (autodiscovery finds this module only).
from enterprises import suspension_exports  # noqa: E402, F401, I001
from enterprises.duties import filing_exports, udi_exports, warehouses_exports, zombie_exports  # noqa: E402, F401, I001
