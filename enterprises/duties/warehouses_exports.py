"""List exports of the 委托生产 pairs and the 异地设库 warehouses (download-centre jobs; regsys/exports.py).

Registered from ``enterprises/list_exports.py`` (one import line), which the download centre discovers.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from enterprises.duties import warehouses_selectors as selectors
from enterprises.duties.warehouses_filters import PairFilterSet, WarehouseFilterSet, filtered
from regsys.exports import CHUNK, ListExport, Sheet, register


def _date(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _pair_sheets(request) -> list[Sheet]:
    year = timezone.localdate().year
    _f, qs = filtered(request, queryset=selectors.pair_list(user=request.user).order_by(
        "-is_active", "registrant_name", "product", "pk"), filterset_class=PairFilterSet)
    rows_by_pk = {r.pk: r for r in selectors.pair_rows(year)}

    def state(pk: int) -> str:
        row = rows_by_pk.get(pk)
        if row is None:
            return "不计入"
        return "已覆盖" if row.covered else "未覆盖"

    rows = ((p.registrant_name, "本区" if p.registrant_id else "区外",
             p.registrant.owning_unit.display_name if p.registrant_id else "",
             p.manufacturer_name, "本区" if p.manufacturer_id else "区外",
             p.manufacturer.owning_unit.display_name if p.manufacturer_id else "",
             p.product, p.registration_number, _date(p.agreement_signed_on), _date(p.agreement_expires_on),
             "是" if p.cross_region else "否", p.other_region, "有效" if p.is_active else "已终止",
             _date(p.ended_on), state(p.pk), p.note)
            for p in qs.iterator(chunk_size=CHUNK))
    headers = ["注册人/备案人", "注册人所在", "注册人监管单位", "受托生产企业", "受托方所在", "受托方监管单位", "产品名称",
               "注册证编号/备案编号", "协议签订日期", "协议到期日期", "跨区域委托", "对方所在地", "状态", "终止日期",
               f"{year}年全覆盖检查", "备注"]
    return [Sheet(title="委托生产关系", headers=headers, rows=rows, total=qs.count())]


def _warehouse_sheets(request) -> list[Sheet]:
    queryset = selectors.warehouse_list(user=request.user).annotate(exchange_count=Count("exchanges"))
    _f, qs = filtered(request, queryset=queryset, filterset_class=WarehouseFilterSet)
    rows = ((w.home_name, w.home_licence_no, w.home_bureau, w.enterprise.name, w.address, w.subdistrict.name,
             w.daily_unit.display_name, w.area_sqm, "已建立" if w.remote_monitoring else "未建立",
             _date(w.accepted_on) or "未验收", "在用" if w.is_active else "停用", w.exchange_count)
            for w in qs.iterator(chunk_size=CHUNK))
    headers = ["设库企业", "许可/备案编号", "许可/备案部门", "库房登记企业", "库房地址", "街道/镇", "日常监管单位",
               "面积（平方米）", "计算机远程监控", "药械科验收", "状态", "信息通报记录数"]
    return [Sheet(title="异地设库", headers=headers, rows=rows, total=qs.count())]


register(ListExport(name="contract_pairs", title="委托生产关系", sheets=_pair_sheets))
register(ListExport(name="warehouses", title="异地设库", sheets=_warehouse_sheets))
