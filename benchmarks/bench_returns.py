"""Benchmark: the district return and a return for every unit, ORM metrics vs a hand-written SQL query.

Usage (PostgreSQL; builds the data set with ``seed_demo --scale N`` when the database is empty, else
reuses it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_bench \\
        .venv/bin/python benchmarks/bench_returns.py --scale 100 [--template 统计表二] [--cutoff 2023-12-25]

Prints the data size, both timings, their ratio and the peak memory, and checks that both give the
same numbers (exit code 1 if they differ).
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
from reporting.metrics import Period, compute  # noqa: E402
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


def members_cte(rows, tags: TagIndex) -> str:
    """One SELECT per row, UNION ALL: (row_no, enterprise_id) for every enterprise in the row."""
    parts = []
    for number, row in enumerate(rows):
        where = [LINK_SQL[row.link]]
        if row.tag_codes:
            ids = ",".join(map(str, tags.ids(row.tag_codes))) or "NULL"
            where.append(f"EXISTS (SELECT 1 FROM enterprises_enterprise_tags t WHERE t.enterprise_id = e.id "
                         f"AND t.tag_id IN ({ids}))")
        if row.exclude_tag_codes:
            ids = ",".join(map(str, tags.ids(row.exclude_tag_codes))) or "NULL"
            where.append(f"NOT EXISTS (SELECT 1 FROM enterprises_enterprise_tags t WHERE t.enterprise_id = e.id "
                         f"AND t.tag_id IN ({ids}))")
        parts.append(f"SELECT {number} AS row_no, e.id AS enterprise_id FROM enterprises_enterprise e "
                     f"WHERE {' AND '.join(where)}")
    return "members AS (" + "\nUNION ALL ".join(parts) + ")"


def hand_sql(rows, tags, campaign, cutoff, unit_ids, case_date: str, by_unit: bool) -> dict:
    """The same numbers as reporting.metrics, with five hand-written grouped queries.

    ``unit_ids`` None is the whole district (no unit filter). A case's outcomes count when decided by the
    cut-off; an enterprise counts for the unit that supervised it at the end of the cut-off day (history).
    """
    cte = "WITH " + members_cte(rows, tags)
    start = campaign.start_date.isoformat()
    end = cutoff.isoformat()
    end_of_day = timezone.make_aware(dt.datetime.combine(cutoff + dt.timedelta(days=1), dt.time.min)).isoformat()
    statuses = ",".join(f"'{s}'" for s in ACTIVE_STATUSES)
    unit_at_cutoff = f"""COALESCE(
    (SELECT h.owning_unit_id FROM enterprises_historicalenterprise h WHERE h.id = e.id
       AND h.history_date < '{end_of_day}' ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1),
    (SELECT h.owning_unit_id FROM enterprises_historicalenterprise h WHERE h.id = e.id
       ORDER BY h.history_date, h.history_id LIMIT 1),
    e.owning_unit_id)"""

    def units(column: str) -> str:
        return "TRUE" if unit_ids is None else f"{column} IN ({','.join(map(str, unit_ids))})"

    def sel(alias: str) -> str:
        return f", {alias}.unit_id AS unit_id" if by_unit else ""

    def grp(alias: str) -> str:
        return f", {alias}.unit_id" if by_unit else ""

    decided = f"k.decided_on <= '{end}'"
    queries = {
        "enterprise": f"""{cte}
SELECT m.row_no{", u.unit_id" if by_unit else ""}, COUNT(*) AS enterprise_total
FROM members m JOIN enterprises_enterprise e ON e.id = m.enterprise_id
CROSS JOIN LATERAL (SELECT {unit_at_cutoff} AS unit_id) u
WHERE {units("u.unit_id")} AND (e.established_on IS NULL OR e.established_on <= '{end}')
  AND COALESCE((SELECT c.from_status FROM enterprises_enterprisestatuschange c WHERE c.enterprise_id = e.id
                AND c.effective_on > '{end}' ORDER BY c.effective_on, c.created_at, c.id LIMIT 1), e.status)
      IN ({statuses})
