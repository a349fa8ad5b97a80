"""Factories for campaign records: inspections, rectifications, interviews, cases, referrals, returns."""

import datetime as dt

import factory

from campaigns.models import Campaign, CampaignDueDate
from enterprises.grading.last_inspected import grades_refresh_last_inspected
from enterprises.models import EnterpriseGrade
from enterprises.tests.factories import EnterpriseFactory, UnitFactory
from inspections.choices import CaseProcedure, InspectionKind, InspectionStatus, ReferralTarget
from inspections.models import Case, CasePenalisedPerson, Inspection, Interview, Rectification, Referral
from inspections.services import plan_items_refresh_done


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"2023年医疗器械质量安全专项整治{n}")
    doc_number = "永市场监管药械〔2023〕3号"
    year = 2023
    start_date = dt.date(2023, 4, 1)
    end_date = dt.date(2023, 12, 31)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)

    @factory.post_generation
    def forms(self, create, extracted, **kwargs):
        if create and extracted:
            self.forms.set(extracted)


class DueDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignDueDate

    campaign = factory.SubFactory(CampaignFactory)
    due_on = dt.date(2023, 6, 25)


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    kind = InspectionKind.SPECIAL
    start_date = dt.date(2023, 5, 10)
    staff_count = 2
    status = InspectionStatus.FINALISED

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.set(extracted)

    @factory.post_generation
    def plan_item_done(self, create, extracted, **kwargs):
        """What ``inspection_finalise`` records: the item it fulfils, the enterprise's last inspection date."""
        if create:
            plan_items_refresh_done([self.plan_item_id])
            grades_refresh_last_inspected(EnterpriseGrade.objects.filter(enterprise_id=self.enterprise_id))


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    inspection = factory.SubFactory(InspectionFactory)
    ordered_on = factory.LazyAttribute(lambda o: o.inspection.start_date)
    deadline = factory.LazyAttribute(lambda o: o.inspection.start_date + dt.timedelta(days=30))
    requirements = "限期整改"


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    held_on = dt.date(2023, 5, 20)
    persons = "企业负责人"

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.set(extracted)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"永市监案〔2023〕{n + 1}号")
    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    filed_on = dt.date(2023, 5, 15)
    procedure = CaseProcedure.ORDINARY
    violation = "经营未经注册的医疗器械"

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.set(extracted)


class PenalisedPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CasePenalisedPerson

    case = factory.SubFactory(CaseFactory)
    name = factory.Sequence(lambda n: f"责任人{n}")
    position = "法定代表人"


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    target = ReferralTarget.POLICE
    referred_on = dt.date(2023, 5, 30)

    @factory.post_generation
    def campaigns(self, create, extracted, **kwargs):
        if create and extracted:
            self.campaigns.set(extracted)


__all__ = ["UnitFactory"]
