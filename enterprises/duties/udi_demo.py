"""Demo of the UDI rollout: the district's 三甲 hospitals at mixed status this year, a few manufacturers'
coding records per batch (in the demo's random generator, so the same seed gives the same records)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from enterprises.duties.choices import UdiBatch, UdiCoding, UdiStatus
from enterprises.duties.udi_rules import udi_hospital_q, udi_manufacturer_q
from enterprises.models import Enterprise, HospitalUdi, ManufacturerUdi, User

# A one-page PDF standing in for the scanned acceptance letter of a hospital's UDI system.
EVIDENCE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
                b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
HOSPITAL_NOTES = {
    UdiStatus.APPLIED: "UDI已接入医院耗材管理系统（SPD），高值耗材入库扫码验收、植入记录可追溯",
    UdiStatus.DEPLOYING: "已完成信息系统改造招标，正在与供应商对接产品标识数据",
    UdiStatus.NOT_STARTED: "",
}
PRODUCTS = {
    UdiBatch.BATCH_1: "心脏起搏器、血管支架",
    UdiBatch.BATCH_2: "一次性使用输液泵、体外诊断试剂",
    UdiBatch.BATCH_3: "一次性使用无菌注射器、医用外科口罩",
}


def seed(ctx) -> str:
    rng = ctx.rng("udi")
    year = ctx.year
    staff = User.objects.filter(username="yaoxie1").first()
    hospitals = list(Enterprise.objects.filter(udi_hospital_q()).order_by("name"))
    cycle = [UdiStatus.APPLIED, UdiStatus.DEPLOYING, UdiStatus.NOT_STARTED]
    for i, hospital in enumerate(hospitals):
        status = cycle[i % len(cycle)]
        if status == UdiStatus.NOT_STARTED:
            continue  # no row: 未启动 until someone records it
        on = min(ctx.today, dt.date(year, rng.randint(1, 9), rng.randint(1, 28)))
        record = HospitalUdi(enterprise=hospital, year=year, status=status, status_on=on,
                             note=HOSPITAL_NOTES[status], updated_by=staff)
        if status == UdiStatus.APPLIED:
            record.evidence.save("udi-evidence.pdf", ContentFile(EVIDENCE_PDF), save=False)
        record.save()
    local = Enterprise.objects.filter(udi_manufacturer_q()).order_by("name")
    makers = list(local.filter(max_device_class="3")[:3]) + list(local.filter(max_device_class="2")[:3])
    records = 0
    for maker in makers:
        batches = [UdiBatch.BATCH_3] if maker.max_device_class == "2" else [UdiBatch.BATCH_2, UdiBatch.BATCH_3]
        for batch in batches:
            coding = [UdiCoding.CODED, UdiCoding.PARTIAL, UdiCoding.NOT_CODED][records % 3]
            ManufacturerUdi.objects.create(
                enterprise=maker, batch=batch, coding=coding, products=PRODUCTS[batch],
                checked_on=min(ctx.today, dt.date(year, rng.randint(1, 10), rng.randint(1, 28))),
                note="" if coding == UdiCoding.CODED else "已责令按批次要求完成赋码并上传产品标识数据", updated_by=staff)
            records += 1
    return f"{len(hospitals)} 家三甲医院的UDI应用情况，{records} 条生产企业赋码记录"
