"""Room for the few statements that hash a whole year of records (PostgreSQL).

PostgreSQL hashes an uncorrelated ``IN (subquery)`` only when the hash fits in ``work_mem`` (4 MB by
default, ×2 for hashes); otherwise it searches the subquery's rows once per outer row. A district's
year of inspections fits at scale 10 (47k enterprise ids) but not at scale 100 (474k): the grouped
target counts went from a second to minutes. Such statements run with ``SET LOCAL work_mem``.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

WORK_MEM = "64MB"  # per sort or hash of one statement, for its transaction


def _with_room(execute, sql, params, many, context):
    if not many and isinstance(sql, str) and sql.lstrip()[:6].upper().startswith(("SELECT", "WITH")):
        sql = f"SET LOCAL work_mem = '{WORK_MEM}';\n{sql}"
    return execute(sql, params, many, context)


@contextmanager
def roomy():
    """Run the reads inside with ``work_mem = WORK_MEM`` (PostgreSQL; elsewhere nothing changes). The setting
    goes in the same round trip as each statement (psycopg2 sends the text as one query: PostgreSQL runs it
    as one transaction, or within the open one), so no statement is added."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.execute_wrapper(_with_room):
        yield
