"""A sample of the national AE monitoring system's Excel export, for trying the import on the demo district.

``sample_rows`` builds the rows (data), ``sample_workbook`` writes them under the default import profile's
headers (the first header name of each column; ``monitoring.reference.COLUMNS`` when no profile is
stored yet). The rows are new reports of the last three weeks of the year from reporters of the
registry, codes from ``SAMPLE_SERIAL_START`` up (the seeder never uses them). With ``changed`` the
same rows come again, every fourth one changed (a follow-up: outcome, statement, spec or batch), plus
more new reports and the latest seeded reports with a 补充 statement: importing the plain file and
then the changed one shows adds, then updates. Deterministic: the same registry, year and seed give
the same file, and importing a file twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from io import BytesIO

from openpyxl import Workbook

from regsys import xlsx

from .choices import EventOutcome, ReporterKind, ReporterMatch
from .demo import KIND_SHARES, SAMPLE_SERIAL_START, Registry, ReportMaker, random_day, report_code
from .demo_data import PERSON, PRODUCT_BY_KEY, UNKNOWN_REPORTERS
from .models import AdverseEventReport, ImportProfile
from .reference import COLUMNS, VALUES

NEW_REPORTS = 30
MORE_REPORTS = 8  # only in the changed file
EXISTING_CHANGED = 6  # seeded reports sent again with a supplement (changed file)
CHANGE_EVERY = 4
WINDOW_DAYS = 20
SUPPLEMENT = "（补充报告）经随访，患者症状已消失，无后遗症；涉事产品已封存并通知注册人。"
DATE_FIELDS = ("reported_on", "occurred_on", "learned_on")

# The export's word for each of our coded values: the first word the profile's table maps to it.
WORDS: dict[str, dict[str, str]] = {
    field: {value: word for word, value in reversed(list(words.items()))} for field, words in VALUES.items()
}


class NoRegistry(Exception):
    """The database has no demo registry to draw reporters from."""


def export_row(values: dict) -> dict:
    """A report's field values as the export writes them: words for coded values, the 街道/镇 by name."""
    row = {field: values.get(field) or "" for field in COLUMNS}
    for field in DATE_FIELDS:
        row[field] = values.get(field)
    row["reporter_kind"] = WORDS["reporter_kind"][values["reporter_kind"]]
    row["outcome"] = WORDS["outcome"][values["outcome"]]
    subdistrict = values.get("subdistrict")
    row["subdistrict"] = subdistrict.name if subdistrict is not None else ""
    return row


def _new_rows(registry: Registry, rng: random.Random, *, count: int, start: dt.date, end: dt.date) -> list[dict]:
    make = ReportMaker(registry, rng)
    stations = sorted({sd.unit_id for sd in registry.subdistricts})
    rows = []
    for n in range(count):
        day = random_day(rng, start, end)
        if n == 0:  # a unit the registry does not know: the import leaves it unmatched
            name, street, kind, category = UNKNOWN_REPORTERS[n]
            rows.append(make.report(day=day, kind=kind, reporter_name=name, match=ReporterMatch.UNMATCHED,
                                    subdistrict=registry.subdistrict_by_name.get(street), product=make.product_for(category)))
            continue
        if n == 1:  # a patient's own report
            rows.append(make.report(day=day, kind=ReporterKind.INDIVIDUAL, subdistrict=rng.choice(registry.subdistricts),
                                    product=make.product_for(PERSON)))
            continue
        kind = rng.choices([k for k, _s in KIND_SHARES], weights=[s for _k, s in KIND_SHARES])[0]
        station = rng.choice(stations)
        reporter = registry.pick(rng, station, kind, frozenset()) or registry.pick(rng, station, ReporterKind.USE, frozenset())
        if reporter is None:
            continue
        if reporter.is_user_unit:
            kind = ReporterKind.USE
        rows.append(make.report(day=day, kind=kind, reporter=reporter))
    rows.sort(key=lambda r: (r["reported_on"], r["reporter_name"], r["product_name"]))
    return rows