GROUP BY m.row_no{', u.unit_id' if by_unit else ''}""",
        "inspection": f"""{cte}
SELECT m.row_no{sel('i')}, SUM(i.staff_count) AS staff_dispatched,
  COUNT(*) AS enterprises_inspected,
  COUNT(r.id) FILTER (WHERE r.ordered_on <= '{end}') AS ordered_to_correct,
  COUNT(r.id) FILTER (WHERE r.completed_on <= '{end}') AS rectification_completed
FROM inspections_inspection i
JOIN inspections_inspection_campaigns ic ON ic.inspection_id = i.id AND ic.campaign_id = {campaign.pk}
JOIN members m ON m.enterprise_id = i.enterprise_id
LEFT JOIN inspections_rectification r ON r.inspection_id = i.id
WHERE i.status = 'finalised' AND i.start_date BETWEEN '{start}' AND '{end}' AND {units("i.unit_id")}
GROUP BY m.row_no{grp('i')}""",
        "interview": f"""{cte}
SELECT m.row_no{sel('v')}, COUNT(DISTINCT v.enterprise_id) AS enterprises_interviewed
FROM inspections_interview v
JOIN inspections_interview_campaigns vc ON vc.interview_id = v.id AND vc.campaign_id = {campaign.pk}
JOIN members m ON m.enterprise_id = v.enterprise_id
WHERE v.held_on BETWEEN '{start}' AND '{end}' AND {units("v.unit_id")}
GROUP BY m.row_no{grp('v')}""",
        "case": f"""{cte}, persons AS (
  SELECT p.case_id, COUNT(*) AS n, SUM(p.fine_amount) AS fines FROM inspections_casepenalisedperson p GROUP BY p.case_id)
SELECT m.row_no{sel('k')}, COUNT(*) AS cases_investigated,
  SUM(k.fine_amount + k.confiscation_amount) FILTER (WHERE {decided}) AS enterprise_fines_confiscations,
  COALESCE(SUM(p.n) FILTER (WHERE {decided}), 0) AS responsible_persons_punished,
  COALESCE(SUM(p.fines) FILTER (WHERE {decided}), 0) AS personal_fines,
  COUNT(*) FILTER (WHERE k.suspension_ordered AND {decided}) AS ordered_suspension,
  COUNT(k.revoked_licence_id) FILTER (WHERE {decided}) AS licenses_revoked,
  COUNT(DISTINCT k.enterprise_id) FILTER (WHERE k.listed_serious_dishonest AND {decided})
    AS listed_serious_dishonesty
FROM inspections_case k
JOIN inspections_case_campaigns kc ON kc.case_id = k.id AND kc.campaign_id = {campaign.pk}
JOIN members m ON m.enterprise_id = k.enterprise_id
LEFT JOIN persons p ON p.case_id = k.id
WHERE k.{case_date} BETWEEN '{start}' AND '{end}' AND {units("k.unit_id")}
GROUP BY m.row_no{grp('k')}""",
        "referral": f"""{cte}
SELECT m.row_no{sel('f')},
  COUNT(*) FILTER (WHERE f.target = 'police') AS cases_to_police,
  COUNT(*) FILTER (WHERE f.target = 'health') AS clues_to_health_dept,
  COUNT(*) FILTER (WHERE f.target = 'telecom') AS websites_to_telecom_authority,
  COUNT(*) FILTER (WHERE f.target = 'customs') AS clues_to_customs,
  COUNT(*) FILTER (WHERE f.target = 'discipline') AS clues_to_discipline_inspection
