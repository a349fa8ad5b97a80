"""Which enterprises are 僵尸企业 candidates, and why: the one module that holds the rule (plan 二.(二).5).

An enterprise still under supervision (在营、停产、停业、异常/失联) is a candidate of year *Y* on a day
``as_of`` when one or more of these hold (``ZombieReason``):

- **未提交年度自查报告** — it owes the year's self-report (生产 or 经营, see :func:`owes_self_report`), the due
  date (``DutyYear.self_report_due``, 默认3月31日) has passed, and no self-report of the year is on record as
  submitted (in any sector). Before the due date nobody is late, so nobody is a candidate for this reason.
- **检查发现失联** — the registry records it as 异常/失联 (``EnterpriseStatus.ABNORMAL``). Inspections have no
  structured "enterprise not found" field; an inspector who cannot reach an enterprise sets this status
  (with its reason) on the enterprise, and that is what is read here.
- **检查发现经营场所不符** — the latest finalised inspection that answered a premises item of the checklist
  (:data:`PREMISES_ITEMS`: GSP 1.1 / GMP 1.1 “经营（生产）场所、库房地址与许可（备案）一致”) answered it
  不符合. A later inspection that finds the premises in order clears the reason.
- **停业/停产满一年** — status 停业 or 停产 since at least ``DutyYear.long_suspension_days`` (默认365) days.
- **证照已过期仍在营** — status 在营 and, for some kind of licence/filing it holds, no instrument of that kind is
  still in force on ``as_of`` (all its unrevoked ones expired).

Enterprises of another district's bureau, 注销 or 吊销, are never candidates.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q, QuerySet

from enterprises.choices import ACTIVE_STATUSES, EnterpriseStatus, LicenceStatus
from enterprises.duties import filing_rules
from enterprises.duties.choices import FilingKind, Sector, ZombieReason
from enterprises.duties.settings import duty_settings_for_year
from enterprises.models import AnnualFiling, DutyYear, Enterprise, Licence

# Checklist items (template code, item code) whose 不符合 answer means the premises do not match the licence.
PREMISES_ITEMS: tuple[tuple[str, str], ...] = (("gsp-routine", "1.1"), ("gmp-routine", "1.1"))
SUSPENDED_STATUSES = (EnterpriseStatus.BUSINESS_SUSPENDED, EnterpriseStatus.PRODUCTION_STOPPED)
# Licence statuses that no longer count as "in force" but were never withdrawn by the bureau.
LAPSING_LICENCE_STATUSES = (LicenceStatus.VALID, LicenceStatus.EXPIRED, LicenceStatus.SUSPENDED)


@dataclass
class Candidate:
    """An enterprise and why it is a candidate; ``notes`` explains each reason (dates, licence numbers)."""

    enterprise: Enterprise
    reasons: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, reason: str, note: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.notes[reason] = note

    @property
    def reason_items(self) -> list[tuple[str, str, str]]:
        """(code, label, note) in ``ZombieReason`` order, for pages and exports."""
        labels = dict(ZombieReason.choices)
        return [(code, str(labels[code]), self.notes.get(code, ""))
                for code in ZombieReason.values if code in self.reasons]


# --- who owes a self-report: the filings' rule (``enterprises.duties.filing_rules``) as one query -------------
def owes_self_report_q(year: int) -> Q:
    """Enterprises that owe the self-report filed in ``year``: a role of a sector whose report is counted as owed
    (生产, 经营 but not a 异地设库 warehouse; 使用 keeps its own on file), registered by the rule's day."""
    q = Q()
    for sector in Sector.values:
        if filing_rules.counts_as_owed(kind=FilingKind.SELF_REPORT, sector=sector):
            q |= filing_rules.sector_q(sector)
    existed_by = filing_rules.existed_by(year, FilingKind.SELF_REPORT)
    return q & (Q(established_on__isnull=True) | Q(established_on__lte=existed_by))


def duty_year(year: int) -> DutyYear:
    """The year's settings (deadline, long-suspension days), through the one reader."""
    return duty_settings_for_year(year)


# --- the candidates --------------------------------------------------------------------------------------
def supervised(queryset: QuerySet | None = None) -> QuerySet:
    """Enterprises that can be candidates (still under supervision)."""
    queryset = Enterprise.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=ACTIVE_STATUSES)


