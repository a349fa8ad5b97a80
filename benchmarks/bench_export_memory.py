"""Benchmark: peak memory (RSS) and time of a large list export built as a download-centre job.

Builds a throwaway PostgreSQL database (``test_<NAME>_bench`` of DATABASE_URL's NAME, created, migrated and
dropped by this script with Django's test-database machinery; the test suite's ``test_<NAME>`` is untouched), fills it with ``--rows`` inspections (2 officers each) of 1,000
enterprises in two 所, then runs the inspection list export exactly as the worker does
(``reporting.services.list_export_build``: the district user's scope, no filter, streamed with
``QuerySet.iterator(chunk_size=…)`` into openpyxl's write-only workbook). The export runs in a fresh child
process, so its peak RSS is the export's own plus Django's.

Usage:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regsys_bench \\
        .venv/bin/python benchmarks/bench_export_memory.py --rows 200000 [--rows 2000000]

``--keep`` leaves the test database in place (``--reuse`` then skips building it again).
Prints one line per size: rows, file size, seconds, rows/s, baseline RSS and peak RSS (MB).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regsys.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _setup_django():
    import django

    django.setup()


def build(rows: int) -> None:
    """Fill the (test) database: units, 1,000 enterprises, 4 officers, ``rows`` inspections with 2 officers each."""
    from django.db import connection

    from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UserFactory
    from inspections.tests.factories import InspectionFactory

    subs = [SubdistrictFactory(), SubdistrictFactory()]
    enterprises = [EnterpriseFactory(subdistrict=subs[n % 2]) for n in range(1000)]
    officers = {s.unit_id: [UserFactory(unit=s.unit), UserFactory(unit=s.unit)] for s in subs}
    template = InspectionFactory(enterprise=enterprises[0], officers=officers[enterprises[0].owning_unit_id])
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = "
                       "'inspections_inspection' AND column_name NOT IN ('id', 'enterprise_id', 'unit_id', "
                       "'start_date')")
        columns = [c for (c,) in cursor.fetchall()]
        cols = ", ".join(columns)
        # Enterprise n (of 1,000) and its owning unit; one inspection per day, cycling over 20 years.
        cursor.execute(f"""
            CREATE TEMP TABLE ent AS SELECT row_number() OVER (ORDER BY e.id) - 1 AS n, e.id,
                   s.unit_id FROM enterprises_enterprise e JOIN enterprises_subdistrict s ON s.id = e.subdistrict_id;
            INSERT INTO inspections_inspection (enterprise_id, unit_id, start_date, {cols})
            SELECT ent.id, ent.unit_id, DATE '2005-01-01' + mod(g, 7300), {", ".join(f"t.{c}" for c in columns)}
              FROM generate_series(1, %s) g
              JOIN ent ON ent.n = mod(g, 1000)
              CROSS JOIN (SELECT * FROM inspections_inspection WHERE id = %s) t;
        """, [rows - 1, template.pk])  # noqa: S608 - column names come from the catalogue
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = "
                       "'inspections_inspectionofficer' AND column_name NOT IN ('id', 'inspection_id', 'user_id', "
                       "'name', 'cert_no')")
        ocols = [c for (c,) in cursor.fetchall()]
        cursor.execute(f"""
            INSERT INTO inspections_inspectionofficer (inspection_id, user_id, name, cert_no, {", ".join(ocols)})
            SELECT i.id, u.id, u.username, COALESCE(u.enforcement_cert_no, ''), {", ".join(f"o.{c}" for c in ocols)}
              FROM inspections_inspection i
              JOIN enterprises_user u ON u.unit_id = i.unit_id
              CROSS JOIN (SELECT * FROM inspections_inspectionofficer LIMIT 1) o
             WHERE i.id <> %s;
            ANALYZE;
        """, [template.pk])  # noqa: S608


def export_child(db_name: str) -> dict:
    """In a fresh process: file and build the district user's inspection export; report time and peak RSS."""
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = db_name
    _setup_django()
    import tempfile

    from django.db import connection

    from enterprises.choices import Role, UnitKind
    from enterprises.tests.factories import UnitFactory, UserFactory
    from reporting.models import ExportJob
    from reporting.services import list_export_build

    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-export-"))
    tag = f"{os.getpid()}"
    section = UserFactory(unit=UnitFactory(kind=UnitKind.SECTION, name=f"基准药械科{tag}", code=f"B{tag}"),
                          role=Role.LEADER, username=f"bench{tag}")
    job = ExportJob.objects.create(kind="list", export_name="inspections", params={"query": "", "pk": None},
                                   created_by=section, title="bench", task_id="bench")
    connection.close()
    baseline = _rss_mb()
    started = time.monotonic()
    list_export_build(job_id=job.pk, task_id="bench")
    seconds = time.monotonic() - started
    job.refresh_from_db()
    size = job.xlsx.size if job.xlsx else 0
    result = {"status": job.status, "error": job.error, "message": job.message, "seconds": round(seconds, 1),
              "file_mb": round(size / 2**20, 1), "baseline_rss_mb": round(baseline), "peak_rss_mb": round(_rss_mb())}
    ExportJob.objects.filter(pk=job.pk).delete()
    unit = section.unit
    section.delete()
    unit.delete()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, action="append", help="inspections in the export (repeatable)")
    parser.add_argument("--keep", action="store_true", help="leave the test database in place")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept test database of the largest size")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(export_child(args.child)))
        return
    if not (os.environ.get("DATABASE_URL") or "").startswith("postgres"):
        sys.exit("set DATABASE_URL to a PostgreSQL database (its test_ copy is built and dropped)")
    from django.conf import settings

    name = settings.DATABASES["default"]["NAME"]
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_{name}_bench"
    _setup_django()
    from django.db import connection

    sizes = sorted(args.rows or [200_000])
    creation = connection.creation
    db_name = creation.create_test_db(verbosity=0, autoclobber=not args.reuse, keepdb=args.reuse)
    try:
        from inspections.models import Inspection

        have = Inspection.objects.count()
        for rows in sizes:
            if have < rows:
                started = time.monotonic()
                if have:
                    Inspection.objects.all().delete()
                build(rows)
                have = Inspection.objects.count()
                print(f"built {have:,} inspections in {time.monotonic() - started:.0f} s", flush=True)
            if have != rows:  # a smaller size after a larger kept database: export what is there
                print(f"note: the database holds {have:,} inspections", flush=True)
            out = subprocess.run([sys.executable, __file__, "--child", db_name], capture_output=True, text=True,
                                 env=dict(os.environ), check=False)
            if out.returncode:
                sys.exit(out.stderr[-4000:])
            result = json.loads(out.stdout.strip().splitlines()[-1])
            rate = have / result["seconds"] if result["seconds"] else 0
            print(f"rows={have:,} status={result['status']} file={result['file_mb']} MB "
                  f"time={result['seconds']} s ({rate:,.0f} rows/s) "
                  f"rss baseline={result['baseline_rss_mb']} MB peak={result['peak_rss_mb']} MB "
                  f"{result['message']}{result['error']}", flush=True)
    finally:
        if not args.keep:
            creation.destroy_test_db(db_name, verbosity=0)


if __name__ == "__main__":
    main()
