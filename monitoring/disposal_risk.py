"""Risk candidates from sampling (source ``sampling``): the failed samples concluded in the quarter.

Suggested level 高 for 无菌/植入 products (by the product's name or the enterprise's product-area tags) and
for repeat failures (从严查处), else 中.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from enterprises.models import Enterprise
from monitoring.choices import RiskLevel, RiskSource, SampleConclusion, SampleStepKind
from monitoring.models import Sample, SampleStep
from monitoring.risk_sources import Candidate, register_risk_source
from monitoring.services.disposal import is_repeat_failure

HIGH_RISK_TAGS = ("sterile", "implant")  # enterprises.reference tag codes
HIGH_RISK_WORDS = ("无菌", "植入")  # in the product's name


def _step_done(step: str) -> Subquery:
    return Subquery(SampleStep.objects.filter(sample=OuterRef("pk"), step=step).values("done_on")[:1])


def failed_samples_concluded(start: date, end: date) -> QuerySet[Sample]:
    """Failed samples whose conclusion (the 结论确认 step, else the report's receipt) falls in ``start``–``end``."""
    tagged = Enterprise.tags.through.objects.filter(tag__code__in=HIGH_RISK_TAGS)
    return (
        Sample.objects.filter(conclusion=SampleConclusion.FAILED)
        .annotate(
            concluded_on=Coalesce(_step_done(SampleStepKind.CONCLUDED), _step_done(SampleStepKind.REPORT_RECEIVED)),
            enterprise_tagged=Exists(tagged.filter(enterprise_id=OuterRef("enterprise_id"))),
            registrant_tagged=Exists(tagged.filter(enterprise_id=OuterRef("registrant_id"))),
        )
        .filter(concluded_on__gte=start, concluded_on__lte=end)
        .select_related("enterprise", "registrant", "unit")
        .order_by("concluded_on", "pk")
    )


def suggested_level(sample: Sample) -> str:
    high_product = any(word in sample.product_name for word in HIGH_RISK_WORDS) or bool(
        getattr(sample, "enterprise_tagged", False) or getattr(sample, "registrant_tagged", False))
    if high_product or sample.strict or is_repeat_failure(sample):
        return RiskLevel.HIGH
    return RiskLevel.MEDIUM


def sampling_candidates(*, start: date, end: date, today: date) -> Iterator[Candidate]:
    for sample in failed_samples_concluded(start, end):
        detail = f"抽样单号 {sample.sample_no}；批号 {sample.batch}；不合格项目：{sample.failed_items or '未填写'}"
        if sample.strict:
            detail += "；两年内两次抽检不合格，从严查处"
        yield Candidate(
            source_kind=RiskSource.SAMPLING, source=sample,
            title=f"{sample.enterprise.name}{sample.product_name}监督抽检不合格",
            occurred_on=sample.concluded_on, url=reverse("monitoring:sample_disposal", args=[sample.pk]),
            enterprise_id=sample.registrant_id or sample.enterprise_id,
            unit_id=(sample.registrant.owning_unit_id if sample.registrant_id else sample.enterprise.owning_unit_id),
            product=sample.product_name, detail=detail, suggested_level=suggested_level(sample),
        )


def register() -> None:
    """Called from ``MonitoringConfig.ready``."""
    register_risk_source(RiskSource.SAMPLING, sampling_candidates)
