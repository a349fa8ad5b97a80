"""Benchmark: the district return (total and every unit) and a unit's return, compute() vs the best hand SQL.

The baseline is ONE hand-written statement: each enterprise's row mask computed once from its tags and
link flags, the status and the owning unit at the cut-off in one DISTINCT ON pass each, every record
table scanned once joined to the masks and grouped by mask, the district and every unit together
(GROUPING SETS). Both sides run in a transaction with the same ``SET LOCAL work_mem`` (metrics.WORK_MEM)
on the connection settings' JIT setting (``-c jit=off`` unless DB_OPTIONS says otherwise; printed).

Usage (PostgreSQL; reads the database only — builds it with ``seed_demo --scale N`` when it is empty):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_s10 \\
        .venv/bin/python benchmarks/bench_returns.py [--template 统计表二] [--cutoff 2023-12-25] [--runs 7]

Prints the data size, both timings (best of alternated warm runs), their ratio, the statements and the
Python time of compute() (wall minus SQL, and this process's CPU time), the peak memory, and checks that
both give the same numbers (exit code 1 if they differ).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regsys.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from campaigns.rows import TagIndex  # noqa: E402
from enterprises.choices import ACTIVE_STATUSES  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from inspections.models import Case, Inspection  # noqa: E402
from reporting import metrics as metrics_module  # noqa: E402
from reporting.metrics import WORK_MEM, Period, compute  # noqa: E402
from reporting.selectors import campaign_units  # noqa: E402

# The links as SQL on the enterprise table, written by hand (they must agree with enterprises.links).
LINK_SQL = {
    "manufacture": "e.is_manufacturer",
    "operation": "e.is_operator",
    "delivery": "e.is_operator AND e.is_vbp_distributor",
    "use": "e.is_user_unit",
    "registrant": "e.is_registrant AND e.entrusts_production",
    "contract_manufacturer": "e.is_contract_manufacturer",
    "online_sales": "e.is_online_seller",
    "platform": "e.is_platform",
    "": "TRUE",
}


def masks_cte(rows, tags: TagIndex) -> str:
    """CTEs ending in ``masks(enterprise_id, mask)``: each enterprise's bit mask of the rows it is in (bit r =
    row r), computed once: its link flags, OR-ed with the rows its tags put it in, minus the rows its tags
    exclude it from. One pass over the enterprise-tag table, one over the enterprises."""
    if len(rows) > 62:
        raise SystemExit("the hand SQL handles forms of up to 62 rows")
    inc: dict[int, int] = {}
    exc: dict[int, int] = {}
    free = 0
    links: dict[str, int] = {}
    for number, row in enumerate(rows):
        links[row.link or ""] = links.get(row.link or "", 0) | 1 << number
        if row.tag_codes:
            for pk in tags.ids(row.tag_codes):
                inc[pk] = inc.get(pk, 0) | 1 << number
        else:
            free |= 1 << number
        for pk in tags.ids(row.exclude_tag_codes or []):
            exc[pk] = exc.get(pk, 0) | 1 << number
    link_mask = " + ".join(f"CASE WHEN {LINK_SQL[link]} THEN {bits} ELSE 0 END" for link, bits in links.items())
    values = ", ".join(f"({pk}, {inc.get(pk, 0)}::bigint, {exc.get(pk, 0)}::bigint)" for pk in sorted({*inc, *exc}))
    if not values:
        return f"masks AS (SELECT e.id AS enterprise_id, ({link_mask}) & {free} AS mask FROM enterprises_enterprise e)"
    return f"""row_tags(tag_id, inc, exc) AS (VALUES {values}),
enterprise_bits AS (
  SELECT t.enterprise_id, bit_or(rt.inc) AS inc, bit_or(rt.exc) AS exc
  FROM enterprises_enterprise_tags t JOIN row_tags rt ON rt.tag_id = t.tag_id GROUP BY t.enterprise_id),
