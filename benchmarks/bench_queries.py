"""Benchmark: SQL statements per page and API list, for a 所 user and a district user.

Usage (any seeded database; run it at two scales and compare — the counts must not grow with the data):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_demo SECRET_KEY=x \\
        .venv/bin/python benchmarks/bench_queries.py --json /tmp/queries-demo.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_s10 SECRET_KEY=x \\
        .venv/bin/python benchmarks/bench_queries.py --compare /tmp/queries-demo.json

Prints the statement count, the time of all statements and the slowest one (ms) per URL; with ``--compare`` exits 1 when a
count differs from the earlier run. The query-count tests that CI keeps live beside the code
(``inspections/tests/test_query_counts.py``, ``inspections/planning/tests/test_targets.py``).
"""

from __future__ import annotations

import argparse
import json
import sys

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from page_targets import data_size, pick_users, targets_for


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--station-user")
    parser.add_argument("--district-user")
    parser.add_argument("--json")
    parser.add_argument("--compare")
    parser.add_argument("--show-sql", help="print the statements of URLs whose label contains this text")
    args = parser.parse_args()

    users = pick_users(args.station_user, args.district_user)
    print(f"{connection.vendor}; {data_size()}; users: "
          + ", ".join(f"{k} {u.username}" for k, u in users.items()))
    baseline = json.loads(open(args.compare).read()) if args.compare else {}
    results: dict[str, dict[str, int]] = {}
    slowest: dict[str, dict[str, float]] = {}
    total: dict[str, dict[str, float]] = {}
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        for target in targets_for(user):
            client.get(target.url)  # warm-up: session stamps, per-process caches
            with CaptureQueriesContext(connection) as queries:
                client.get(target.url)
            results.setdefault(target.label, {})[who] = len(queries)
            times = [float(q["time"]) * 1000 for q in queries.captured_queries]
            slowest.setdefault(target.label, {})[who] = max(times, default=0.0)
            total.setdefault(target.label, {})[who] = sum(times)
            if args.show_sql and args.show_sql in target.label:
                for q in queries.captured_queries:
                    print(f"-- {who} {float(q['time']) * 1000:.1f} ms\n{q['sql']}\n")

    whos = list(users)
    header = (["page"] + [f"{w} queries" for w in whos] + [f"{w} SQL ms" for w in whos]
              + [f"{w} slowest ms" for w in whos])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    changed = []
    for label, row in results.items():
        cells = [label]
        for w in whos:
            before = baseline.get(label, {}).get(w)
            mark = "" if before is None or before == row[w] else f" (was {before})"
            if mark:
                changed.append(f"{w} {label}{mark}")
            cells.append(f"{row[w]}{mark}")
        cells += [f"{total[label][w]:.0f}" for w in whos] + [f"{slowest[label][w]:.0f}" for w in whos]
        print("| " + " | ".join(cells) + " |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, ensure_ascii=False, indent=1)
    if changed:
        print("query counts changed: " + ", ".join(changed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
