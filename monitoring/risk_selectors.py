"""Reads of the risk consultation and its register: scoped querysets, quarter arithmetic, candidates.

The register's questions asked by the pages, the 待办 and the quarterly report (one definition each):

* a risk is *new* in the quarter of its meeting;
* it is *carried over* (结转) into every later quarter that starts while it is not yet closed — computed
  from the meeting's quarter and ``closed_on``, never copied;
* it is *open at* a day when its meeting was held by then and it was not closed by then;
* it is *overdue* when not closed and its due date has passed.

A 监管所 sees the risks it owns or of its enterprises (``Risk.scope_unit_paths``); meetings are read by all.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast

from monitoring.choices import RiskSource, RiskStatus
from monitoring.models import Risk, RiskFollowUp, RiskMeeting
from monitoring.models.risks import CandidateDismissal
from monitoring.risk_sources import Candidate, candidates_for
from regsys.scoping import scoped


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a quarter."""
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = (datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1))
    return start, end - datetime.timedelta(days=1)


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _period(year: int, quarter: int) -> int:
    return year * 10 + quarter


# ---------------------------------------------------------------- meetings

def meetings_for(user) -> QuerySet[RiskMeeting]:
    """Every meeting (the consultation is the district's; every unit reads it)."""
    return RiskMeeting.objects.prefetch_related("units")


# ---------------------------------------------------------------- the register

STATUS_RANK = Case(When(status=RiskStatus.OPEN, then=Value(0)), When(status=RiskStatus.CLOSING, then=Value(1)),
                   default=Value(2), output_field=IntegerField())


def risks_for(user) -> QuerySet[Risk]:
    """The risks ``user`` may see (under control first, then awaiting approval, then closed; by due date)."""
    qs = Risk.objects.select_related("meeting", "enterprise", "owner_unit", "credit_record")
    return with_period(scoped(qs, user)).order_by(STATUS_RANK, "due_on", "id")


def with_period(qs: QuerySet[Risk]) -> QuerySet[Risk]:
    """Annotate ``period`` = meeting year × 10 + quarter (so quarters compare as integers)."""
    if "period" in qs.query.annotations:
        return qs
    return qs.annotate(period=Cast(F("meeting__year") * 10 + F("meeting__quarter"), IntegerField()))


def risks_new_in(qs: QuerySet[Risk], *, year: int, quarter: int) -> QuerySet[Risk]:
    """Named at a meeting of this quarter."""
    return qs.filter(meeting__year=year, meeting__quarter=quarter)


def risks_carried_into(qs: QuerySet[Risk], *, year: int, quarter: int) -> QuerySet[Risk]:
    """结转: named in an earlier quarter and not closed before this quarter began."""
    start, _end = quarter_bounds(year, quarter)
    return with_period(qs).filter(period__lt=_period(year, quarter)).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start))


def risks_in_quarter(qs: QuerySet[Risk], *, year: int, quarter: int) -> QuerySet[Risk]:
    """The quarter's register: its new risks and those carried over into it."""
    start, _end = quarter_bounds(year, quarter)
    return with_period(qs).filter(
        Q(period=_period(year, quarter))
        | (Q(period__lt=_period(year, quarter)) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))))


def risks_closed_in(qs: QuerySet[Risk], *, start: datetime.date, end: datetime.date) -> QuerySet[Risk]:
    return qs.filter(status=RiskStatus.CLOSED, closed_on__gte=start, closed_on__lte=end)


