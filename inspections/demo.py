"""Demo inspections, outcomes, cases and referrals for ``manage.py seed_demo`` (after enterprises.demo).

From 2023-01-01 to ``ctx.today`` for every enterprise the registry demo created: officers in pairs from
the enterprise's owning unit, kinds in plausible proportions (日常 most; at least 12 飞行 per year; some
专项), findings, 责令改正 with completion (some overdue) and the linked 跟踪检查, 约谈, cases with the full
decision range, referrals to all five targets, and provincial entry dates (some late, some missing).
Campaign links are left to inspections.campaign_demo. Deterministic (``ctx.rng``), bulk inserts in chunks, no
per-row queries: at ``ctx.scale = N`` about 10 inspections and 1.5 cases per enterprise.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from enterprises.choices import EnterpriseStatus, LicenceStatus, Role
from enterprises.models import Enterprise, Licence, Unit, User
from inspections.choices import (
    CaseProcedure,
    CaseStatus,
    CertKind,
    Conclusion,
    InspectionKind,
    InspectionStatus,
    ReferralTarget,
    Severity,
)
from inspections.deadlines import provincial_entry_due
from inspections.models import (
    Case,
    CasePenalisedPerson,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Inspection,
    InspectionOfficer,
    Interview,
    Rectification,
    Referral,
)

START = dt.date(2023, 1, 1)
CHUNK = 2000
BATCH = 5000
FLIGHTS_PER_YEAR = 12
STALE_ORDER_DAYS = 180  # no 责令改正 or provincial entry in the demo stays open longer than this past its date
INSPECTOR_ROLES = (Role.STATION_STAFF, Role.SECTION_STAFF)

# Kinds of the ordinary inspections and their weights (follow-ups and flights are added separately).
KIND_WEIGHTS = [
    (InspectionKind.ROUTINE, 60), (InspectionKind.RANDOM, 9), (InspectionKind.SPECIAL, 10),
    (InspectionKind.FULL, 5), (InspectionKind.FOR_CAUSE, 5), (InspectionKind.LICENSING, 4),
    (InspectionKind.POST_FILING, 5), (InspectionKind.JOINT, 2),
]
ANNOUNCED_KINDS = {InspectionKind.LICENSING, InspectionKind.POST_FILING}

GENERAL_FINDINGS = [
    ("4.3", "进货查验记录不完整，部分产品未记录生产批号和有效期"),
    ("3.2", "冷藏柜温湿度记录缺少节假日数据"),
    ("2.3", "质量管理人员培训记录不全"),
    ("3.1", "库房未设置退货区，退货产品与合格品混放"),
    ("2.4", "未按期提交年度自查报告"),
    ("5.2", "不合格品处置记录不完整"),
    ("6.2", "网络销售页面未展示备案凭证信息"),
    ("1.2", "企业负责人变更后未及时办理备案变更"),
]
SERIOUS_FINDINGS = [
    ("4.2", "经营的一次性使用无菌注射器已过有效期，仍在销售区陈列"),
    ("4.1", "从不具备资质的供货者购进第三类医疗器械"),
    ("2.1", "质量负责人长期不在岗，质量管理职责未落实"),
    ("3.2", "冷链体外诊断试剂未按要求冷藏贮存"),
]
REQUIREMENTS = [
    "补齐进货查验记录，建立产品追溯台账", "完善温湿度监测记录并对冷藏设备进行验证",
    "组织质量管理人员培训并留存记录", "设置退货区和不合格品区，规范分区管理",
    "提交年度自查报告", "下架过期产品，按规定销毁并记录",
]
EVIDENCE = ["提交整改报告及现场照片", "现场复查确认已整改到位", "提交培训签到表和考核记录", "提交台账复印件"]
VIOLATIONS = [
    ("经营未依法注册的第二类医疗器械", "《医疗器械监督管理条例》第八十六条"),
    ("经营过期、失效的医疗器械", "《医疗器械监督管理条例》第八十六条"),
    ("未按规定建立并执行进货查验记录制度", "《医疗器械监督管理条例》第八十九条"),
    ("从不具备合法资质的供货者购进医疗器械", "《医疗器械监督管理条例》第八十九条"),
    ("未经许可从事第三类医疗器械经营活动", "《医疗器械监督管理条例》第八十一条"),
    ("未按说明书和标签要求运输、贮存医疗器械", "《医疗器械监督管理条例》第八十八条"),
    ("未依照规定备案从事第二类医疗器械经营", "《医疗器械监督管理条例》第八十四条"),
]
REFERRAL_NOTES = {
    ReferralTarget.POLICE: "涉嫌销售不符合标准的医用器材，移送公安机关",
    ReferralTarget.HEALTH: "医疗机构重复使用一次性使用医疗器械线索",
    ReferralTarget.TELECOM: "网站销售未注册医疗器械，移交通信管理部门处置",
    ReferralTarget.CUSTOMS: "涉嫌走私进口医疗器械线索",
    ReferralTarget.DISCIPLINE: "相关人员涉嫌失职渎职线索",
}
ASSISTANTS = ["协管员陈晓", "协管员林峰", "网格员周颖", "协查员吴磊"]


@dataclass
class Plan:
    """One inspection to create, with its outcomes (before ids exist)."""

    enterprise_id: int
    unit_id: int
    kind: str
    day: dt.date
    officers: list[tuple[int | None, str, str, str]]
    status: str = InspectionStatus.FINALISED
    conclusion: str = Conclusion.COMPLIANT
    entry: dt.date | None = None
    findings: list[tuple[str, str]] = field(default_factory=list)
    rect: tuple | None = None  # (ordered_on, deadline, requirements, completed_on, evidence)
    follow_up: Plan | None = None
    interview: tuple | None = None
    template: str = ""
    obj: Inspection | None = None


class Seeder:
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.rng: random.Random = ctx.rng("inspections")
        self.today: dt.date = ctx.today
        self.end = self.today - dt.timedelta(days=1)
        self.scale = ctx.scale
        self.tz = timezone.get_current_timezone()
        self.per_enterprise = 8.3 if ctx.scale else 4.0  # follow-ups add the rest (~10 at scale)
        self.cases_per_enterprise = 1.5 if ctx.scale else 0.1
        self.units = {u.pk: u for u in Unit.objects.all()}
        self.inspectors: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
        self.enforcers: dict[int, list[int]] = defaultdict(list)
        for u in User.objects.filter(role__in=INSPECTOR_ROLES, is_active=True, unit__isnull=False).order_by("pk"):
            cert_kind = CertKind.ENFORCEMENT if u.enforcement_cert_no else CertKind.INSPECTOR
            self.inspectors[u.unit_id].append((u.pk, u.display_name, cert_kind, u.cert_no))
            if u.enforcement_cert_no:
                self.enforcers[u.unit_id].append(u.pk)
        self.licences: dict[int, list[int]] = defaultdict(list)
        for pk, ent in Licence.objects.filter(status=LicenceStatus.VALID).values_list("pk", "enterprise_id"):
            self.licences[ent].append(pk)
        self.items = {}
        for code, pk in ChecklistItem.objects.filter(template__code="gsp-routine").values_list("code", "pk"):
            self.items[code] = pk
        self.templates = dict(ChecklistTemplate.objects.values_list("code", "pk"))
        self.case_numbers: dict[tuple[int, int], int] = defaultdict(int)
        self.counts: dict[str, int] = defaultdict(int)
        self.targets_used: set[str] = set()
        self.revoked: list[int] = []

    # ---- helpers -------------------------------------------------------------------------
    def _officers(self, unit_id: int) -> list[tuple[int | None, str, str, str]]:
        pool = self.inspectors.get(unit_id, [])
        rng = self.rng
        if len(pool) >= 2:
            chosen = rng.sample(pool, 2)
        else:
            chosen = list(pool) + [(None, ASSISTANTS[i], CertKind.INSPECTOR, f"浙械检{rng.randint(1, 99999):05d}")
                                   for i in range(2 - len(pool))]
        if rng.random() < 0.08:
            chosen.append((None, rng.choice(ASSISTANTS), CertKind.INSPECTOR, f"浙械检{rng.randint(1, 99999):05d}"))
        return chosen

    def _day(self, first: dt.date, last: dt.date) -> dt.date:
        span = (last - first).days
        return first + dt.timedelta(days=self.rng.randint(0, max(span, 0)))

    def _entry(self, day: dt.date) -> dt.date | None:
        due = provincial_entry_due(day)
        roll = self.rng.random()
        recent = (self.today - day).days <= 120
        if recent and roll < 0.80 or not recent and roll < 0.85:
            entered = day + dt.timedelta(days=self.rng.randint(1, max(1, (due - day).days)))
        elif roll < 0.90 or not recent and roll < 0.98:
            entered = due + dt.timedelta(days=self.rng.randint(1, 40))
        elif (self.today - due).days > STALE_ORDER_DAYS:
            entered = due + dt.timedelta(days=self.rng.randint(41, STALE_ORDER_DAYS))  # chased, entered very late
        else:
            return None
        return entered if entered <= self.end else None

    def _outcome(self, plan: Plan, template: str) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.68:
            plan.conclusion = Conclusion.COMPLIANT
            return
        plan.conclusion = Conclusion.BASICALLY if roll < 0.92 else Conclusion.NON_COMPLIANT
        for code, text in rng.sample(GENERAL_FINDINGS, rng.randint(1, 3)):
            plan.findings.append((Severity.GENERAL, text, self.items.get(code) if template == "gsp-routine" else None))
        if plan.conclusion == Conclusion.NON_COMPLIANT:
            code, text = rng.choice(SERIOUS_FINDINGS)
            plan.findings.append((Severity.SERIOUS, text, self.items.get(code) if template == "gsp-routine" else None))
        if plan.conclusion == Conclusion.NON_COMPLIANT or rng.random() < 0.75:
            deadline = plan.day + dt.timedelta(days=rng.choice([15, 30, 30, 30, 60]))
            completed = None
            evidence = ""
            if deadline < self.today:
                r = rng.random()
                if r < 0.82:
                    completed = deadline - dt.timedelta(days=rng.randint(0, 10))
                elif r < 0.90:
                    completed = deadline + dt.timedelta(days=rng.randint(1, 20))
                elif (self.today - deadline).days > STALE_ORDER_DAYS:
                    # an order left open for half a year would have been chased: completed very late
                    completed = deadline + dt.timedelta(days=rng.randint(30, STALE_ORDER_DAYS))
                if completed is not None:
                    completed = max(completed, plan.day)
                    completed = min(completed, self.end)
                    evidence = rng.choice(EVIDENCE)
            plan.rect = (plan.day, deadline, rng.choice(REQUIREMENTS), completed, evidence)
            follow_day = deadline + dt.timedelta(days=rng.randint(0, 10))
            if completed is not None:
                follow_day = max(follow_day, completed)  # the 跟踪检查 confirms a completed correction
            follow = Plan(enterprise_id=plan.enterprise_id, unit_id=plan.unit_id, kind=InspectionKind.FOLLOW_UP,
                          day=follow_day, officers=plan.officers, template=plan.template)
            if follow.day >= self.today or completed is None:
                follow.day = deadline
                follow.status = InspectionStatus.DRAFT
                follow.conclusion = ""
            else:
                follow.conclusion = Conclusion.COMPLIANT
                follow.entry = self._entry(follow.day)
            plan.follow_up = follow
        if plan.conclusion == Conclusion.NON_COMPLIANT and rng.random() < 0.5:
            held = plan.day + dt.timedelta(days=rng.randint(3, 15))
            if held <= self.end:
                plan.interview = (held, "企业负责人、质量负责人", "告知检查发现的问题，责令落实主体责任并限期整改")

    # ---- plans per enterprise ---------------------------------------------------------------
    def plans_for(self, ent: dict, flight_days: list[dt.date]) -> list[Plan]:
        rng = self.rng
        first = max(START, ent["established_on"] or START)
        last = self.end
        if ent["status"] in (EnterpriseStatus.CANCELLED, EnterpriseStatus.REVOKED) and ent["status_since"]:
            last = min(last, ent["status_since"])
        if first > last:
            return []
        template = ("gmp-routine" if ent["is_manufacturer"] else
                    "use-quality" if ent["is_user_unit"] and not ent["is_operator"] else "gsp-routine")
        years = max(((last - first).days + 1) / 365.25, 0.1)
        expected = self.per_enterprise * years / max(((self.end - START).days + 1) / 365.25, 0.1)
        n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        kinds = [k for k, _w in KIND_WEIGHTS]
        weights = [w for _k, w in KIND_WEIGHTS]
        plans = []
        for day in sorted([self._day(first, last) for _ in range(n)] + [d for d in flight_days if first <= d <= last]):
            kind = InspectionKind.FLIGHT if day in flight_days else rng.choices(kinds, weights)[0]
            plan = Plan(enterprise_id=ent["id"], unit_id=ent["owning_unit_id"], kind=kind, day=day,
                        officers=self._officers(ent["owning_unit_id"]))
            plan.template = template
            if (self.today - day).days <= 10 and rng.random() < 0.5:
                plan.status = InspectionStatus.DRAFT
                plan.conclusion = ""
            else:
                self._outcome(plan, template)
                plan.entry = self._entry(day)
            plans.append(plan)
        return plans

    def flight_schedule(self, enterprises: list[dict]) -> dict[int, list[dt.date]]:
        """At least FLIGHTS_PER_YEAR unannounced inspections per year across the district."""
        schedule: dict[int, list[dt.date]] = defaultdict(list)
        if not enterprises:
            return schedule
        for year in range(START.year, self.end.year + 1):
            first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), self.end)
            count = max(FLIGHTS_PER_YEAR, int(len(enterprises) * 0.01))
            for _ in range(count):
                ent = self.rng.choice(enterprises)
                schedule[ent["id"]].append(self._day(first, last))
        return schedule

    # ---- writing ---------------------------------------------------------------------------
    def _bulk(self, model, objs):
        if not objs:
            return objs
        if self.scale:
            return model.objects.bulk_create(objs, batch_size=BATCH)
        return bulk_create_with_history(objs, model, batch_size=BATCH)

    def write(self, plans: list[Plan]) -> None:
        rng = self.rng
        all_plans = plans + [p.follow_up for p in plans if p.follow_up is not None]
        inspections = []
        for p in all_plans:
            p.obj = Inspection(
                enterprise_id=p.enterprise_id, unit_id=p.unit_id, kind=p.kind, start_date=p.day,
                announced=p.kind in ANNOUNCED_KINDS, staff_count=len(p.officers), conclusion=p.conclusion,
                status=p.status, provincial_entry_due=provincial_entry_due(p.day), provincial_entry_date=p.entry,
                checklist_id=self.templates.get(p.template),
                created_by_id=p.officers[0][0],
                finalised_by_id=p.officers[0][0] if p.status == InspectionStatus.FINALISED else None,
                finalised_at=(dt.datetime.combine(p.day, dt.time(17, 0), tzinfo=self.tz)
                              if p.status == InspectionStatus.FINALISED else None),
            )
            inspections.append(p.obj)
        self._bulk(Inspection, inspections)
        officers, findings, rects, interviews = [], [], [], []
        for p in all_plans:
            for user_id, name, cert_kind, cert_no in p.officers:
                officers.append(InspectionOfficer(inspection_id=p.obj.pk, user_id=user_id, name=name,
                                                  cert_kind=cert_kind, cert_no=cert_no))
            for severity, text, item_id in p.findings:
                findings.append(Finding(inspection_id=p.obj.pk, severity=severity, text=text, checklist_item_id=item_id))
            if p.rect is not None:
                ordered, deadline, req, completed, evidence = p.rect
                rects.append(Rectification(
                    inspection_id=p.obj.pk, ordered_on=ordered, deadline=deadline, requirements=req,
                    completed_on=completed, evidence=evidence, follow_up_id=p.follow_up.obj.pk,
                    ordered_by_id=p.officers[0][0],
                ))
            if p.interview is not None:
                held, persons, record = p.interview
                interviews.append(Interview(enterprise_id=p.enterprise_id, unit_id=p.unit_id, inspection_id=p.obj.pk,
                                            held_on=held, persons=persons, record=record))
        InspectionOfficer.objects.bulk_create(officers, batch_size=BATCH)
        self._bulk(Finding, findings)
        self._bulk(Rectification, rects)
        self._bulk(Interview, interviews)
        self.counts["inspections"] += len(inspections)
        self.counts["flight"] += sum(1 for p in all_plans if p.kind == InspectionKind.FLIGHT)
        self.counts["rectifications"] += len(rects)
        self.counts["overdue"] += sum(1 for r in rects if r.completed_on is None and r.deadline < self.today)
        self.counts["interviews"] += len(interviews)
        self.counts["findings"] += len(findings)
        self.write_cases(plans, rng)

    def write_cases(self, plans: list[Plan], rng: random.Random) -> None:
        finalised = [p for p in plans if p.status == InspectionStatus.FINALISED and p.day < self.end]
        if not finalised:
            return
        enterprises = {p.enterprise_id for p in plans}
        target = self.cases_per_enterprise * len(enterprises)
        n_cases = int(target) + (1 if rng.random() < target - int(target) else 0)
        bad = [p for p in finalised if p.conclusion == Conclusion.NON_COMPLIANT]
        rest = [p for p in finalised if p.conclusion != Conclusion.NON_COMPLIANT]
        sources = bad[:n_cases] + [rng.choice(rest or bad) for _ in range(max(0, n_cases - len(bad)))]
        cases, persons, referrals, handler_rows = [], [], [], []
        for p in sources:
            filed = p.day + dt.timedelta(days=rng.randint(1, 20))
            if filed > self.end:
                continue
            simple = rng.random() < 0.3
            violation, basis = rng.choice(VIOLATIONS)
            unit = self.units[p.unit_id]
            key = (p.unit_id, filed.year)
            self.case_numbers[key] += 1
            case = Case(
                number=f"{unit.display_name}械案〔{filed.year}〕{self.case_numbers[key]}号",
                enterprise_id=p.enterprise_id, unit_id=p.unit_id, source_inspection_id=p.obj.pk, filed_on=filed,
                procedure=CaseProcedure.SIMPLE if simple else CaseProcedure.ORDINARY, violation=violation,
                legal_basis=basis, status=CaseStatus.FILED, created_by_id=p.officers[0][0],
            )
            steps = ([("decided_on", 0), ("executed_on", rng.randint(0, 5)), ("closed_on", rng.randint(1, 10))]
                     if simple else
                     [("investigated_on", rng.randint(3, 15)), ("notified_on", rng.randint(15, 40)),
                      ("decided_on", rng.randint(7, 20)), ("executed_on", rng.randint(5, 20)),
                      ("closed_on", rng.randint(10, 40))])
            status_for = {"investigated_on": CaseStatus.INVESTIGATING, "notified_on": CaseStatus.NOTIFIED,
                          "decided_on": CaseStatus.DECIDED, "executed_on": CaseStatus.EXECUTING,
                          "closed_on": CaseStatus.CLOSED}
            day = filed
            for field_name, gap in steps:
                day = day + dt.timedelta(days=gap)
                if day > self.end:
                    break
                setattr(case, field_name, day)
                case.status = status_for[field_name]
            decided = case.decided_on is not None
            if decided:
                if simple:
                    case.fine_amount = Decimal(rng.choice([200, 500, 1000, 2000, 3000]))
                else:
                    case.fine_amount = Decimal(rng.randrange(10000, 150001, 1000))
                    if rng.random() < 0.35:
                        case.confiscation_amount = Decimal(rng.randrange(500, 50001, 100))
                    if rng.random() < 0.06:
                        case.suspension_ordered = True
                    if rng.random() < 0.04:
                        case.listed_serious_dishonest = True
                    licences = self.licences.get(p.enterprise_id)
                    if licences and rng.random() < 0.03:
                        case.revoked_licence_id = licences.pop()
                        self.revoked.append(case.revoked_licence_id)
                case.decision_number = f"{unit.display_name}市监处罚〔{case.decided_on.year}〕{self.case_numbers[key]}号"
            enforcers = self.enforcers.get(p.unit_id, [])
            case.handler_ids = (rng.sample(enforcers, 2) if len(enforcers) >= 2
                                else [o[0] for o in p.officers if o[0] is not None])
            case.person = decided and not simple and rng.random() < 0.2
            case.plan = p
            cases.append(case)
        self._bulk(Case, cases)
        through = Case.handlers.through
        for case in cases:
            for user_id in case.handler_ids:
                handler_rows.append(through(case_id=case.pk, user_id=user_id))
            if case.person:
                persons.append(CasePenalisedPerson(case_id=case.pk, name="企业负责人", position="企业负责人",
                                                   fine_amount=Decimal(rng.randrange(10000, 30001, 1000))))
            roll = rng.random()
            if roll < 0.08 and case.status != CaseStatus.FILED:
                target = ReferralTarget.POLICE
            elif roll < 0.16:
                target = rng.choice([ReferralTarget.HEALTH, ReferralTarget.TELECOM, ReferralTarget.CUSTOMS,
                                     ReferralTarget.DISCIPLINE])
            else:
                target = None
            if target is None and len(self.targets_used) < len(ReferralTarget.values):
                missing = [t for t in ReferralTarget.values if t not in self.targets_used]
                target = missing[0]
            if target is not None:
                day = min(case.filed_on + dt.timedelta(days=rng.randint(5, 40)), self.end)
                referrals.append(Referral(enterprise_id=case.enterprise_id, unit_id=case.unit_id, case_id=case.pk,
                                          inspection_id=case.source_inspection_id, target=target, referred_on=day,
                                          note=REFERRAL_NOTES[target]))
                self.targets_used.add(target)
        through.objects.bulk_create(handler_rows, batch_size=BATCH)
        self._bulk(CasePenalisedPerson, persons)
        self._bulk(Referral, referrals)
        self.counts["cases"] += len(cases)
        self.counts["fines"] += int(sum(c.fine_amount + c.confiscation_amount for c in cases))
        self.counts["referrals"] += len(referrals)

    def run(self) -> str:
        columns = ["id", "owning_unit_id", "established_on", "status", "status_since", "is_manufacturer",
                   "is_operator", "is_user_unit"]
        enterprises = list(Enterprise.objects.order_by("pk").values(*columns))
        flights = self.flight_schedule(enterprises)
        for start in range(0, len(enterprises), CHUNK):
            chunk = enterprises[start:start + CHUNK]
            plans: list[Plan] = []
            for ent in chunk:
                plans.extend(self.plans_for(ent, flights.get(ent["id"], [])))
            self.write(plans)
            if self.scale and self.ctx.out is not None:
                self.ctx.out.write(f"  检查：{start + len(chunk)}/{len(enterprises)} 家企业")
        if self.revoked:
            Licence.objects.filter(pk__in=self.revoked).update(status=LicenceStatus.REVOKED)
        c = self.counts
        return (f"{c['inspections']} 次检查（飞行检查 {c['flight']}），{c['findings']} 条缺陷，"
                f"{c['rectifications']} 次责令改正（逾期未完成 {c['overdue']}），{c['interviews']} 次约谈，"
                f"{c['cases']} 件案件（罚没 {c['fines'] / 10000:.2f} 万元），{c['referrals']} 次移送")


def seed(ctx) -> str:
    return Seeder(ctx).run()