masks AS (
  SELECT * FROM (
    SELECT e.id AS enterprise_id,
      ({link_mask}) & (COALESCE(b.inc, 0) | {free}) & ~COALESCE(b.exc, 0) AS mask
    FROM enterprises_enterprise e LEFT JOIN enterprise_bits b ON b.enterprise_id = e.id) x
  WHERE mask <> 0)"""


# The value columns of each source's statement part, in this order (v0, v1, …).
HAND_METRICS = {
    "enterprise": ["enterprise_total"],
    "inspection": ["staff_dispatched", "enterprises_inspected", "ordered_to_correct", "rectification_completed"],
    "interview": ["enterprises_interviewed"],
    "case": ["cases_investigated", "enterprise_fines_confiscations", "responsible_persons_punished",
             "personal_fines", "ordered_suspension", "licenses_revoked", "listed_serious_dishonesty"],
    "referral": ["cases_to_police", "clues_to_health_dept", "websites_to_telecom_authority", "clues_to_customs",
                 "clues_to_discipline_inspection"],
}


def hand_sql(rows, tags, campaign, cutoff, unit_ids, case_date: str, by_unit: bool, linked: bool = True,
             setting: str = "") -> dict:
    """The same numbers as reporting.metrics, written by hand as ONE statement: ``{unit|None: {row_no: {metric:
    value}}}`` (the district or ``unit_ids``' total under None, and each unit with ``by_unit``).

    Masks once per enterprise; the status and the owning unit at the cut-off in one DISTINCT ON pass each;
    each record table scanned once joined to the masks, grouped by mask per unit and in total together
    (GROUPING SETS). A case's outcomes count when decided by the cut-off. ``setting`` (e.g. ``SET LOCAL
    work_mem``) is sent in the same round trip, as compute() does.
    """
    start = campaign.start_date.isoformat()
    end = cutoff.isoformat()
    end_of_day = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min)).isoformat()
    statuses = ",".join(f"'{s}'" for s in ACTIVE_STATUSES)

    def units(column: str) -> str:
        return "TRUE" if unit_ids is None else f"{column} IN ({','.join(map(str, unit_ids))})"

    def linked_to(table: str, column: str, alias: str) -> str:
        if not linked:
            return ""
        return (f"JOIN inspections_{table}_campaigns {alias}c ON {alias}c.{column} = {alias}.id "
                f"AND {alias}c.campaign_id = {campaign.pk}")

    decided = f"k.decided_on <= '{end}'"
    width = max(map(len, HAND_METRICS.values()))

    def part(number: int, unit: str, values: list[str], body: str) -> str:
        values = values + ["CAST(NULL AS NUMERIC)"] * (width - len(values))
        if not by_unit:
            return f"SELECT {number} AS src, 1 AS total, NULL AS unit, m.mask, {', '.join(values)}\n{body}\nGROUP BY m.mask"
        return (f"SELECT {number} AS src, GROUPING({unit}) AS total, {unit} AS unit, m.mask, {', '.join(values)}\n"
                f"{body}\nGROUP BY GROUPING SETS (({unit}, m.mask), (m.mask))")

    sql = f"""WITH {masks_cte(rows, tags)},
status_at AS (  -- the status on the cut-off day: from_status of the first change after it
  SELECT DISTINCT ON (c.enterprise_id) c.enterprise_id, c.from_status FROM enterprises_enterprisestatuschange c
  WHERE c.effective_on > '{end}' ORDER BY c.enterprise_id, c.effective_on, c.created_at, c.id),
unit_at AS (  -- the unit at the end of the cut-off day: the last version by then, else the first one
  SELECT DISTINCT ON (h.id) h.id, h.owning_unit_id FROM enterprises_historicalenterprise h
  ORDER BY h.id, h.history_date < '{end_of_day}' DESC,
    CASE WHEN h.history_date < '{end_of_day}' THEN h.history_date END DESC,
    CASE WHEN h.history_date < '{end_of_day}' THEN h.history_id END DESC, h.history_date, h.history_id),
