"""Excel sheets of the registry: data in, rows out for the streaming writer (no queries beyond iteration)."""

from __future__ import annotations

from collections.abc import Iterable

from enterprises.models import Enterprise, Licence
from regsys.exports import Sheet

ENTERPRISE_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("企业名称", 36), ("统一社会信用代码", 22), ("企业类别", 30), ("产品领域", 24),
    ("街道/镇", 12), ("监管单位", 16), ("经营状态", 10), ("法定代表人", 12), ("企业负责人", 12),
    ("质量负责人", 12), ("联系电话", 16), ("经营/生产地址", 36), ("证照", 40), ("医院等级", 12),
]
LICENCE_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("证照类型", 24), ("证照编号", 28), ("企业名称", 36), ("统一社会信用代码", 22),
    ("监管单位", 16), ("发证机关", 20), ("发证日期", 12), ("有效期至", 12), ("剩余天数", 10), ("状态", 8),
]


def enterprises_sheet(enterprises: Iterable[Enterprise], *, total: int | None = None) -> Sheet:
    """The enterprise list as shown (tags and licences must be prefetched by the caller)."""

    def rows():
        for index, e in enumerate(enterprises, start=1):
            yield [
                index, e.name, e.credit_code, "、".join(e.role_labels()),
                "、".join(str(t) for t in e.tags.all()), e.subdistrict.name, e.owning_unit.name,
                e.get_status_display(), e.legal_representative, e.person_in_charge, e.quality_manager,
                e.phone, e.business_address,
                "；".join(f"{lic.get_kind_display()} {lic.number}" for lic in e.licences.all()),
                e.get_hospital_grade_display(),
            ]

    return Sheet(title="企业名录", headers=[name for name, _w in ENTERPRISE_COLUMNS], rows=rows(), total=total,
                 widths=[w for _n, w in ENTERPRISE_COLUMNS], auto_filter=True)


def licences_sheet(licences: Iterable[Licence], *, today, total: int | None = None) -> Sheet:
    def rows():
        for index, lic in enumerate(licences, start=1):
            days_left = (lic.expires_on - today).days if lic.expires_on else None
            yield [
                index, lic.get_kind_display(), lic.number, lic.enterprise.name, lic.enterprise.credit_code,
                lic.enterprise.owning_unit.name, lic.issuer, lic.issued_on, lic.expires_on, days_left,
                lic.get_status_display(),
            ]

    return Sheet(title="证照", headers=[name for name, _w in LICENCE_COLUMNS], rows=rows(), total=total,
                 widths=[w for _n, w in LICENCE_COLUMNS], auto_filter=True,
                 number_formats={8: "yyyy-mm-dd", 9: "yyyy-mm-dd"})
