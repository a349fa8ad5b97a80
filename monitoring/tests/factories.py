"""factory_boy factories for issue 11's records (sampling, complaints, risk consultation).

Each helper area may add its own factories below in a block of its own.
"""

import datetime as dt

import factory

from enterprises.tests.factories import EnterpriseFactory, UnitFactory
from monitoring.choices import (
    ComplaintKind,
    RiskLevel,
    RiskSource,
    SampledLink,
    SamplingLevel,
)
from monitoring.models import Complaint, Risk, RiskMeeting, Sample, SamplingTask


class SamplingTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SamplingTask

    level = SamplingLevel.PROVINCIAL
    year = 2024
    name = factory.Sequence(lambda n: f"2024年省级医疗器械监督抽检第{n}批")
    quota = 10


class SampleFactory(factory.django.DjangoModelFactory):
    """A sample taken at an enterprise by its own unit (officers: pass ``officers=[u1, u2]``)."""

    class Meta:
        model = Sample
        skip_postgeneration_save = True

    task = factory.SubFactory(SamplingTaskFactory)
    sample_no = factory.Sequence(lambda n: f"CJ2024-{n:05d}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    link = SampledLink.OPERATION
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit)
    product_name = "一次性使用无菌注射器"
    registrant_name = "浙江某医疗器械有限公司"
    model_spec = "5ml"
    batch = factory.Sequence(lambda n: f"2024{n:04d}")
    quantity = "200支"
    sampled_on = dt.date(2024, 5, 10)

    @factory.post_generation
    def officers(self, create, extracted, **kwargs):
        if create and extracted:
            self.officers.set(extracted)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    kind = ComplaintKind.COMPLAINT
    received_on = dt.date(2024, 5, 6)
    source = "12315平台"
    enterprise = factory.SubFactory(EnterpriseFactory)
    subject_name = factory.LazyAttribute(lambda o: o.enterprise.name if o.enterprise else "")
    product = "医用口罩"
    summary = "消费者反映购买的医用口罩无中文标签"
    unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit if o.enterprise else UnitFactory())


class RiskMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskMeeting

    year = 2024
    quarter = 2
    held_on = dt.date(2024, 6, 28)
    chair = "王副局长"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    meeting = factory.SubFactory(RiskMeetingFactory)
    source_kind = RiskSource.SAMPLING
    enterprise = factory.SubFactory(EnterpriseFactory)
    owner_unit = factory.LazyAttribute(lambda o: o.enterprise.owning_unit if o.enterprise else UnitFactory())
    risk_point = "一次性使用无菌注射器抽检不合格，相关批次仍在流通"
    level = RiskLevel.HIGH
    measures = "督促企业召回，经营使用单位暂停销售使用"
    due_on = dt.date(2024, 7, 31)


# ---- risk: the consultation's records (helper "risk") ----

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "销号佐证.pdf"):
    """A small valid PDF upload (attachments are checked by extension and leading bytes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class RiskFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.RiskFollowUp"

    risk = factory.SubFactory(RiskFactory)
    on = dt.date(2024, 7, 10)
    text = "已督促企业完成召回，涉及批次全部下架"


# ---- end risk ----
# --- disposal: failed samples and control measures ---------------------------------------------------------

class FailedSampleFactory(SampleFactory):
    """A sample whose conclusion is 不合格 (pass ``enterprise``, ``registrant``, ``sampled_on`` as needed)."""

    conclusion = "failed"
    failed_items = "无菌、细菌内毒素"
    lab = "浙江省医疗器械检验研究院"
    report_no = factory.Sequence(lambda n: f"QW2024-{n:04d}")


class SampleControlFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "monitoring.SampleControl"

    sample = factory.SubFactory(FailedSampleFactory)
    enterprise = factory.LazyAttribute(lambda o: o.sample.enterprise)
    measure = "stop_sale"
    done_on = dt.date(2024, 6, 3)
    quantity = "120支"
# --- end disposal ---