persons AS (
  SELECT p.case_id, COUNT(*) AS n, SUM(p.fine_amount) AS fines FROM inspections_casepenalisedperson p
  GROUP BY p.case_id)
""" + "\nUNION ALL\n".join([
        part(0, "COALESCE(ua.owning_unit_id, e.owning_unit_id)", ["COUNT(*)"], f"""FROM enterprises_enterprise e
JOIN masks m ON m.enterprise_id = e.id
LEFT JOIN status_at s ON s.enterprise_id = e.id LEFT JOIN unit_at ua ON ua.id = e.id
WHERE (e.established_on IS NULL OR e.established_on <= '{end}') AND COALESCE(s.from_status, e.status) IN ({statuses})
  AND {units("COALESCE(ua.owning_unit_id, e.owning_unit_id)")}"""),
        part(1, "i.unit_id", ["SUM(i.staff_count)", "COUNT(*)", f"COUNT(r.id) FILTER (WHERE r.ordered_on <= '{end}')",
                              f"COUNT(r.id) FILTER (WHERE r.completed_on <= '{end}')"], f"""FROM inspections_inspection i
{linked_to("inspection", "inspection_id", "i")}
JOIN masks m ON m.enterprise_id = i.enterprise_id
LEFT JOIN inspections_rectification r ON r.inspection_id = i.id
WHERE i.status = 'finalised' AND i.start_date BETWEEN '{start}' AND '{end}' AND {units("i.unit_id")}"""),
        part(2, "v.unit_id", ["COUNT(DISTINCT v.enterprise_id)"], f"""FROM inspections_interview v
{linked_to("interview", "interview_id", "v")}
JOIN masks m ON m.enterprise_id = v.enterprise_id
WHERE v.held_on BETWEEN '{start}' AND '{end}' AND {units("v.unit_id")}"""),
        part(3, "k.unit_id", [
            "COUNT(*)", f"SUM(k.fine_amount + k.confiscation_amount) FILTER (WHERE {decided})",
            f"SUM(p.n) FILTER (WHERE {decided})", f"SUM(p.fines) FILTER (WHERE {decided})",
            f"COUNT(*) FILTER (WHERE k.suspension_ordered AND {decided})",
            f"COUNT(k.revoked_licence_id) FILTER (WHERE {decided})",
            f"COUNT(DISTINCT k.enterprise_id) FILTER (WHERE k.listed_serious_dishonest AND {decided})"],
            f"""FROM inspections_case k
{linked_to("case", "case_id", "k")}
JOIN masks m ON m.enterprise_id = k.enterprise_id
LEFT JOIN persons p ON p.case_id = k.id
WHERE k.{case_date} BETWEEN '{start}' AND '{end}' AND {units("k.unit_id")}"""),
        part(4, "f.unit_id", [f"COUNT(*) FILTER (WHERE f.target = '{target}')" for target in
                              ("police", "health", "telecom", "customs", "discipline")],
             f"""FROM inspections_referral f
{linked_to("referral", "referral_id", "f")}
JOIN masks m ON m.enterprise_id = f.enterprise_id
WHERE f.referred_on BETWEEN '{start}' AND '{end}' AND {units("f.unit_id")}"""),
    ])
    names = list(HAND_METRICS.values())
    result: dict = {}
    with connection.cursor() as cursor:
        cursor.execute(setting + sql)
        records = cursor.fetchall()
    for src, is_total, unit, mask, *values in records:
        grid = result.setdefault(None if is_total else unit, {})
        for number in range(len(rows)):
            if mask >> number & 1:
                cell = grid.setdefault(number, {})
                for name, value in zip(names[src], values, strict=False):
                    cell[name] = cell.get(name, 0) + (value or 0)
    return result


def normalise(value) -> Decimal | int:
    if isinstance(value, Decimal):
        return value
    return int(value or 0)


def compare(orm: dict, hand: dict, rows, metrics, money: set[str], keys) -> list[str]:
    problems = []
    for unit in keys:
        for number, row in enumerate(rows):
            got = orm[unit][row.key]
            expected_cell = hand.get(unit, {}).get(number, {})
            for metric in metrics:
                expected = expected_cell.get(metric) or 0
                if metric in money:
                    expected = (Decimal(expected) / 10000).quantize(Decimal("0.01"))
                if normalise(got[metric]) != normalise(expected):
                    problems.append(f"{unit} {row.key} {metric}: compute {got[metric]} vs hand SQL {expected}")
    return problems


class StatementClock:
    """Time spent executing SQL (the rest of a computation is Python)."""

    def __init__(self):
        self.seconds = 0.0
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements += 1


def measured(fn):
    """(value, wall time, SQL wall time, statement count, this process's CPU time) of one run.

    The CPU time of the process is the Python overhead (building the statement, reading the rows) free
    of the waits a busy machine adds to wall time."""
    clock = StatementClock()
    with connection.execute_wrapper(clock):
        cpu = time.process_time()
        started = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
    fn.value = value
    return value, elapsed, clock.seconds, clock.statements, cpu


def time_build_return(campaign, template, cutoff, runs: int) -> None:
    """What ``manage.py build_return --unit district`` does once Django is up, in parts (best of ``runs``):
    compute_return_data (the return's statement, the 校验提示's unlinked records, the fill), the export
    input, the Excel and the Word file."""
    from reporting.exporters.docx import export_docx
    from reporting.exporters.xlsx import export_xlsx
    from reporting.selectors import district_reporting_unit
    from reporting.services import build_export_input, compute_return_data, return_contact
    from reporting.validation import unlinked_records

    filled_by, contact = return_contact(unit=None, filled_by="", contact="")
    parts: dict[str, list] = {}
    data: dict = {}  # each run's return and export input, overwritten run by run
    for _ in range(runs):
        def numbers():
            data["data"] = compute_return_data(campaign=campaign, template=template, unit=None, cutoff=cutoff)

        def export_input():
            data["input"] = build_export_input(
                campaign=campaign, template=template, unit=None, cutoff=cutoff, data=data["data"],
                filled_by=filled_by, contact=contact, unscheduled=False, reporting_unit=district_reporting_unit())

        steps = [
            ("of which 校验提示 (unlinked_records)", lambda: unlinked_records(
                campaign=campaign, template=template, unit=None, cutoff=cutoff, sheet="全区")),
            ("compute_return_data", numbers), ("build_export_input", export_input),
            ("export_xlsx", lambda: export_xlsx(data["input"])), ("export_docx", lambda: export_docx(data["input"])),
        ]
        total = [0.0, 0.0, 0, 0.0]
        for label, step in steps:
            _value, wall, sql, statements, cpu = measured(step)
            parts.setdefault(label, []).append((wall, sql, statements, cpu))
            if not label.startswith("of which"):
                total = [total[0] + wall, total[1] + sql, total[2] + statements, total[3] + cpu]
        parts.setdefault("build_return (all but the process start)", []).append(tuple(total))
    print("build_return for the district return (best of runs; wall / SQL / statements / CPU):")
    for label, found in parts.items():
        wall, sql, statements, cpu = min(found)
        print(f"  {label}: {wall * 1000:.0f} ms / {sql * 1000:.0f} ms / {statements} / {cpu * 1000:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100, help="seed_demo scale when the database is empty")
    parser.add_argument("--template", default="统计表二")
    parser.add_argument("--cutoff", default="2023-12-25")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each side, alternated (best kept)")
    parser.add_argument("--build-return", action="store_true",
                        help="also time build_return's work for the district return (numbers, 校验提示, Excel, Word)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：设置 DATABASE_URL")
        return 2
    if not Enterprise.objects.exists():
        print(f"building seed_demo --scale {args.scale} …", flush=True)
        started = time.perf_counter()
        call_command("seed_demo", scale=args.scale)
        print(f"built in {time.perf_counter() - started:.0f}s")
    campaign = Campaign.objects.filter(year=2023).order_by("pk").first()
    template = campaign.forms.get(code=args.template)
    cutoff = dt.date.fromisoformat(args.cutoff)
    units = [u.pk for u in campaign_units(campaign)]
    rows = list(template.rows.order_by("order"))
    columns = list(template.columns.order_by("order"))
    metrics = [c.metric for c in columns]
    money = {c.metric for c in columns if c.decimals}
    linked = getattr(template, "record_scope", "linked") != "all"
    tags = TagIndex()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(f"data: {Enterprise.objects.count():,} enterprises, {Inspection.objects.count():,} inspections, "
          f"{Case.objects.count():,} cases, {campaign.inspections.count():,} linked to {campaign}; "
          f"{len(units)} units; {template} {len(rows)} rows x {len(metrics)} columns")
    print(f"{version}; jit={jit}; work_mem {WORK_MEM} on both sides (SET LOCAL in the transaction); "
          f"best of {args.runs} warm runs, alternated")

    def period(unit_ids):
        return Period(campaign=campaign, cutoff=cutoff, unit_ids=None if unit_ids is None else tuple(unit_ids),
                      case_date=template.case_count_date, interview_mode=template.interview_count_mode,
                      linked=linked)

    def with_compute(unit_ids, **kwargs):
        def run():
            with transaction.atomic():
                return compute(template=template, period=period(unit_ids), rows=rows, metrics=metrics, **kwargs)
        return run

    def built(fn):
        def run():
            getattr(metrics_module, "_STATEMENTS", {}).clear()  # a first computation: built, not reused (older commits: always)
            return fn()
        return run

    def with_sql(unit_ids, by_unit):
        def run():
            with transaction.atomic():
                return hand_sql(rows, tags, campaign, cutoff, unit_ids, template.case_count_date, by_unit, linked,
                                setting=f"SET LOCAL work_mem = '{WORK_MEM}';\n")
        return run

    cases = [
        ("district return: total + every unit, one pass", with_compute(None, by_unit=True, with_total=True,
                                                                       units=tuple(units)),
         with_sql(None, True), [None, *units]),
        ("district return, statement built (not cached)", built(with_compute(None, by_unit=True, with_total=True,
                                                                              units=tuple(units))),
         with_sql(None, True), [None, *units]),
        ("district total only", with_compute(None), with_sql(None, False), [None]),
        ("one unit's return", with_compute(units[:1]), with_sql(units[:1], False), [None]),
    ]
    with_sql(None, True)()  # warm the cache for both sides alike
    problems = []
    for label, orm_fn, sql_fn, keys in cases:
        best_orm = best_sql = None
        for _ in range(args.runs):  # alternated, so both sides meet the same load on a shared machine
            best_orm = min(best_orm or (float("inf"),), measured(orm_fn)[1:], key=lambda b: b[0])
            got = orm_fn.value
            best_sql = min(best_sql or (float("inf"),), measured(sql_fn)[1:], key=lambda b: b[0])
            hand = sql_fn.value
        t_orm, t_orm_sql, n_orm, cpu = best_orm
        t_sql = best_sql[0]
        problems += compare(got, hand, rows, metrics, money, keys)
        print(f"{label}: compute {t_orm * 1000:.0f} ms ({n_orm} statements; Python: wall {(t_orm - t_orm_sql) * 1000:.0f}"
              f" ms, CPU {cpu * 1000:.0f} ms)  hand SQL {t_sql * 1000:.0f} ms  ratio {t_orm / t_sql:.2f}")
    tracemalloc.start()  # a separate run: tracing slows Python down, so it is not timed
    cases[0][1]()
    peak_python = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: Python heap during the district pass {peak_python / 1e6:.1f} MB; "
          f"process max RSS {max_rss:.0f} MB")
    if args.build_return:
        time_build_return(campaign, template, cutoff, args.runs)
    if problems:
        print(f"MISMATCH ({len(problems)}):", *problems[:20], sep="\n  ")
        return 1
    print("numbers: identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