def risks_open_at(qs: QuerySet[Risk], *, day: datetime.date) -> QuerySet[Risk]:
    """Named at a meeting held by ``day`` and not closed by then."""
    return qs.filter(meeting__held_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def risks_overdue(qs: QuerySet[Risk], *, today: datetime.date) -> QuerySet[Risk]:
    return qs.exclude(status=RiskStatus.CLOSED).filter(due_on__lt=today)


def risks_overdue_at(qs: QuerySet[Risk], *, day: datetime.date) -> QuerySet[Risk]:
    """Overdue as things stood on ``day``: open then (``risks_open_at``) and due before it. On today this is
    ``risks_overdue`` for every risk whose meeting was already held."""
    return risks_open_at(qs, day=day).filter(due_on__lt=day)


def risks_new_by(qs: QuerySet[Risk], *, year: int, quarter: int | None, day: datetime.date) -> QuerySet[Risk]:
    """Named at a meeting of the quarter (``quarter`` None: of the year) held by ``day``."""
    qs = qs.filter(meeting__year=year, meeting__held_on__lte=day)
    return qs.filter(meeting__quarter=quarter) if quarter is not None else qs


def risk_is_overdue(risk: Risk, *, today: datetime.date) -> bool:
    """The one-record form of ``risks_overdue``."""
    return risk.status != RiskStatus.CLOSED and risk.due_on < today


def risks_carried_now(qs: QuerySet[Risk], *, today: datetime.date) -> QuerySet[Risk]:
    """Carried over as of today: not closed and named in a quarter before the current one."""
    return with_period(qs).exclude(status=RiskStatus.CLOSED).filter(period__lt=_period(*quarter_of(today)))


def risk_is_carried(risk: Risk, *, today: datetime.date) -> bool:
    """Whether ``risk`` now shows as 结转 (the same rule as ``risks_carried_now``)."""
    return risk.status != RiskStatus.CLOSED and _period(risk.meeting.year, risk.meeting.quarter) < _period(
        *quarter_of(today))


def follow_ups_of(risk: Risk) -> QuerySet[RiskFollowUp]:
    return risk.follow_ups.select_related("created_by").order_by("on", "id")


def risks_waiting(*, user, unit_id: int | None, due_by: datetime.date | None) -> QuerySet[Risk]:
    """Risks under control (not awaiting approval, not closed) of ``unit_id`` (None: all) due by ``due_by``."""
    qs = risks_for(user).filter(status=RiskStatus.OPEN)
    if unit_id is not None:
        qs = qs.filter(owner_unit_id=unit_id)
    if due_by is not None:
        qs = qs.filter(due_on__lte=due_by)
    return qs.order_by("due_on", "pk")


def closures_awaiting(user) -> QuerySet[Risk]:
    """销号 requests waiting for the chief's approval."""
    return risks_for(user).filter(status=RiskStatus.CLOSING).order_by("closure_requested_on", "pk")


# ---------------------------------------------------------------- candidates

@dataclass(frozen=True)
class CandidateGroup:
    kind: str
    label: str
    candidates: list[Candidate]


def registered_identities() -> set[str]:
    return set(Risk.objects.exclude(source_key="").values_list("source_key", flat=True))


def meeting_candidates(meeting: RiskMeeting, *, today: datetime.date) -> list[Candidate]:
    """The meeting quarter's candidates, minus those already in the register and those it dismissed."""
    start, end = quarter_bounds(meeting.year, meeting.quarter)
    taken = registered_identities()
    dismissed = set(meeting.dismissals.values_list("identity", flat=True))
    seen: set[str] = set()
    found = []
    for candidate in candidates_for(start=start, end=end, today=today):
        identity = candidate.identity
        if identity in taken or identity in dismissed or identity in seen:
            continue
        seen.add(identity)
        found.append(candidate)
    return found


def candidate_groups(candidates: list[Candidate]) -> list[CandidateGroup]:
    """Candidates grouped by source, in the sources' order."""
    groups: OrderedDict[str, list[Candidate]] = OrderedDict((kind, []) for kind in RiskSource.values)
    for candidate in candidates:
        groups[candidate.source_kind].append(candidate)
    labels = dict(RiskSource.choices)
    return [CandidateGroup(kind, str(labels[kind]), items) for kind, items in groups.items() if items]


def meeting_candidate(meeting: RiskMeeting, identity: str, *, today: datetime.date) -> Candidate | None:
    """One of the meeting's open candidates by its identity (None when taken, dismissed or gone)."""
    for candidate in meeting_candidates(meeting, today=today):
        if candidate.identity == identity:
            return candidate
    return None


def meeting_dismissals(meeting: RiskMeeting) -> QuerySet[CandidateDismissal]:
    return meeting.dismissals.select_related("dismissed_by").order_by("id")
