"""Demo 委托生产 pairs and an 异地设库 warehouse (called from ``enterprises.demo.seed``).

Three pairs — two within the district, one with a contract manufacturer in 江苏 — and the first remote warehouse
of the registry with the 药械科's acceptance inspection and two entries in its log with the licensing bureau.
"""

from __future__ import annotations

import datetime as dt

from enterprises.duties.choices import ExchangeKind
from enterprises.models import ContractManufacturing, Enterprise, User, Warehouse, WarehouseExchange

PRODUCTS = [("一次性使用无菌注射器", "浙械注准20232140517"), ("医用透明质酸钠凝胶", "浙械注准20223130288"),
            ("新型冠状病毒抗原检测试剂盒（胶体金法）", "浙械注准20223400921")]


def _signed(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def seed(ctx) -> str:
    today = ctx.today
    section_user = User.objects.filter(username="yaoxie1").first()
    registrants = list(Enterprise.objects.filter(entrusts_production=True).order_by("pk")[:3])
    manufacturers = list(Enterprise.objects.filter(is_contract_manufacturer=True).order_by("pk")[:2])
    pairs = 0
    if len(registrants) == 3 and len(manufacturers) == 2:
        for i, registrant in enumerate(registrants):
            product, number = PRODUCTS[i]
            local = i < 2
            ContractManufacturing.objects.create(
                registrant=registrant, registrant_name=registrant.name,
                manufacturer=manufacturers[i] if local else None,
                manufacturer_name=manufacturers[i].name if local else "苏州康诺医疗器械有限公司",
                product=product, registration_number=number, agreement_signed_on=_signed(today, 400 + 120 * i),
                agreement_expires_on=_signed(today, 400 + 120 * i) + dt.timedelta(days=365 * 3),
                cross_region=not local, other_region="" if local else "江苏省苏州市", created_by=section_user,
                note="" if local else "受托方所在地监管部门负责生产环节监管，双方互相通报检查情况")
            pairs += 1
    entry = Enterprise.objects.filter(is_remote_warehouse=True).select_related("subdistrict__unit").order_by("pk").first()
    warehouses = 0
    if entry is not None:
        home = entry.name.replace("温州鹿城仓库", "")
        accepted = _signed(today, 75)
        warehouse = Warehouse.objects.create(
            enterprise=entry, home_name=home, home_licence_no="浙杭药监械经营许20190158号",
            home_bureau="杭州市市场监督管理局", address=entry.warehouse_address or entry.business_address or "鹿城区",
            subdistrict=entry.subdistrict, daily_unit=entry.subdistrict.unit, area_sqm=1800, remote_monitoring=True,
            accepted_on=accepted, created_by=section_user)
        WarehouseExchange.objects.create(
            warehouse=warehouse, kind=ExchangeKind.ACCEPTANCE, on=accepted, counterpart="杭州市市场监督管理局",
            content="药械科对库房进行验收检查：冷库、阴凉库温湿度自动监测正常，计算机远程监控可实时查看出入库数据。",
            created_by=section_user)
        WarehouseExchange.objects.create(
            warehouse=warehouse, kind=ExchangeKind.NOTIFY, on=_signed(today, 20), counterpart="杭州市市场监督管理局",
            content=f"通报{entry.subdistrict.unit.short_name or entry.subdistrict.unit.name}日常检查情况：发现1项温湿度记录不完整，已责令整改。",
            created_by=section_user)
        warehouses = 1
    return f"{pairs} 对委托生产关系，{warehouses} 个异地设库"