def candidates(year: int, *, queryset: QuerySet | None = None, as_of: datetime.date) -> list[Candidate]:
    """The candidates of ``year`` among ``queryset`` (default: the district) on ``as_of``, by enterprise name.

    A bounded number of queries whatever the number of enterprises.
    """
    base = supervised(queryset)
    settings = duty_year(year)
    found: dict[int, Candidate] = {}

    def hit(enterprise: Enterprise, reason: str, note: str) -> None:
        found.setdefault(enterprise.pk, Candidate(enterprise)).add(reason, note)

    # 未提交年度自查报告
    if as_of > settings.self_report_due:
        submitted = AnnualFiling.objects.filter(
            year=year, kind=FilingKind.SELF_REPORT, submitted_on__isnull=False, submitted_on__lte=as_of,
        ).values("enterprise_id")
        for enterprise in base.filter(owes_self_report_q(year)).exclude(pk__in=submitted):
            hit(enterprise, ZombieReason.NO_SELF_REPORT,
                f"{year}年度自查报告截止{settings.self_report_due:%Y-%m-%d}，未提交")

    # 检查发现失联 (registry status 异常/失联)
    for enterprise in base.filter(status=EnterpriseStatus.ABNORMAL):
        since = f"自{enterprise.status_since:%Y-%m-%d}起" if enterprise.status_since else ""
        hit(enterprise, ZombieReason.UNREACHABLE, f"企业状态为异常/失联{since}")

    # 检查发现经营场所不符
    mismatches = premises_mismatches(base, as_of=as_of)
    mismatched = base.in_bulk([eid for eid in mismatches if eid not in found])
    for enterprise_id, inspected_on in mismatches.items():
        enterprise = found[enterprise_id].enterprise if enterprise_id in found else mismatched[enterprise_id]
        hit(enterprise, ZombieReason.PREMISES_MISMATCH, f"{inspected_on:%Y-%m-%d}检查：经营/生产场所与许可（备案）不符")

    # 停业/停产满一年
    threshold = as_of - datetime.timedelta(days=settings.long_suspension_days)
    for enterprise in base.filter(status__in=SUSPENDED_STATUSES, status_since__lte=threshold):
        hit(enterprise, ZombieReason.LONG_SUSPENDED,
            f"自{enterprise.status_since:%Y-%m-%d}起{enterprise.get_status_display()}，"
            f"已满{settings.long_suspension_days}天")

    # 证照已过期仍在营
    for enterprise, licences in expired_while_operating(base, as_of=as_of):
        numbers = "、".join(
            f"{lic.get_kind_display()}{lic.number}（{lic.expires_on:%Y-%m-%d}到期）" if lic.expires_on
            else f"{lic.get_kind_display()}{lic.number}（已过期）" for lic in licences)
        hit(enterprise, ZombieReason.LICENCE_EXPIRED, numbers)

    return sorted(found.values(), key=lambda c: (c.enterprise.name, c.enterprise.pk))


def reasons_of(enterprise: Enterprise, year: int, *, as_of: datetime.date) -> Candidate | None:
    """The candidate entry of one enterprise, or None when nothing makes it a candidate."""
    found = candidates(year, queryset=Enterprise.objects.filter(pk=enterprise.pk), as_of=as_of)
    return found[0] if found else None


def premises_mismatches(enterprises: QuerySet, *, as_of: datetime.date) -> dict[int, datetime.date]:
    """enterprise id → date of the latest finalised inspection that answered a premises item, when 不符合.

    The inspections app is read at call time (``apps.get_model``): the registry never imports it.
    """
    answer_model = apps.get_model("inspections", "ChecklistAnswer")
    item_q = Q()
    for template_code, item_code in PREMISES_ITEMS:
        item_q |= Q(item__template__code=template_code, item__code=item_code)
    answers = (
        answer_model.objects.filter(item_q, inspection__status="finalised",
                                    inspection__start_date__lte=as_of,
                                    inspection__enterprise__in=enterprises.values("pk"))
        .order_by("inspection__enterprise_id", "-inspection__start_date", "-inspection_id")
        .values_list("inspection__enterprise_id", "inspection__start_date", "result")
    )
    latest: dict[int, tuple[datetime.date, str]] = {}
    for enterprise_id, day, result in answers:
        latest.setdefault(enterprise_id, (day, result))
    return {eid: day for eid, (day, result) in latest.items() if result == "no"}


def expired_while_operating(enterprises: QuerySet, *, as_of: datetime.date) -> list[tuple[Enterprise, list]]:
    """(enterprise 在营, its expired instruments) where some kind it holds has none in force on ``as_of``."""
    licences = Licence.objects.filter(
        enterprise__in=enterprises.filter(status=EnterpriseStatus.ACTIVE).values("pk"),
        status__in=LAPSING_LICENCE_STATUSES,
    ).select_related("enterprise").order_by("enterprise_id", "kind", "expires_on")
    by_kind: dict[tuple[int, str], list[Licence]] = defaultdict(list)
    for licence in licences:
        by_kind[(licence.enterprise_id, licence.kind)].append(licence)
    result: dict[int, tuple[Enterprise, list]] = {}
    for (_eid, _kind), group in by_kind.items():
        in_force = [lic for lic in group if lic.status != LicenceStatus.EXPIRED
                    and (lic.expires_on is None or lic.expires_on >= as_of)]
        if in_force:
            continue
        expired = [lic for lic in group if lic.expires_on is not None and lic.expires_on < as_of
                   or lic.status == LicenceStatus.EXPIRED]
        if expired:
            entry = result.setdefault(group[0].enterprise_id, (group[0].enterprise, []))
            entry[1].extend(expired)
    return sorted(result.values(), key=lambda pair: pair[0].pk)
