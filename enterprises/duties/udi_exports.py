"""List exports of the UDI rollout (download-centre jobs, as filtered on the page)."""

from __future__ import annotations

from enterprises.duties import udi_selectors as selectors
from enterprises.duties.choices import UdiStatus
from enterprises.duties.udi_filters import HospitalUdiFilterSet, ManufacturerUdiFilterSet, filtered, year_of
from regsys.exports import CHUNK, ListExport, Sheet, register, row_fill

STATUS_LABELS = dict(UdiStatus.choices)
STATUS_FILL = {UdiStatus.APPLIED: "success", UdiStatus.DEPLOYING: "warning", UdiStatus.NOT_STARTED: "secondary"}


def _hospital_sheets(request) -> list[Sheet]:
    year = year_of(request.GET)
    _, qs = filtered(request, queryset=selectors.hospital_udi_list(user=request.user, year=year),
                     filterset_class=HospitalUdiFilterSet)
    rows = ((year, h.name, h.credit_code, h.owning_unit.display_name, h.subdistrict.name,
             str(STATUS_LABELS[h.udi_status]), h.udi_status_on, "有" if h.udi_evidence else "无", h.udi_note,
             row_fill(STATUS_FILL[h.udi_status]))
            for h in qs.iterator(chunk_size=CHUNK))
    headers = ["年度", "医院名称", "统一社会信用代码", "监管单位", "街道/镇", "UDI应用状态", "状态日期", "佐证材料", "说明"]
    return [Sheet(title="三甲医院UDI应用", headers=headers, rows=rows, total=qs.count(), number_formats={7: "yyyy-mm-dd"})]


def _manufacturer_sheets(request) -> list[Sheet]:
    _, qs = filtered(request, queryset=selectors.manufacturer_udi_list(user=request.user),
                     filterset_class=ManufacturerUdiFilterSet)
    rows = ((r.enterprise.name, r.enterprise.credit_code, r.enterprise.owning_unit.display_name, r.get_batch_display(),
             r.get_coding_display(), r.products, r.checked_on, r.note, str(r.updated_by or ""))
            for r in qs.iterator(chunk_size=CHUNK))
    headers = ["企业名称", "统一社会信用代码", "监管单位", "实施批次", "赋码情况", "涉及产品", "核查日期", "说明", "维护人"]
    return [Sheet(title="生产企业UDI赋码", headers=headers, rows=rows, total=qs.count(), number_formats={7: "yyyy-mm-dd"})]


register(ListExport(name="udi_hospitals", title="三甲医院UDI应用", sheets=_hospital_sheets))
register(ListExport(name="udi_manufacturers", title="生产企业UDI赋码", sheets=_manufacturer_sheets))
