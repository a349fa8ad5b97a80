"""Benchmark: how long each main page and API list takes for a 所 user and a district user.

Usage (PostgreSQL with a ``seed_demo`` data set; DEBUG off):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_demo SECRET_KEY=x \\
        .venv/bin/python benchmarks/bench_pages.py --repeat 7 --json /tmp/pages-demo.json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_s10 SECRET_KEY=x \\
        .venv/bin/python benchmarks/bench_pages.py --repeat 7 --compare /tmp/pages-demo.json

Each URL is requested once to warm up, then ``--repeat`` times; the table shows the median and the
fastest run in ms per user (on a shared machine the fastest run is the steadier figure). With
``--compare`` (the ``--json`` of a run at a smaller scale, or of the same scale before a change) it adds
the factor (this run ÷ that run, fastest runs) and flags rows above 1.5×. Every response must be 200.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from django.db import connection
from django.test import Client
from page_targets import data_size, pick_users, targets_for


def timed_get(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    response = client.get(url)  # warm-up (the session's first request also stamps its login time)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--station-user", help="所 user (default: the first inspector of the first 所)")
    parser.add_argument("--district-user", help="district user (default: kezhang)")
    parser.add_argument("--only", help="only URLs whose label contains this text")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument("--compare", help="a --json file of an earlier run to compare with")
    args = parser.parse_args()

    users = pick_users(args.station_user, args.district_user)
    jit = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = f", jit={cursor.fetchone()[0]}"
    print(f"{connection.vendor}{jit}; {data_size()}; users: "
          + ", ".join(f"{k} {u.username}" for k, u in users.items()), flush=True)
    baseline = json.loads(open(args.compare).read()) if args.compare else {}
    results: dict[str, dict[str, dict[str, float]]] = {}
    failures = []
    for who, user in users.items():
        client = Client()
        client.force_login(user)
        for target in targets_for(user):
            if args.only and args.only not in target.label:
                continue
            median, fastest, status = timed_get(client, target.url, args.repeat)
            if status != 200:
                failures.append(f"{who} {target.url}: HTTP {status}")
            results.setdefault(target.label, {})[who] = {"median": round(median, 1), "min": round(fastest, 1)}
            print(f"  {who} {target.label}: {median:.1f} ms", file=sys.stderr, flush=True)

    whos = list(users)
    header = ["page"] + [f"{w} median / min ms" for w in whos]
    if baseline:
        header += [f"{w} ×" for w in whos]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    grown = []
    for label, row in results.items():
        cells = [label] + [f"{row[w]['median']:.1f} / {row[w]['min']:.1f}" if w in row else "" for w in whos]
        if baseline:
            for w in whos:
                before = baseline.get(label, {}).get(w)
                if before and w in row:
                    factor = row[w]["min"] / before["min"]
                    cells.append(f"{factor:.2f}{' !' if factor > 1.5 else ''}")
                    if factor > 1.5:
                        grown.append(f"{w} {label}")
                else:
                    cells.append("")
        print("| " + " | ".join(cells) + " |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(results, out, ensure_ascii=False, indent=1)
    if grown:
        print("grew more than 1.5×: " + ", ".join(grown))
    for failure in failures:
        print("FAILED " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