FROM inspections_referral f
JOIN inspections_referral_campaigns fc ON fc.referral_id = f.id AND fc.campaign_id = {campaign.pk}
JOIN members m ON m.enterprise_id = f.enterprise_id
WHERE f.referred_on BETWEEN '{start}' AND '{end}' AND {units("f.unit_id")}
GROUP BY m.row_no{grp('f')}""",
    }
    result: dict = {}
    with connection.cursor() as cursor:
        for sql in queries.values():
            cursor.execute(sql)
            names = [c[0] for c in cursor.description]
            for record in cursor.fetchall():
                values = dict(zip(names, record, strict=True))
                key = (values.pop("row_no"), values.pop("unit_id", None) if by_unit else None)
                result.setdefault(key, {}).update(values)
    return result


def normalise(value) -> Decimal | int:
    if isinstance(value, Decimal):
        return value
    return int(value or 0)


def compare(orm: dict, sql: dict, rows, metrics, money: set[str], by_unit: bool, unit_ids) -> list[str]:
    problems = []
    keys = unit_ids if by_unit else [None]
    for unit in keys:
        for number, row in enumerate(rows):
            got = orm[unit][row.key]
            hand = sql.get((number, unit), {})
            for metric in metrics:
                expected = hand.get(metric) or 0
                if metric in money:
                    expected = (Decimal(expected) / 10000).quantize(Decimal("0.01"))
                if normalise(got[metric]) != normalise(expected):
                    problems.append(f"{unit} {row.key} {metric}: ORM {got[metric]} vs SQL {expected}")
    return problems


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--template", default="统计表二")
    parser.add_argument("--cutoff", default="2023-12-25")
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
    tags = TagIndex()
    print(f"data: {Enterprise.objects.count():,} enterprises, {Inspection.objects.count():,} inspections, "
          f"{Case.objects.count():,} cases, {campaign.inspections.count():,} linked to {campaign}; "
          f"{len(units)} units; {template} {len(rows)} rows x {len(metrics)} columns")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def period(unit_ids):
        return Period(campaign=campaign, cutoff=cutoff, unit_ids=None if unit_ids is None else tuple(unit_ids),
                      case_date=template.case_count_date, interview_mode=template.interview_count_mode)

    def orm_total():  # the district return counts the whole district, not only the units that file
        with transaction.atomic():
            return compute(template=template, period=period(None), rows=rows, metrics=metrics)

    def orm_every_unit():  # every unit's return in one grouped pass (what the district file's sheets use)
        with transaction.atomic():
            return compute(template=template, period=period(units), by_unit=True, rows=rows, metrics=metrics)

    def orm_one_unit():
        with transaction.atomic():
            return compute(template=template, period=period(units[:1]), rows=rows, metrics=metrics)

    def sql(unit_ids, by_unit):
        return hand_sql(rows, tags, campaign, cutoff, unit_ids, template.case_count_date, by_unit=by_unit)

    sql(None, False)  # warm the cache for both sides alike
    orm_total_result, t_orm_total = timed(orm_total)
    sql_total, t_sql_total = timed(lambda: sql(None, False))
    orm_units, t_orm_units = timed(orm_every_unit)
    sql_units, t_sql_units = timed(lambda: sql(units, True))
    orm_one, t_orm_one = timed(orm_one_unit)
    sql_one, t_sql_one = timed(lambda: sql(units[:1], False))
    tracemalloc.start()  # a separate run: tracing slows Python down, so it is not timed
    orm_every_unit()
    peak_python = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    problems = compare(orm_total_result, sql_total, rows, metrics, money, False, units)
    problems += compare(orm_units, sql_units, rows, metrics, money, True, units)
    problems += compare({units[0]: orm_one[None]}, {(n, units[0]): v for (n, _u), v in sql_one.items()},
                        rows, metrics, money, True, units[:1])
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for label, a, b in (("district return (total)", t_orm_total, t_sql_total),
                        (f"a return for every unit ({len(units)}, one grouped pass)", t_orm_units, t_sql_units),
                        ("one unit's return", t_orm_one, t_sql_one)):
        print(f"{label}: ORM {a:.2f}s  hand SQL {b:.2f}s  ratio {a / b:.2f}")
    print(f"peak memory: Python heap during the every-unit ORM pass {peak_python / 1e6:.1f} MB; "
          f"process max RSS {max_rss:.0f} MB")
    if problems:
        print(f"MISMATCH ({len(problems)}):", *problems[:20], sep="\n  ")
        return 1
    print("numbers: identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
