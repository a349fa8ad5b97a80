"""Factories and a small district for the evaluation tests: a 药械科, two 所, reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory

from enterprises.choices import Role, UnitKind
from enterprises.models import Enterprise, Unit, User
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory
from monitoring.choices import EventOutcome, ReporterKind, ReporterMatch
from monitoring.models import AdverseEventReport


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdverseEventReport

    code = factory.Sequence(lambda n: f"AE2024{n:06d}")
    reported_on = dt.date(2024, 3, 1)
    reporter_kind = ReporterKind.USE
    reporter_name = factory.LazyAttribute(lambda o: o.reporter.name if o.reporter else "外区某医院")
    reporter = None
    reporter_match = factory.LazyAttribute(
        lambda o: ReporterMatch.CREDIT_CODE if o.reporter else ReporterMatch.UNMATCHED)
    outcome = EventOutcome.OTHER
    product_name = "一次性使用输液器"
    registration_number = "浙械注准20202140001"
    batch = factory.Sequence(lambda n: f"B{n:05d}")
    unit = factory.LazyAttribute(lambda o: o.reporter.owning_unit if o.reporter else None)


@dataclass
class District:
    section: Unit
    chief: User
    station_a: Unit
    station_b: Unit
    user_a: User
    user_b: User
    hospital_a: Enterprise
    hospital_b: Enterprise
    registrant: Enterprise


def build_district() -> District:
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION, sort_order=5)
    chief = UserFactory(unit=section, role=Role.SECTION_STAFF, full_name="科员甲")
    sd_a, sd_b = SubdistrictFactory(), SubdistrictFactory()
    return District(
        section=section, chief=chief, station_a=sd_a.unit, station_b=sd_b.unit,
        user_a=UserFactory(unit=sd_a.unit), user_b=UserFactory(unit=sd_b.unit),
        hospital_a=EnterpriseFactory(subdistrict=sd_a, name="甲区人民医院", is_operator=False, is_user_unit=True),
        hospital_b=EnterpriseFactory(subdistrict=sd_b, name="乙区中医院", is_operator=False, is_user_unit=True),
        registrant=EnterpriseFactory(subdistrict=sd_a, name="甲医疗器械制造有限公司", is_operator=False,
                                     is_registrant=True, is_manufacturer=True),
    )