def _follow_up(values: dict, n: int, rng: random.Random) -> dict:
    """The n-th kind of change a later export shows for a report (absolute values: importing twice is a no-op)."""
    changed = dict(values)
    product = next((p for p in PRODUCT_BY_KEY.values() if p.name == values["product_name"]), None)
    serious = [t for o, t in product.events if o == EventOutcome.SERIOUS] if product else []
    kind = n % 4
    if kind == 0 and serious:
        changed["outcome"] = EventOutcome.SERIOUS
        changed["description"] = serious[0]
    elif kind == 1 and product and len(product.specs) > 1:
        changed["model_spec"] = next(s for s in product.specs if s != values["model_spec"])
    elif kind == 2 and values["batch"]:
        changed["batch"] = f"{values['batch']}-{rng.randint(1, 9)}"  # 批号 corrected by the reporter
    else:
        changed["description"] = f"{values['description'].split('（补充报告）')[0]}{SUPPLEMENT}"
    return changed


def _model_values(report: AdverseEventReport) -> dict:
    values = {field: getattr(report, field) for field in COLUMNS if field != "subdistrict"}
    values["subdistrict"] = report.subdistrict
    return values


def sample_rows(*, year: int, today: dt.date, changed: bool = False, seed: int = 20240319) -> list[dict]:
    """The export rows (field → cell value) of the sample file; raises ``NoRegistry`` on an empty database."""
    registry = Registry()
    if not registry.subdistricts or not any(registry.by_station.values()):
        raise NoRegistry
    end = min(today, dt.date(year, 12, 31))
    start = max(dt.date(year, 1, 1), end - dt.timedelta(days=WINDOW_DAYS))
    rows = _new_rows(registry, random.Random(f"{seed}:sample:{year}"), count=NEW_REPORTS, start=start, end=end)
    codes = [report_code(year, SAMPLE_SERIAL_START + 2 * n) for n in range(NEW_REPORTS + MORE_REPORTS)]
    for values, code in zip(rows, codes, strict=False):
        values["code"] = code
    if changed:
        rng = random.Random(f"{seed}:sample-changed:{year}")
        rows = [_follow_up(v, n // CHANGE_EVERY, rng) if n % CHANGE_EVERY == CHANGE_EVERY - 1 else v
                for n, v in enumerate(rows)]
        more = _new_rows(registry, random.Random(f"{seed}:sample-more:{year}"), count=MORE_REPORTS, start=start, end=end)
        for values, code in zip(more, codes[len(rows):], strict=False):
            values["code"] = code
        existing = (AdverseEventReport.objects.filter(code__startswith=report_code(year, 0)[:10],
                                                      code__lt=report_code(year, SAMPLE_SERIAL_START))
                    .select_related("subdistrict").order_by("-reported_on", "-code")[:EXISTING_CHANGED])
        supplemented = [_follow_up(_model_values(r), 3, rng) for r in existing]
        rows = rows + more + supplemented
    return [export_row(values) for values in rows]


def sample_workbook(rows: list[dict]) -> bytes:
    """The rows under the default profile's headers (its sheet name and header row), as .xlsx bytes."""
    profile = ImportProfile.objects.filter(kind=ImportProfile.Kind.AE, is_default=True).order_by("pk").first()
    columns = profile.columns if profile and profile.columns else COLUMNS
    fields = [field for field in COLUMNS if columns.get(field)]
    book = Workbook()
    sheet = book.active
    sheet.title = (profile.sheet_name if profile and profile.sheet_name else "可疑医疗器械不良事件报告")[:31]
    header_row = profile.header_row if profile else 1
    for n in range(1, header_row):
        sheet.append(xlsx.row(sheet, ["国家医疗器械不良事件监测信息系统 报告导出" if n == 1 else ""]))
    sheet.append(xlsx.row(sheet, [columns[field][0] for field in fields]))
    for values in rows:
        cells = xlsx.row(sheet, [values[field] for field in fields])
        for cell, field in zip(cells, fields, strict=True):
            if field in DATE_FIELDS and cell.value:
                cell.number_format = "yyyy-mm-dd"
        sheet.append(cells)
    widths = {"code": 20, "reporter_name": 30, "product_name": 28, "registrant_name": 30, "description": 60,
              "registration_number": 22, "reporter_credit_code": 22}
    for index, field in enumerate(fields, start=1):
        sheet.column_dimensions[sheet.cell(row=header_row, column=index).column_letter].width = widths.get(field, 13)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
