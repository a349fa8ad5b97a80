"""Benchmark: the cockpit's uncached computation (``cockpit_compute(period, league_units(), fresh=True)``).

Usage (PostgreSQL with a ``seed_demo`` data set; DEBUG off)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_s10 SECRET_KEY=x DEBUG=0 \\
        .venv/bin/python benchmarks/bench_cockpit.py --repeat 3 [--json /tmp/cockpit.json] [--profile 20]

For 截至今日 of this year (``--year``/``--quarter`` to choose another period) and the league's units (every
所), it times:

* **URLconf import**: loading the URLconf first (the figures' links need it; a worker's first request of any
  page pays it), timed apart;
* **fresh**: then the first computation in this process, with its statement count;
* **warm**: the same computation ``--repeat`` more times (median and fastest);
* **per indicator**: each indicator computed in turn inside one ``computing()`` block (as ``cockpit_compute``
  does), its time (fastest of the repeats) and statements, slowest first. Indicators that share one pass
  (the inspection targets, the two provincial-entry figures, the AE quota figures) show it on the first of
  them to run and 0 statements on the others.

``--profile N`` adds a cProfile of one warm computation (the N costliest functions by cumulative time).
The statement counts come from ``CaptureQueriesContext`` and must not grow with the data.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regsys.settings")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from django.utils import timezone  # noqa: E402

from enterprises.models import Enterprise  # noqa: E402
from inspections.models import Inspection  # noqa: E402
from reporting.cockpit.base import Period, all_indicators, computing  # noqa: E402
from reporting.cockpit.service import cockpit_compute, league_units  # noqa: E402


def timed(fn):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = fn()
        elapsed = (time.perf_counter() - started) * 1000
    sql_ms = sum(float(q.get("time") or 0) for q in queries.captured_queries) * 1000
    return result, elapsed, len(queries.captured_queries), sql_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--year", type=int)
    parser.add_argument("--quarter", type=int)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions of one run")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    today = timezone.localdate()
    period = Period(args.year or today.year, args.quarter, today)
    units = league_units()
    jit = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = f", jit={cursor.fetchone()[0]}"
    print(f"{connection.vendor}{jit}; {Enterprise.objects.count():,} enterprises, "
          f"{Inspection.objects.count():,} inspections; period {period.label}; {len(units)} units; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    started = time.perf_counter()
    get_resolver().check()  # loads the URLconf, which imports every app's views (a worker's first request pays it too)
    print(f"URLconf import: {(time.perf_counter() - started) * 1000:,.0f} ms")
    _, fresh_ms, fresh_statements, fresh_sql = timed(lambda: cockpit_compute(period, units, fresh=True))
    print(f"fresh (first in process): {fresh_ms:,.0f} ms, {fresh_statements} statements, SQL {fresh_sql:,.0f} ms")

    warm = []
    for _ in range(args.repeat):
        _, ms, statements, _ = timed(lambda: cockpit_compute(period, units, fresh=True))
        warm.append(ms)
    print(f"warm ({args.repeat}×): median {statistics.median(warm):,.0f} ms, fastest {min(warm):,.0f} ms, "
          f"{statements} statements")

    per: dict[str, dict] = {}
    for _ in range(args.repeat):
        indicators = all_indicators(period.year)  # a new memo of the targets' shared pass each time
        with computing():
            for indicator in indicators:
                _, ms, statements, sql = timed(lambda i=indicator: i.compute(period, units))
                row = per.setdefault(indicator.code, {"ms": ms, "statements": statements, "sql_ms": sql})
                if ms < row["ms"]:
                    row.update(ms=ms, sql_ms=sql)
    print(f"\n{'indicator':<34} {'ms':>8} {'SQL ms':>8} {'stmts':>6}")
    for code, row in sorted(per.items(), key=lambda kv: -kv[1]["ms"]):
        print(f"{code:<34} {row['ms']:>8,.0f} {row['sql_ms']:>8,.0f} {row['statements']:>6}")
    print(f"{'sum':<34} {sum(r['ms'] for r in per.values()):>8,.0f} "
          f"{sum(r['sql_ms'] for r in per.values()):>8,.0f} {sum(r['statements'] for r in per.values()):>6}")

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        cockpit_compute(period, units, fresh=True)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)

    if args.json:
        Path(args.json).write_text(json.dumps({
            "fresh_ms": fresh_ms, "fresh_statements": fresh_statements, "warm_ms": warm,
            "indicators": per,
        }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
