"""Factories for planning tests: inspections, cases and rectifications in their minimal shape."""

import datetime

import factory

from enterprises.grading.last_inspected import grades_refresh_last_inspected
from enterprises.models import EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, UnitFactory
from inspections.choices import CaseProcedure, CaseStatus, InspectionKind, InspectionStatus
from inspections.models import Case, ConflictOfInterest, Inspection, Rectification
from inspections.services import plan_items_refresh_done


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    kind = InspectionKind.ROUTINE
    start_date = datetime.date(2024, 5, 10)
    status = InspectionStatus.FINALISED
    staff_count = 2

    @factory.post_generation
    def plan_item_done(self, create, extracted, **kwargs):
        """What ``inspection_finalise`` records: the item it fulfils, the enterprise's last inspection date."""
        if create:
            plan_items_refresh_done([self.plan_item_id])
            grades_refresh_last_inspected(EnterpriseGrade.objects.filter(enterprise_id=self.enterprise_id))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"温鹿市监罚〔2023〕{n}号")
    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    filed_on = datetime.date(2023, 4, 1)
    decided_on = datetime.date(2023, 6, 1)
    procedure = CaseProcedure.ORDINARY
    violation = "未按规定建立并执行进货查验记录制度"
    status = CaseStatus.CLOSED


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    inspection = factory.SubFactory(InspectionFactory)
    ordered_on = datetime.date(2023, 11, 1)
    deadline = datetime.date(2023, 12, 1)
    requirements = "完善温湿度监测记录"


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    officer = factory.SubFactory("enterprises.tests.factories.UserFactory")
    enterprise = factory.SubFactory(EnterpriseFactory)
    reason = "近亲属在该企业任职"
    declared_on = datetime.date(2024, 1, 5)


__all__ = ["CaseFactory", "ConflictFactory", "InspectionFactory", "RectificationFactory", "UnitFactory"]
