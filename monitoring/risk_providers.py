"""Risk candidates from adverse events and inspections (registered in ``MonitoringConfig.ready()``).

* ``adverse_event``: each death or serious-injury report of the quarter (死亡 → 高, 严重伤害 → 中), and
  each cluster evaluation (聚集性信号) opened by the quarter's end and not closed (高).
* ``inspection``: each inspection of the quarter with 严重缺陷 findings (one candidate per inspection,
  高), and each 责令改正 whose deadline fell in or before the quarter and that is still not completed
  (past its deadline today, 中).

The suggested owner unit is the enterprise's 所 (else the unit of the record).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from inspections.choices import Severity
from inspections.models import Finding, Inspection, Rectification
from monitoring.choices import EvaluationStatus, EvaluationTrigger, EventOutcome, RiskLevel, RiskSource
from monitoring.models import AdverseEventReport, Evaluation
from monitoring.risk_sources import Candidate, register_risk_source

OUTCOME_LEVEL = {EventOutcome.DEATH: RiskLevel.HIGH, EventOutcome.SERIOUS: RiskLevel.MEDIUM}


def adverse_event_candidates(*, start: datetime.date, end: datetime.date, today: datetime.date) -> Iterator[Candidate]:
    reports = (AdverseEventReport.objects.filter(outcome__in=list(OUTCOME_LEVEL), reported_on__gte=start,
                                                 reported_on__lte=end)
               .select_related("registrant", "reporter").order_by("reported_on", "pk"))
    for report in reports:
        enterprise = report.registrant or report.reporter
        yield Candidate(
            source_kind=RiskSource.ADVERSE_EVENT, source=report,
            title=_("%(product)s 发生%(outcome)s事件") % {"product": report.product_name,
                                                        "outcome": report.get_outcome_display()},
            occurred_on=report.reported_on, url=reverse("monitoring:report_detail", args=[report.pk]),
            enterprise_id=enterprise.pk if enterprise else None,
            unit_id=(enterprise.owning_unit_id if enterprise else None) or report.unit_id,
            product=report.product_name,
            detail=_("报告编码 %(code)s，报告单位 %(reporter)s") % {"code": report.code,
                                                              "reporter": report.reporter_name or "—"},
            suggested_level=OUTCOME_LEVEL[report.outcome],
        )
    clusters = (Evaluation.objects.filter(trigger=EvaluationTrigger.CLUSTER, opened_on__lte=end)
                .exclude(status=EvaluationStatus.CLOSED)
                .select_related("primary_report__registrant", "primary_report__reporter")
                .annotate(n=Count("reports")).order_by("opened_on", "pk"))
    for evaluation in clusters:
        report = evaluation.primary_report
        enterprise = report.registrant or report.reporter
        yield Candidate(
            source_kind=RiskSource.ADVERSE_EVENT, source=evaluation,
            title=_("聚集性信号：%(product)s 批号%(batch)s") % {"product": report.product_name,
                                                          "batch": report.batch or "—"},
            occurred_on=evaluation.opened_on, url=reverse("monitoring:evaluation_detail", args=[evaluation.pk]),
            enterprise_id=enterprise.pk if enterprise else None,
            unit_id=(enterprise.owning_unit_id if enterprise else None) or report.unit_id,
            product=report.product_name,
            detail=_("同一产品批号报告%(n)d份，评价%(status)s") % {"n": evaluation.n,
                                                            "status": evaluation.get_status_display()},
            suggested_level=RiskLevel.HIGH,
        )


def inspection_candidates(*, start: datetime.date, end: datetime.date, today: datetime.date) -> Iterator[Candidate]:
    # the first serious finding's text rides on each row: one statement however many inspections there are
    first_serious = Finding.objects.filter(inspection=OuterRef("pk"), severity=Severity.SERIOUS).order_by("pk")
    inspections = (Inspection.objects.filter(start_date__gte=start, start_date__lte=end)
                   .annotate(serious=Count("findings", filter=Q(findings__severity=Severity.SERIOUS)),
                             first_serious=Subquery(first_serious.values("text")[:1]))
                   .filter(serious__gt=0).select_related("enterprise", "unit").order_by("start_date", "pk"))
    for inspection in inspections:
        enterprise = inspection.enterprise
        yield Candidate(
            source_kind=RiskSource.INSPECTION, source=inspection,
            title=_("%(name)s 检查发现严重缺陷%(n)d项") % {"name": enterprise.name, "n": inspection.serious},
            occurred_on=inspection.start_date, url=reverse("inspections:detail", args=[inspection.pk]),
            enterprise_id=enterprise.pk, unit_id=enterprise.owning_unit_id or inspection.unit_id,
            detail=(inspection.first_serious or "")[:200], suggested_level=RiskLevel.HIGH,
        )
    last_deadline = min(end, today - datetime.timedelta(days=1))
    orders = (Rectification.objects.filter(completed_on__isnull=True, deadline__lte=last_deadline)
              .select_related("inspection__enterprise", "inspection__unit").order_by("deadline", "pk"))
    for order in orders:
        enterprise = order.inspection.enterprise
        yield Candidate(
            source_kind=RiskSource.INSPECTION, source=order,
            title=_("%(name)s 逾期未完成整改") % {"name": enterprise.name},
            occurred_on=order.deadline, url=reverse("inspections:detail", args=[order.inspection_id]),
            enterprise_id=enterprise.pk, unit_id=enterprise.owning_unit_id or order.inspection.unit_id,
            detail=_("整改期限 %(d)s：%(r)s") % {"d": f"{order.deadline:%Y-%m-%d}", "r": order.requirements[:150]},
            suggested_level=RiskLevel.MEDIUM,
        )


def register() -> None:
    """Called once from ``MonitoringConfig.ready()``: these providers and the register's 待办."""
    from inspections.work_sources import register_work_source
    from monitoring.risk_work import risk_work

    register_risk_source(RiskSource.ADVERSE_EVENT, adverse_event_candidates)
    register_risk_source(RiskSource.INSPECTION, inspection_candidates)
    register_work_source(risk_work)
