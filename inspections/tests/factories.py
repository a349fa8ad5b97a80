"""factory_boy factories for inspections, built on the registry factories."""

import datetime as dt

import factory

from enterprises.tests.factories import EnterpriseFactory, UnitFactory, UserFactory
from inspections.choices import CaseProcedure, CertKind, InspectionKind, Severity
from inspections.deadlines import provincial_entry_due
from inspections.models import Case, Finding, Inspection, InspectionOfficer, Rectification


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    kind = InspectionKind.ROUTINE
    start_date = dt.date(2024, 5, 10)
    end_date = None
    staff_count = 2
    conclusion = "compliant"
    provincial_entry_due = factory.LazyAttribute(lambda o: provincial_entry_due(o.end_date or o.start_date))

    @factory.post_generation
    def officers(self, create, extracted, **kwargs):
        """officers=[user, user] (default: none); each becomes an InspectionOfficer with its cert."""
        if not create or not extracted:
            return
        for user in extracted:
            InspectionOfficer.objects.create(
                inspection=self, user=user, name=user.display_name, cert_kind=CertKind.ENFORCEMENT,
                cert_no=user.enforcement_cert_no,
            )


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionOfficer

    inspection = factory.SubFactory(InspectionFactory)
    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.display_name)
    cert_kind = CertKind.ENFORCEMENT
    cert_no = factory.LazyAttribute(lambda o: o.user.enforcement_cert_no)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    severity = Severity.GENERAL
    text = "进货查验记录不完整"


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    inspection = factory.SubFactory(InspectionFactory)
    ordered_on = factory.LazyAttribute(lambda o: o.inspection.start_date)
    deadline = factory.LazyAttribute(lambda o: o.inspection.start_date + dt.timedelta(days=30))
    requirements = "完善进货查验记录"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"测试械案〔2024〕{n + 1}号")
    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    filed_on = dt.date(2024, 6, 1)
    procedure = CaseProcedure.ORDINARY
    violation = "经营未取得注册证的第二类医疗器械"
    legal_basis = "《医疗器械监督管理条例》第八十六条"

    @factory.post_generation
    def handlers(self, create, extracted, **kwargs):
        """handlers=[user, …]; by default two enforcement officers of the case's unit."""
        if not create:
            return
        self.handlers.set(extracted if extracted is not None else [UserFactory(unit=self.unit) for _ in range(2)])


def station_with_staff(n_staff: int = 2):
    """A 所, an enterprise it supervises, and ``n_staff`` inspectors of that 所."""
    unit = UnitFactory()
    enterprise = EnterpriseFactory(subdistrict__unit=unit)
    users = [UserFactory(unit=unit) for _ in range(n_staff)]
    return unit, enterprise, users
