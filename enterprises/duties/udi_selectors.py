"""Reads of the UDI rollout, scoped to the user's unit: the 三甲 hospitals with their status in a year, the
coverage figure, the manufacturers' coding records and their counts.

Figures take ``(year, unit=None, as_of=None)`` so the cockpit can call them: ``unit`` None is the district,
else the hospitals/manufacturers that unit supervises (``Enterprise.owning_unit``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from enterprises.duties.choices import UdiBatch, UdiCoding, UdiStatus
from enterprises.duties.udi_rules import TARGET_PERCENT, udi_hospital_q, udi_manufacturer_q, udi_target_on
from enterprises.models import Enterprise, HospitalUdi, ManufacturerUdi, Unit
from regsys.scoping import scoped


def _year_record(year: int) -> QuerySet:
    return HospitalUdi.objects.filter(enterprise=OuterRef("pk"), year=year)


def hospitals_with_udi(year: int) -> QuerySet[Enterprise]:
    """Every counted hospital, annotated with the year's ``udi_status`` (未启动 when nobody recorded one),
    ``udi_status_on``, ``udi_record`` (the row's id or None) and ``udi_note``. Not scoped: see
    :func:`hospital_udi_list`."""
    record = _year_record(year)
    return (
        Enterprise.objects.filter(udi_hospital_q())
        .select_related("owning_unit", "subdistrict")
        .annotate(
            udi_status=Coalesce(Subquery(record.values("status")[:1]), Value(UdiStatus.NOT_STARTED.value),
                                output_field=CharField()),
            udi_status_on=Subquery(record.values("status_on")[:1]),
            udi_record=Subquery(record.values("pk")[:1]),
            udi_version=Subquery(record.values("version")[:1]),
            udi_note=Coalesce(Subquery(record.values("note")[:1]), Value(""), output_field=CharField()),
            udi_evidence=Coalesce(Subquery(record.values("evidence")[:1]), Value(""), output_field=CharField()),
        )
    )


def hospital_udi_list(*, user, year: int) -> QuerySet[Enterprise]:
    """The counted hospitals the user may see, with the year's status (see :func:`hospitals_with_udi`)."""
    return scoped(hospitals_with_udi(year), user).order_by("owning_unit__sort_order", "name", "pk")


def hospital_udi_record(*, enterprise: Enterprise, year: int) -> HospitalUdi | None:
    return HospitalUdi.objects.filter(enterprise=enterprise, year=year).select_related("updated_by").first()


def record_history(record) -> list[dict]:
    """A record's changes, newest first, as rows for the page (who, when, what)."""
    if record is None:
        return []
    from enterprises.grading.selectors import history_rows

    return history_rows(record.history.select_related("history_user")[:50], type(record))


@dataclass(frozen=True)
class UdiCoverage:
    """三甲医院UDI应用覆盖率 of a year: hospitals counted, how many applied (by ``as_of``), the target."""

    year: int
    as_of: datetime.date
    hospitals: int
    applied: int
    deploying: int
    target_on: datetime.date
    target_percent: int = TARGET_PERCENT

    @property
    def not_started(self) -> int:
        return self.hospitals - self.applied - self.deploying

    @property
    def percent(self) -> Decimal | None:
        """Applied ÷ hospitals in %, one decimal; None when there is no hospital to count."""
        if not self.hospitals:
            return None
        return (Decimal(self.applied * 100) / self.hospitals).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def met(self) -> bool:
        return self.hospitals > 0 and self.applied * 100 >= self.target_percent * self.hospitals

    @property
    def overdue(self) -> bool:
        """The target date is reached (or passed) without the target met."""
        return self.as_of >= self.target_on and not self.met


def _counted_by(as_of: datetime.date) -> tuple[Q, Q]:
    """(applied, deploying) filters on HospitalUdi rows as they stood on ``as_of`` (by the status date)."""
    dated = Q(status_on__isnull=True) | Q(status_on__lte=as_of)
    return Q(status=UdiStatus.APPLIED) & dated, Q(status=UdiStatus.DEPLOYING) & dated


def udi_coverage(year: int, unit: Unit | None = None, as_of: datetime.date | None = None) -> UdiCoverage:
    """(year, unit=None, as_of=None) -> UdiCoverage: 三甲医院 counted, applied and deploying, the target.

    A hospital counts as applied when its year's status is 已应用 with a status date on or before ``as_of``
    (default today, capped at the year's end); without a row it is 未启动. Two queries.
    """
    as_of = min(as_of or timezone.localdate(), datetime.date(year, 12, 31))
    hospitals = Enterprise.objects.filter(udi_hospital_q())
    if unit is not None:
        hospitals = hospitals.filter(owning_unit=unit)
    applied_q, deploying_q = _counted_by(as_of)
    counts = HospitalUdi.objects.filter(year=year, enterprise__in=hospitals).aggregate(
        applied=Count("pk", filter=applied_q), deploying=Count("pk", filter=deploying_q))
    return UdiCoverage(year=year, as_of=as_of, hospitals=hospitals.count(), applied=counts["applied"],
                       deploying=counts["deploying"], target_on=udi_target_on(year))


def udi_coverage_grouped(year: int, as_of: datetime.date | None = None) -> dict[int | None, UdiCoverage]:
    """(year, as_of=None) -> {owning unit id: UdiCoverage, None: the district's}: the figures of
    :func:`udi_coverage` for every unit that supervises a counted hospital, in two grouped queries."""
    as_of = min(as_of or timezone.localdate(), datetime.date(year, 12, 31))
    target_on = udi_target_on(year)
    hospitals = dict(Enterprise.objects.filter(udi_hospital_q()).values("owning_unit_id")
                     .annotate(n=Count("pk")).order_by().values_list("owning_unit_id", "n"))
    applied_q, deploying_q = _counted_by(as_of)
    counts = {r["enterprise__owning_unit_id"]: r for r in HospitalUdi.objects.filter(
        year=year, enterprise__in=Enterprise.objects.filter(udi_hospital_q())).values("enterprise__owning_unit_id")
        .annotate(applied=Count("pk", filter=applied_q), deploying=Count("pk", filter=deploying_q)).order_by()}
    found: dict[int | None, UdiCoverage] = {}
    for unit_id, n in hospitals.items():
        row = counts.get(unit_id, {})
        found[unit_id] = UdiCoverage(year=year, as_of=as_of, hospitals=n, applied=row.get("applied", 0),
                                     deploying=row.get("deploying", 0), target_on=target_on)
    found[None] = UdiCoverage(year=year, as_of=as_of, hospitals=sum(hospitals.values()),
                              applied=sum(c.applied for c in found.values()),
                              deploying=sum(c.deploying for c in found.values()), target_on=target_on)
    return found


def udi_coverage_by_unit(year: int, units, as_of: datetime.date | None = None) -> list[tuple[Unit, UdiCoverage]]:
    """(year, units, as_of=None) -> [(unit, UdiCoverage)] for the units that supervise a counted hospital."""
    rows = []
    for unit in units:
        coverage = udi_coverage(year, unit=unit, as_of=as_of)
        if coverage.hospitals:
            rows.append((unit, coverage))
    return rows


# ---------------------------------------------------------------- manufacturers


def manufacturer_udi_list(*, user) -> QuerySet[ManufacturerUdi]:
    return scoped(ManufacturerUdi.objects.select_related("enterprise", "enterprise__owning_unit", "updated_by"),
                  user).order_by("enterprise__name", "batch", "pk")


def udi_manufacturers(*, user) -> QuerySet[Enterprise]:
    """The local manufacturers/registrants the user may record coding for."""
    return scoped(Enterprise.objects.filter(udi_manufacturer_q()), user).order_by("name", "pk")


@dataclass(frozen=True)
class BatchCount:
    batch: str
    coded: int
    partial: int
    not_coded: int

    @property
    def total(self) -> int:
        return self.coded + self.partial + self.not_coded


@dataclass(frozen=True)
class ManufacturerUdiCounts:
    """生产企业UDI赋码 tallies: per batch the records by coding state, and manufacturers with no record."""

    batches: list[BatchCount]
    manufacturers: int
    without_record: int


def manufacturer_udi_counts(year: int | None = None, unit: Unit | None = None,
                            as_of: datetime.date | None = None) -> ManufacturerUdiCounts:
    """(year=None, unit=None, as_of=None) -> ManufacturerUdiCounts of the records as they stand.

    ``year``/``as_of`` narrow to records checked on or before the date (the year's end when only ``year``
    is given); a record without a check date always counts.
    """
    records = ManufacturerUdi.objects.filter(enterprise__in=Enterprise.objects.filter(udi_manufacturer_q()))
    manufacturers = Enterprise.objects.filter(udi_manufacturer_q())
    if unit is not None:
        records = records.filter(enterprise__owning_unit=unit)
        manufacturers = manufacturers.filter(owning_unit=unit)
    cutoff = as_of or (datetime.date(year, 12, 31) if year else None)
    if cutoff is not None:
        records = records.filter(Q(checked_on__isnull=True) | Q(checked_on__lte=cutoff))
    rows = {r["batch"]: r for r in records.values("batch").annotate(
        coded=Count("pk", filter=Q(coding=UdiCoding.CODED)),
        partial=Count("pk", filter=Q(coding=UdiCoding.PARTIAL)),
        not_coded=Count("pk", filter=Q(coding=UdiCoding.NOT_CODED)))}
    batches = [BatchCount(batch=b, coded=rows.get(b, {}).get("coded", 0), partial=rows.get(b, {}).get("partial", 0),
                          not_coded=rows.get(b, {}).get("not_coded", 0)) for b in UdiBatch.values]
    total = manufacturers.count()
    with_record = manufacturers.filter(pk__in=records.values("enterprise")).count()
    return ManufacturerUdiCounts(batches=batches, manufacturers=total, without_record=total - with_record)
