"""The UDI rollout's rules, in one place: which hospitals count, the coverage target, the batch dates.

- Hospitals: every supervised (``ACTIVE_STATUSES``) use unit that is a hospital graded 三级甲等. The plan
  asks for 综合三甲医院, but the registry does not record 综合 vs 专科, so coverage counts every 三级甲等
  hospital (the pages say so: :data:`HOSPITAL_SCOPE_NOTE`).
- Target: 100% applied by ``DutyYear.udi_target_on`` (默认12月31日), read through the year's duty settings.
- Batches (domain §3.5): the date from which products of each batch must carry UDI (by production date).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.choices import ACTIVE_STATUSES, HospitalGrade, InstitutionType
from enterprises.duties.choices import UdiBatch
from enterprises.duties.settings import duty_settings_for_year  # the one reader of a year's duty settings

HOSPITAL_SCOPE_NOTE = _("按全部三级甲等医院统计（企业名录未区分综合医院与专科医院）")
TARGET_PERCENT = 100  # 三甲医院UDI全覆盖 (plan 二.(四).1)


def udi_hospital_q() -> Q:
    """The hospitals the UDI coverage counts (on ``Enterprise``)."""
    return Q(is_user_unit=True, institution_type=InstitutionType.HOSPITAL,
             hospital_grade=HospitalGrade.GRADE_3A, status__in=ACTIVE_STATUSES)


def udi_manufacturer_q() -> Q:
    """The local manufacturers and registrants whose UDI coding is followed (on ``Enterprise``)."""
    return (Q(is_manufacturer=True) | Q(is_registrant=True) | Q(is_contract_manufacturer=True)) & Q(
        status__in=ACTIVE_STATUSES)


@dataclass(frozen=True)
class BatchInfo:
    batch: str
    label: str
    scope: str
    starts_on: datetime.date | None


# The implementation batches (默认值，可修改 here only): products made on/after ``starts_on`` carry UDI.
BATCHES: tuple[BatchInfo, ...] = (
    BatchInfo(UdiBatch.BATCH_1, UdiBatch.BATCH_1.label, _("9大类69个品种高风险第三类医疗器械"),
              datetime.date(2021, 1, 1)),
    BatchInfo(UdiBatch.BATCH_2, UdiBatch.BATCH_2.label, _("其余第三类医疗器械（含体外诊断试剂）"),
              datetime.date(2022, 6, 1)),
    BatchInfo(UdiBatch.BATCH_3, UdiBatch.BATCH_3.label,
              _("103个品种第二类医疗器械（使用量大的一次性使用产品、集采中选产品、医疗美容相关产品）"),
              datetime.date(2024, 6, 1)),
    BatchInfo(UdiBatch.NOT_IN_SCOPE, UdiBatch.NOT_IN_SCOPE.label, _("其余第二类、第一类医疗器械"),
              None),
)


def batch_info(batch: str) -> BatchInfo:
    return next(b for b in BATCHES if b.batch == batch)


def udi_target_on(year: int) -> datetime.date:
    """The date by which every counted hospital should apply UDI (the year's duty settings)."""
    return duty_settings_for_year(year).udi_target_on or datetime.date(year, 12, 31)

