"""Credit facts that escalate a grade (鹿城计划二（四）3; 经营办法第52条).

This is the one place the registry reads enforcement history kept by the inspections app (last
year's penalty cases, unfinished rectifications). It looks the models up through the app registry
at call time, so ``enterprises`` does not import ``inspections`` at module level.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.apps import apps
from django.db.models import Q, QuerySet

from enterprises.grading.choices import RuleKind
from enterprises.models import CreditRecord

# Case statuses that mean a penalty decision was taken (values of inspections.choices.CaseStatus).
DECIDED_CASE_STATUSES = ("decided", "executing", "closed")


def credit_facts(*, enterprises: QuerySet, year: int, as_of: datetime.date) -> dict[int, set[str]]:
    """For grading ``year`` as of ``as_of``: enterprise id → credit rules that hold. Three queries.

    - penalty: a case decided in ``year - 1`` (or filed then and past the decision stage without a
      decision date);
    - unfinished rectification: an order to correct whose deadline passed before ``as_of`` and
      that is not completed;
    - bad credit: a ``CreditRecord`` dated from the start of ``year - 1`` up to ``as_of`` or still
      valid in ``year``, or a case of ``year - 1`` that listed the enterprise as seriously dishonest.
    """
    case_model = apps.get_model("inspections", "Case")
    rectification_model = apps.get_model("inspections", "Rectification")
    ids = enterprises.values("id")
    facts: dict[int, set[str]] = defaultdict(set)

    last_year_cases = case_model.objects.filter(enterprise_id__in=ids).filter(
        Q(decided_on__year=year - 1)
        | Q(decided_on__isnull=True, filed_on__year=year - 1, status__in=DECIDED_CASE_STATUSES)
    )
    for enterprise_id, dishonest in last_year_cases.values_list("enterprise_id", "listed_serious_dishonest"):
        facts[enterprise_id].add(RuleKind.PENALTY_LAST_YEAR)
        if dishonest:
            facts[enterprise_id].add(RuleKind.BAD_CREDIT)

    unfinished = rectification_model.objects.filter(
        inspection__enterprise_id__in=ids, completed_on__isnull=True, deadline__lt=as_of
    ).values_list("inspection__enterprise_id", flat=True)
    for enterprise_id in unfinished:
        facts[enterprise_id].add(RuleKind.UNFINISHED_RECTIFICATION)

    start_of_last_year = datetime.date(year - 1, 1, 1)
    bad = CreditRecord.objects.filter(enterprise_id__in=ids, recorded_on__lte=as_of).filter(
        Q(recorded_on__gte=start_of_last_year) | Q(valid_until__gte=datetime.date(year, 1, 1))
    ).values_list("enterprise_id", flat=True)
    for enterprise_id in bad:
        facts[enterprise_id].add(RuleKind.BAD_CREDIT)
    return facts
