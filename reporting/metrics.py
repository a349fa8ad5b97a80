"""The columns of the campaign forms, each defined ONCE as a database aggregate.

A return = campaign + form template + unit(s) + cut-off date. Every metric counts records of the
campaign (linked to it through their ``campaigns`` field) dated from the campaign's start to the
cut-off (cumulative, as the forms' 备注 says) whose enterprise belongs to the form row. A unit's return
counts the records whose ``unit`` is that unit; the district return (全区) counts every record of the
district, whoever made it: which units take part decides who must file, not what the district counts.

Figures are those known at the cut-off, so a past period's return rebuilt later gives the same numbers:
decision outcomes (fines, confiscations, persons punished, 停产停业, 吊销, 重失单) count only for cases
decided by the cut-off; 企业总数 is a stock of the row's enterprises active at the cut-off, each counted
for the unit that supervised it at the cut-off (the registry's history, ``enterprises.selectors``).

Computation: ONE statement per return (``compute``). Each enterprise is given, once, the bit mask of the
form rows it belongs to (from its link flags and tags, ``campaigns.rows.row_q``'s rule); each record
source (enterprises, inspections, interviews, cases, penalised persons, referrals) is scanned once, joined
to the masks and aggregated per mask, by unit and in total together; row r is the sum of the masks with
bit r set. Because the mask is a property of the enterprise, even the distinct-enterprise counts add up
across masks. The number of statements never depends on the size of the data, the rows or the units
(forms of more than 62 rows take one more mask column).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import reduce
from operator import add

from django.db import connection
from django.db.backends.postgresql.psycopg_any import is_psycopg3
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, CaseCountDate, FormRow, FormTemplate, InterviewCountMode
from campaigns.rows import TagIndex, row_q
from enterprises.choices import ACTIVE_STATUSES
from enterprises.links import link_q
from enterprises.models import Enterprise, EnterpriseStatusChange, Tag
from enterprises.selectors import owning_unit_on, status_on
from inspections.choices import InspectionStatus, ReferralTarget
from inspections.models import Case as PenaltyCase
from inspections.models import CasePenalisedPerson, Inspection, Interview, Referral
from regsys.pg import WORK_MEM

TEN_THOUSAND = Decimal(10000)
MASK_BITS = 62  # rows per query: the row mask is a signed 64-bit integer
CENT = Decimal("0.01")
FLOATS = Context(prec=15)


@dataclass(frozen=True)
class Period:
    """What a return counts: the campaign, the cut-off, the units and the template's settings.

    ``unit_ids`` None counts the whole district (the 全区 return); a tuple counts those units' records.
    ``linked`` False (a template whose ``record_scope`` is ``all``, e.g. the plan's 附件1) counts every record
    of the period, linked to the campaign or not.
    """

    campaign: Campaign
    cutoff: dt.date
    unit_ids: tuple[int, ...] | None
    case_date: str = CaseCountDate.FILED
    interview_mode: str = InterviewCountMode.DISTINCT_ENTERPRISES
    linked: bool = True

    @property
    def start(self) -> dt.date:
        return self.campaign.start_date

    def campaign_q(self, prefix: str = "") -> Q:
        """The campaign's records (every record of the period when the template counts them all)."""
        return Q(**{f"{prefix}campaigns": self.campaign}) if self.linked else Q()

    def units_q(self, unit_field: str) -> Q:
        """The records of the period's units (every record for the whole district)."""
        return Q() if self.unit_ids is None else Q(**{f"{unit_field}__in": self.unit_ids})


@dataclass(frozen=True)
class Source:
    """A kind of record a metric counts, how it is scoped to a period, and its enterprise path."""

    key: str
    model: type[Model]
    enterprise_path: str  # lookup from the model to its Enterprise ("" for Enterprise itself)
    unit_field: str  # the value naming the unit whose records these are (grouped on for per-unit grids)

    def base(self, period: Period) -> QuerySet:
        return SOURCE_BASES[self.key](period)


def _enterprise_base(period: Period) -> QuerySet:
    """Enterprises active on the cut-off day, with the unit that supervised them then (``unit_at_cutoff``).

    The status on the cut-off day is the ``from_status`` of the first status change after it, or the
    current status when nothing changed since. Enterprises established after the cut-off are left out.
    """
    return (
        _established_by(period)
        .annotate(status_at_cutoff=status_on(period.cutoff), unit_at_cutoff=owning_unit_on(period.cutoff))
        .filter(period.units_q("unit_at_cutoff"), status_at_cutoff__in=list(ACTIVE_STATUSES))
    )


def _established_by(period: Period) -> QuerySet:
    return Enterprise.objects.filter(Q(established_on__isnull=True) | Q(established_on__lte=period.cutoff))


def _enterprises_at_cutoff_sql(period: Period) -> tuple[str, list]:
    """PostgreSQL: ``status_on`` and ``owning_unit_on`` for every enterprise at once, as a relation
    ``(enterprise_id, status, unit_id)`` — one DISTINCT ON pass over the status changes and one over the
    registry's history instead of three correlated sub-queries per enterprise. Same rules (the tests run on
    both paths): the ``from_status`` of the first change after the day, else the current status; the last
    version up to the end of the day, else the first version (a unit is never empty), else the current unit.
    """
    end_of_day = timezone.make_aware(dt.datetime.combine(period.cutoff + dt.timedelta(days=1), dt.time.min))
    changes = EnterpriseStatusChange._meta.db_table
    history = Enterprise.history.model._meta.db_table
    sql = f"""SELECT e.id AS enterprise_id, COALESCE(s.from_status, e.status) AS status,
  COALESCE(h.owning_unit_id, e.owning_unit_id) AS unit_id
FROM {Enterprise._meta.db_table} e
LEFT JOIN (SELECT DISTINCT ON (c.enterprise_id) c.enterprise_id, c.from_status FROM {changes} c
           WHERE c.effective_on > %s ORDER BY c.enterprise_id, c.effective_on, c.created_at, c.id) s
  ON s.enterprise_id = e.id
LEFT JOIN (SELECT DISTINCT ON (v.id) v.id, v.owning_unit_id FROM {history} v
           ORDER BY v.id, v.history_date < %s DESC,
             CASE WHEN v.history_date < %s THEN v.history_date END DESC,
             CASE WHEN v.history_date < %s THEN v.history_id END DESC, v.history_date, v.history_id) h
  ON h.id = e.id"""
    return sql, [period.cutoff, end_of_day, end_of_day, end_of_day]


def _inspection_base(period: Period) -> QuerySet:
    return Inspection.objects.filter(
        period.units_q("unit_id"),
        period.campaign_q(),
        status=InspectionStatus.FINALISED,
        start_date__gte=period.start,
        start_date__lte=period.cutoff,
    )


def _interview_base(period: Period) -> QuerySet:
    return Interview.objects.filter(
        period.units_q("unit_id"),
        period.campaign_q(),
        held_on__gte=period.start,
        held_on__lte=period.cutoff,
    )


def _case_base(period: Period, prefix: str = "") -> QuerySet:
    date = f"{prefix}{period.case_date}"
    model = CasePenalisedPerson if prefix else PenaltyCase
    return model.objects.filter(period.units_q(f"{prefix}unit_id"), period.campaign_q(prefix), **{
        f"{date}__gte": period.start,
        f"{date}__lte": period.cutoff,
    })


def _referral_base(period: Period) -> QuerySet:
    return Referral.objects.filter(
        period.units_q("unit_id"),
        period.campaign_q(),
        referred_on__gte=period.start,
        referred_on__lte=period.cutoff,
    )


SOURCE_BASES = {
    "enterprise": _enterprise_base,
    "inspection": _inspection_base,
    "interview": _interview_base,
    "case": _case_base,
    "person": lambda period: _case_base(period, prefix="case__"),
    "referral": _referral_base,
}

SOURCES: dict[str, Source] = {
    "enterprise": Source("enterprise", Enterprise, "", "unit_at_cutoff"),
    "inspection": Source("inspection", Inspection, "enterprise__", "unit_id"),
    "interview": Source("interview", Interview, "enterprise__", "unit_id"),
    "case": Source("case", PenaltyCase, "enterprise__", "unit_id"),
    "person": Source("person", CasePenalisedPerson, "case__enterprise__", "case__unit_id"),
    "referral": Source("referral", Referral, "enterprise__", "unit_id"),
}


MONEY = DecimalField(max_digits=18, decimal_places=2)


class Agg:
    """How a metric aggregates the records of its source."""

    COUNT = "count"  # COUNT(records)
    SUM = "sum"  # SUM(value)
    DISTINCT_ENTERPRISES = "distinct"  # COUNT(DISTINCT enterprise)


@dataclass(frozen=True)
class Metric:
    """One form column: where it counts, how it aggregates, and its written definition.

    ``condition`` narrows the source's records; ``until_cutoff`` names a date that must be on or before
    the cut-off (责令改正/完成整改; a case's decision for its outcomes). Money is summed in 元 and shown in 万元.
    """

    key: str
    label: str
    source: str
    definition: str
    agg: str = Agg.COUNT
    value: str | tuple[str, ...] = "pk"
    is_money: bool = False
    condition: Q = field(default_factory=Q)
    until_cutoff: str = ""

    def kind_for(self, period: Period) -> str:
        """约谈企业数 follows the template's setting (distinct enterprises or times)."""
        if self.key == "enterprises_interviewed" and period.interview_mode == InterviewCountMode.TIMES:
            return Agg.COUNT
        return self.agg

    def cutoff_condition(self, period: Period) -> Q:
        return Q(**{f"{self.until_cutoff}__lte": period.cutoff}) if self.until_cutoff else Q()

    def aggregate(self, period: Period, row_filter: Q):
        """The SQL aggregate of this metric over the records matching ``row_filter``."""
        where = row_filter & self.condition & self.cutoff_condition(period)
        kind = self.kind_for(period)
        if kind == Agg.DISTINCT_ENTERPRISES:
            return Count("enterprise_id", filter=where, distinct=True)
        if kind == Agg.SUM:
            if isinstance(self.value, tuple):
                amount = ExpressionWrapper(sum((F(v) for v in self.value[1:]), F(self.value[0])), output_field=MONEY)
            else:
                amount = F(self.value)
            if self.is_money:
                return Coalesce(Sum(amount, filter=where, output_field=MONEY), Decimal(0), output_field=MONEY)
            return Coalesce(Sum(amount, filter=where), 0)
        return Count(self.value, filter=where)


# A case's outcome (罚没款, 处罚到人, 停产停业, 吊销, 重失单) is known once the decision is made: it counts
# only for cases decided by the cut-off, so a past period's figures do not grow when decisions come later.
DECIDED = CaseCountDate.DECIDED.value


def _referrals(target: str) -> Q:
    return Q(target=target)


METRICS: dict[str, Metric] = {m.key: m for m in [
    Metric("enterprise_total", _("企业总数"), "enterprise", _(
        "截止日期当天该行所列企业（按产品领域标签和环节确定）中，由本单位监管且处于在营、停产、停业或异常"
        "状态的企业家数；监管单位按企业登记历史取截止日期当天的单位（此后调整监管单位不改变已过期间的数字），"
        "截止日期后才成立的企业不计。全区报表统计全区企业，每家企业只计一次。")),
    Metric("staff_dispatched", _("出动人员人次"), "inspection", _(
        "专项开始至截止日期，本单位（全区报表为全区所有单位，不论是否参加本专项）已完成（定稿）并关联本专项的"
        "监督检查的“出动人员人次”之和"
        "（默认为现场检查人员数）。"), agg=Agg.SUM, value="staff_count"),
    Metric("enterprises_inspected", _("检查企业家次"), "inspection", _(
        "专项开始至截止日期，本单位已完成并关联本专项的监督检查次数；同一企业检查两次计 2 家次。")),
    Metric("ordered_to_correct", _("责令改正家次"), "inspection", _(
        "上述检查中，截止日期前已下达责令改正（限期整改）的检查家次。"), until_cutoff="rectification__ordered_on"),
    Metric("rectification_completed", _("完成整改家次"), "inspection", _(
        "上述责令改正中，截止日期前已完成整改（有完成整改日期）的家次。"), until_cutoff="rectification__completed_on"),
    Metric("enterprises_interviewed", _("约谈企业数"), "interview", _(
        "专项开始至截止日期，本单位关联本专项的约谈所涉企业数；默认同一企业多次约谈计 1 家"
        "（模板可设为按次数）。"), agg=Agg.DISTINCT_ENTERPRISES),
    Metric("cases_investigated", _("查处违法违规案件（含简易程序）"), "case", _(
        "专项开始至截止日期，本单位办理并关联本专项的行政处罚案件数，含简易程序；默认按立案日期计入"
        "（模板可设为按决定日期或结案日期）。")),
    Metric("enterprise_fines_confiscations", _("企业罚没款（万元）"), "case", _(
        "上述案件中截止日期前已作出处罚决定的，对企业的罚款与没收违法所得、非法财物金额之和，单位万元，"
        "保留两位小数；截止日期后才作出决定的不计。"),
        agg=Agg.SUM, value=("fine_amount", "confiscation_amount"), is_money=True, until_cutoff=DECIDED),
    Metric("responsible_persons_punished", _("处罚主要责任人"), "person", _(
        "上述案件中截止日期前已作出处罚决定、被处罚的主要负责人、直接负责的主管人员等责任人人数（处罚到人）。"),
        until_cutoff=f"case__{DECIDED}"),
    Metric("personal_fines", _("人员罚款（万元）"), "person", _(
        "上述案件中截止日期前已作出处罚决定的，对责任人个人的罚款之和，单位万元，保留两位小数。"),
        agg=Agg.SUM, value="fine_amount", is_money=True, until_cutoff=f"case__{DECIDED}"),
    Metric("ordered_suspension", _("责令停产停业数"), "case", _(
        "上述案件中截止日期前已决定责令停产停业的案件数。"), condition=Q(suspension_ordered=True),
        until_cutoff=DECIDED),
    Metric("licenses_revoked", _("吊销生产经营许可证数"), "case", _(
        "上述案件中截止日期前已决定吊销生产或经营许可证的案件数。"), condition=Q(revoked_licence__isnull=False),
        until_cutoff=DECIDED),
    Metric("listed_serious_dishonesty", _("严重违法失信企业列入重失单"), "case", _(
        "上述案件中截止日期前已作出处罚决定、当事企业被列入严重违法失信名单的企业数（同一企业计 1 家）。"),
        agg=Agg.DISTINCT_ENTERPRISES, condition=Q(listed_serious_dishonest=True), until_cutoff=DECIDED),
    Metric("cases_to_police", _("移送公安机关案件数"), "referral", _(
        "专项开始至截止日期，本单位关联本专项、移送公安机关的移送记录数（一案一移送）。"),
        condition=_referrals(ReferralTarget.POLICE)),
    Metric("clues_to_health_dept", _("移交卫生主管部门线索数"), "referral", _(
        "同期移交卫生健康主管部门的线索数。"), condition=_referrals(ReferralTarget.HEALTH)),
    Metric("websites_to_telecom_authority", _("移交通信管理部门违法网站数"), "referral", _(
        "同期移交通信管理部门的违法网站数。"), condition=_referrals(ReferralTarget.TELECOM)),
    Metric("clues_to_customs", _("移交海关部门线索数"), "referral", _(
        "同期移交海关的线索数。"), condition=_referrals(ReferralTarget.CUSTOMS)),
    Metric("clues_to_discipline_inspection", _("移交纪检部门线索数"), "referral", _(
        "同期移交纪检监察机关的线索数。"), condition=_referrals(ReferralTarget.DISCIPLINE)),
]}

METRIC_CHOICES = [(m.key, m.label) for m in METRICS.values()]


def metric_records(*, metric: str, row: FormRow, period: Period) -> QuerySet:
    """The records behind one cell (for the drill-down list). Same filters as the aggregate."""
    m = METRICS[metric]
    source = SOURCES[m.source]
    return source.base(period).filter(row_q(row, TagIndex(), source.enterprise_path)).filter(
        m.condition & m.cutoff_condition(period)
    )


# --- the grid ---------------------------------------------------------------------------------------

Grid = dict[str, dict[str, int | Decimal]]  # row key -> metric key -> value



def _normalise(metric: Metric, value) -> int | Decimal:
    if metric.is_money:
        return (Decimal(value or 0) / TEN_THOUSAND).quantize(CENT)
    return int(value or 0)


def _number(value) -> int | Decimal:
    """A raw aggregate as a number (SQLite sums decimal columns as floats: back to cents, as Django does)."""
    if value is None:
        return 0
    if isinstance(value, float):
        return FLOATS.create_decimal_from_float(value).quantize(CENT)
    return value


def _bit_or(column: str, bits: int) -> str:
    """The aggregate OR of ``column`` (PostgreSQL's bit_or; elsewhere a MAX per bit, added up)."""
    if connection.vendor == "postgresql":
        return f"bit_or({column})"
    return " + ".join(f"MAX({column} & {1 << b})" for b in range(MASK_BITS) if bits >> b & 1) or "0"


def _sql(queryset: QuerySet) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _masks_sql(chunks: list[list[FormRow]]) -> tuple[str, list]:
    """CTEs ``row_codes``, ``row_tags`` and ``masks(enterprise_id, mask0, mask1 …)``: each enterprise's bit mask of
    the form rows it belongs to (``campaigns.rows.row_q``), computed ONCE from its link flags and tags.

    Row r of a chunk is bit r: the enterprise is in the row's link, has one of the row's tags (or
    the row has no tags) and none of its excluded tags. Per tag code, the rows it puts an enterprise in
    (``inc``) or out of (``exc``); the codes become tag ids with their descendants inside the statement
    (a recursive CTE over the tag tree, as ``TagIndex`` does in Python — no round trip for the tag table);
    per enterprise, the OR over its tags. The caller writes ``WITH RECURSIVE`` before these CTEs.
    """
    per_code: dict[str, list[int]] = {}
    link_masks: list[Q] = []
    no_tag_bits: list[int] = []
    for c, chunk in enumerate(chunks):
        by_link: dict[str, int] = {}
        free = 0
        for r, row in enumerate(chunk):
            by_link[row.link or ""] = by_link.get(row.link or "", 0) | 1 << r
            if row.tag_codes:
                for code in row.tag_codes:
                    per_code.setdefault(code, [0] * (2 * len(chunks)))[2 * c] |= 1 << r
            else:
                free |= 1 << r
            for code in row.exclude_tag_codes or []:
                per_code.setdefault(code, [0] * (2 * len(chunks)))[2 * c + 1] |= 1 << r
        no_tag_bits.append(free)
        # the links' bits (a row has one link, so the sum is the OR); link_q is the one definition
        link_masks.append(reduce(add, [
            Case(When(link_q(link), then=Value(bits)), default=Value(0), output_field=BigIntegerField())
            if link else Value(bits, output_field=BigIntegerField())
            for link, bits in by_link.items()
        ]))
    links = Enterprise.objects.order_by().values("id").annotate(**{f"l{c}": m for c, m in enumerate(link_masks)})
    link_sql, link_params = _sql(links)
    columns = [f"{kind}{c}" for c in range(len(chunks)) for kind in ("inc", "exc")]
    ctes, params = [], []
    if per_code:
        values = ", ".join(
            "(" + ", ".join(["CAST(%s AS TEXT)" if n == 0 else "%s", *[
                f"CAST({v} AS BIGINT)" if n == 0 else str(v) for v in bits]]) + ")"
            for n, (code, bits) in enumerate(sorted(per_code.items()))
        )
        params += sorted(per_code)
        ctes.append(f"row_codes(code, {', '.join(columns)}) AS (VALUES {values})")
        tag_table = Tag._meta.db_table
        rt_columns = ", ".join(f"rt.{col}" for col in columns)
        # UNION (not ALL): a tag reached twice with the same bits counts once, and a cycle cannot loop
        ctes.append(
            f"row_tags(tag_id, {', '.join(columns)}) AS (SELECT t.id, "
            + ", ".join(f"rc.{col}" for col in columns)
            + f" FROM row_codes rc JOIN {tag_table} t ON t.code = rc.code UNION SELECT child.id, {rt_columns} "
            f"FROM row_tags rt JOIN {tag_table} child ON child.parent_id = rt.tag_id)"
        )
        union = [0] * len(columns)
        for bits in per_code.values():
            union = [a | b for a, b in zip(union, bits, strict=True)]
        ors = ", ".join(f"{_bit_or('rt.' + col, u)} AS {col}" for col, u in zip(columns, union, strict=True))
        ctes.append(
            f"enterprise_tags(enterprise_id, {', '.join(columns)}) AS (SELECT et.enterprise_id, {ors} "
            f"FROM {Enterprise.tags.through._meta.db_table} et JOIN row_tags rt ON rt.tag_id = et.tag_id "
            "GROUP BY et.enterprise_id)"
        )
        join = "LEFT JOIN enterprise_tags t ON t.enterprise_id = x.id"
        inc, exc = "COALESCE(t.inc{c}, 0)", "COALESCE(t.exc{c}, 0)"
    else:
        join, inc, exc = "", "0", "0"
    masks = [
        f"(x.l{c} & ({inc.format(c=c)} | {no_tag_bits[c]}) & ~{exc.format(c=c)})" for c in range(len(chunks))
    ]
    ctes.append(
        "masks AS (SELECT * FROM (SELECT x.id AS enterprise_id, "
        + ", ".join(f"{m} AS mask{c}" for c, m in enumerate(masks))
        + f" FROM ({link_sql}) x {join}) y WHERE "
        + " OR ".join(f"mask{c} <> 0" for c in range(len(chunks))) + ")"
    )
    return ",\n".join(ctes), [*params, *link_params]


def form_enterprises_sql(rows: list[FormRow]) -> tuple[str, list]:
    """CTEs ending in ``masks(enterprise_id, …)``: the enterprises in at least one of ``rows`` — the same
    rule as ``campaigns.rows.campaign_enterprises_q``, computed once per enterprise from its link flags and
    tags (for a statement that needs the form's enterprises, e.g. the 校验提示's unlinked records; it writes
    ``WITH RECURSIVE`` before them)."""
    return _masks_sql([rows[i:i + MASK_BITS] for i in range(0, len(rows), MASK_BITS)])


def _contribution(metric: Metric, period: Period):
    """What one record adds to ``metric`` (NULL when it does not count): the value the outer aggregate takes."""
    where = metric.condition & metric.cutoff_condition(period)
    kind = metric.kind_for(period)
    if kind == Agg.DISTINCT_ENTERPRISES:
        value, output = F("enterprise_id"), BigIntegerField()
    elif kind == Agg.SUM and isinstance(metric.value, tuple):
        value = ExpressionWrapper(sum((F(v) for v in metric.value[1:]), F(metric.value[0])), output_field=MONEY)
        output = MONEY
    else:
        value, output = F(metric.value), MONEY if metric.is_money else BigIntegerField()
    if not where:
        return value
    return Case(When(where, then=value), default=Value(None), output_field=output)


_AGGREGATES = {Agg.COUNT: "COUNT({})", Agg.SUM: "SUM({})", Agg.DISTINCT_ENTERPRISES: "COUNT(DISTINCT {})"}


def _build_statement(period: Period, chunks: list[list[FormRow]], sources: list, total_wanted: bool,
                     units_wanted: bool) -> tuple[str, list]:
    """The return's one statement and its parameters (see ``compute``)."""
    masks_sql, params = _masks_sql(chunks)
    mask_columns = ", ".join(f"m.mask{c}" for c in range(len(chunks)))
    width = max(len(ms) for _key, ms in sources)
    grouping_sets = connection.vendor == "postgresql"
    branches: list[str] = []
    for number, (source_key, source_metrics) in enumerate(sources):
        source = SOURCES[source_key]
        contributions = {f"v{n}": _contribution(m, period) for n, m in enumerate(source_metrics)}
        if source_key == "enterprise" and connection.vendor == "postgresql":
            # the status and unit at the cut-off in one pass each (not three sub-queries per enterprise)
            at_sql, at_params = _enterprises_at_cutoff_sql(period)
            inner, inner_params = _sql(_established_by(period).order_by().values(
                rec_enterprise=F("id"), **contributions))
            statuses = ", ".join(["%s"] * len(ACTIVE_STATUSES))
            where = f" WHERE a.status IN ({statuses})"
            inner_params = [*at_params, *inner_params, *ACTIVE_STATUSES]
            if period.unit_ids is not None:
                where += f" AND a.unit_id IN ({', '.join(['%s'] * len(period.unit_ids))})"
                inner_params += list(period.unit_ids)
            inner = f"SELECT r.*, a.unit_id AS rec_unit FROM ({at_sql}) a JOIN ({inner}) r " \
                    f"ON r.rec_enterprise = a.enterprise_id{where}"
        else:
            inner, inner_params = _sql(source.base(period).order_by().values(
                rec_enterprise=F(f"{source.enterprise_path}id"), rec_unit=F(source.unit_field), **contributions))
        values = [_AGGREGATES[m.kind_for(period)].format(f"r.v{n}") for n, m in enumerate(source_metrics)]
        values += ["CAST(NULL AS NUMERIC)"] * (width - len(values))
        body = (f"FROM ({inner}) r JOIN masks m ON m.enterprise_id = r.rec_enterprise")
        if grouping_sets and total_wanted and units_wanted:
            sets = f"GROUPING SETS ((r.rec_unit, {mask_columns}), ({mask_columns}))"
            branches.append(f"SELECT {number} AS src, GROUPING(r.rec_unit) AS total, r.rec_unit AS unit, "
                            f"{mask_columns}, {', '.join(values)} {body} GROUP BY {sets}")
            params += inner_params
            continue
        if units_wanted:
            branches.append(f"SELECT {number} AS src, 0 AS total, r.rec_unit AS unit, {mask_columns}, "
                            f"{', '.join(values)} {body} GROUP BY r.rec_unit, {mask_columns}")
            params += inner_params
        if total_wanted:
            branches.append(f"SELECT {number} AS src, 1 AS total, NULL AS unit, {mask_columns}, "
                            f"{', '.join(values)} {body} GROUP BY {mask_columns}")
            params += inner_params
    return f"WITH RECURSIVE {masks_sql}\n" + "\nUNION ALL\n".join(branches), params


def _statement(period: Period, template: FormTemplate, chunks: list[list[FormRow]], sources: list,
               total_wanted: bool, units_wanted: bool) -> tuple[str, list]:
    """``_build_statement``, kept per process for the same inputs: the statement is a pure function of the
    template's rows (their links and tag codes — the codes become ids inside the statement, so a change of
    the tag table needs no new text), the metrics, the period and the grouping; building it through the
    ORM is most of a small return's Python time, and a return is recomputed for the same cut-off often."""
    key = (
        connection.vendor, template.pk, period.campaign.pk, period.campaign.start_date, period.campaign.end_date,
        period.cutoff, period.unit_ids, period.case_date, period.interview_mode, period.linked,
        total_wanted, units_wanted,
        tuple((r.link, tuple(r.tag_codes or ()), tuple(r.exclude_tag_codes or ())) for chunk in chunks for r in chunk),
        tuple(len(chunk) for chunk in chunks), tuple((k, tuple(m.key for m in ms)) for k, ms in sources),
    )
    found = _STATEMENTS.get(key)
    if found is None:
        found = _build_statement(period, chunks, sources, total_wanted, units_wanted)
        if len(_STATEMENTS) >= STATEMENT_CACHE_SIZE:
            _STATEMENTS.pop(next(iter(_STATEMENTS)))  # the oldest
        _STATEMENTS[key] = found
    return found[0], list(found[1])


STATEMENT_CACHE_SIZE = 64
_STATEMENTS: dict[tuple, tuple[str, list]] = {}


def compute(
    *, template: FormTemplate, period: Period, by_unit: bool = False, with_total: bool = False,
    units: tuple[int, ...] | None = None, rows: list[FormRow] | None = None, metrics: list[str] | None = None,
) -> dict[int | None, Grid]:
    """The form's numbers for ``period``: ``{None: grid}``, or ``{unit_id: grid}`` with ``by_unit``.

    ``by_unit`` gives a grid per unit of ``units`` (default: the period's units); ``with_total`` adds the
    period's own total under ``None`` — e.g. the district return (``unit_ids`` None) and each unit's
    sheet, in one pass.

    ONE statement whatever the data size, rows and units (plus the tag table and, on PostgreSQL, the
    work_mem setting): each enterprise's row mask is computed once from its tags, each record source
    is scanned once joined to the masks and aggregated per mask and unit and per mask alone (GROUPING
    SETS on PostgreSQL); row r is the sum over the masks with bit r set. A mask is a property of the
    enterprise, so even the distinct-enterprise counts add up across masks.
    """
    rows = rows if rows is not None else list(template.rows.order_by("order"))
    metrics = metrics if metrics is not None else list(template.columns.order_by("order").values_list("metric", flat=True))
    if by_unit:
        if units is None:
            if period.unit_ids is None:
                raise ValueError("a per-unit grid needs the units")
            units = period.unit_ids
        units = tuple(units)
        if period.unit_ids is not None and not set(units) <= set(period.unit_ids):
            raise ValueError("the units of a per-unit grid must be among the period's units")
    keys: list[int | None] = list(units) if by_unit else []
    if with_total or not by_unit:
        keys.append(None)
    result: dict[int | None, Grid] = {k: {r.key: {} for r in rows} for k in keys}
    by_source: dict[str, list[Metric]] = {}
    for key in metrics:
        by_source.setdefault(METRICS[key].source, []).append(METRICS[key])
    if not rows or not by_source:
        for key in keys:
            for row in rows:
                result[key][row.key] = {m: _normalise(METRICS[m], 0) for m in metrics}
        return result
    chunks = [rows[first:first + MASK_BITS] for first in range(0, len(rows), MASK_BITS)]
    sources = list(by_source.items())
    total_wanted, units_wanted = None in keys, by_unit
    sql, params = _statement(period, template, chunks, sources, total_wanted, units_wanted)
    sums: dict[int | None, dict[str, dict[str, int | Decimal]]] = {
        k: {r.key: dict.fromkeys(metrics, 0) for r in rows} for k in keys
    }
    wanted = set(keys)
    with connection.cursor() as cursor:
        cursor.execute(_tuned(sql), params)
        records = cursor.fetchall()
    row_keys: list[dict[int, tuple[str, ...]]] = [{} for _ in chunks]  # per chunk: mask → its rows' keys
    for record in records:
        key = None if record[1] else record[2]
        if key not in wanted:
            continue
        grid = sums[key]
        values = [
            (_number(value) if metric.is_money else int(value or 0), metric.key)
            for metric, value in zip(sources[record[0]][1], record[3 + len(chunks):], strict=False)
        ]
        for c, chunk in enumerate(chunks):
            mask = record[3 + c]
            if not mask:
                continue
            keys_of_mask = row_keys[c].get(mask)
            if keys_of_mask is None:
                keys_of_mask = row_keys[c][mask] = _mask_rows(mask, chunk)
            for row_key in keys_of_mask:
                cell = grid[row_key]
                for value, metric_key in values:
                    cell[metric_key] += value
    money = {m for m in metrics if METRICS[m].is_money}
    for key in keys:
        for row in rows:
            cell = sums[key][row.key]
            for m in money:
                cell[m] = (Decimal(cell[m]) / TEN_THOUSAND).quantize(CENT)
            result[key][row.key] = cell
    return result


def _mask_rows(mask: int, chunk: list[FormRow]) -> tuple[str, ...]:
    """The keys of the rows of ``chunk`` whose bit is set in ``mask`` (bit i = the chunk's i-th row)."""
    return tuple(row.key for index, row in enumerate(chunk) if mask >> index & 1)


def _tuned(sql: str) -> str:
    """``sql`` with room for its sorts and hashes (PostgreSQL, inside a transaction): ``SET LOCAL work_mem``
    sent in the same round trip (psycopg2 sends a parameterised string as one query text; psycopg 3 binds
    on the server, one statement per call, so there it goes first on its own)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return sql
    setting = f"SET LOCAL work_mem = '{WORK_MEM}'"
    if is_psycopg3:
        with connection.cursor() as cursor:
            cursor.execute(setting)
        return sql
    return f"{setting};\n{sql}"
