"""Demo yearly filings: self-reports and responsibility letters for last year and this year — most on time,
some late, some missing (a few of last year's missing ones proposed for 责令改正, two confirmed by the chief)."""

from __future__ import annotations

import datetime

from enterprises.choices import Role, UnitKind
from enterprises.duties.choices import FilingKind, FilingSource, Sector
from enterprises.duties.filing_rules import due_date
from enterprises.duties.filing_selectors import filing_rows
from enterprises.duties.filing_services import order_confirm, order_propose
from enterprises.models import AnnualFiling, User

# Shares of owed filings (production and operation) filed on time and late; the rest stay missing.
ON_TIME, LATE = 0.86, 0.07
# Use units: the share whose report kept on file was also sent in (留存备查 either way).
USE_SENT = 0.3
NOTES = ["", "", "", "邮寄纸质版", "电子版经系统提交", "补充提交了整改说明"]


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _seed_year(ctx, year: int, kind: str, officer_by_unit: dict) -> tuple[int, int]:
    rng = ctx.rng(f"filings:{year}:{kind}")
    due = due_date(year, kind)
    first = datetime.date(year, 1, 5)
    filings, late = [], 0
    for row in filing_rows(year, kind, as_of=ctx.today):
        share = rng.random()
        if row.sector == Sector.USE and kind == FilingKind.SELF_REPORT:
            if share >= USE_SENT:
                continue
            day = _day(rng, first, due)
        elif share < ON_TIME:
            day = _day(rng, first, due)
        elif share < ON_TIME + LATE:
            day = _day(rng, due + datetime.timedelta(days=1), min(due + datetime.timedelta(days=75), ctx.today))
            late += 1
        else:
            continue
        if day > ctx.today:
            continue
        filings.append(AnnualFiling(
            enterprise=row.enterprise, year=year, kind=kind, sector=row.sector, submitted_on=day,
            source=FilingSource.IMPORT if rng.random() < 0.7 else FilingSource.MANUAL,
            note=rng.choice(NOTES), created_by=officer_by_unit.get(row.enterprise.owning_unit_id),
        ))
    AnnualFiling.objects.bulk_create(filings, batch_size=500)
    return len(filings), late


def seed(ctx) -> str:
    officer_by_unit = {}
    # the one who records a unit's filings: a 所 inspector, or the 药械科's staff for what the 药械科 supervises
    for user in User.objects.filter(role__in=[Role.STATION_STAFF, Role.SECTION_STAFF],
                                    unit__kind__in=[UnitKind.STATION, UnitKind.SECTION]).order_by("username"):
        officer_by_unit.setdefault(user.unit_id, user)
    parts = []
    for year in (ctx.year - 1, ctx.year):
        for kind in (FilingKind.SELF_REPORT, FilingKind.RESPONSIBILITY):
            made, late = _seed_year(ctx, year, kind, officer_by_unit)
            parts.append(f"{year}年{FilingKind(kind).label} {made} 份（逾期 {late} 份）")
    # Last year's missing self-reports: the 所 proposed 责令改正 for a few, the chief confirmed two of them.
    chief = User.objects.filter(role=Role.LEADER).order_by("username").first()
    last = ctx.year - 1
    proposed = confirmed = 0
    if ctx.today > due_date(last, FilingKind.SELF_REPORT):
        missing = [r for r in filing_rows(last, FilingKind.SELF_REPORT, as_of=ctx.today) if r.status == "missing"]
        rng = ctx.rng("filings:orders")
        for row in rng.sample(missing, min(6, len(missing))):
            officer = officer_by_unit.get(row.enterprise.owning_unit_id)
            if officer is None:
                continue
            filing = order_propose(enterprise=row.enterprise, year=last, sector=row.sector, by=officer,
                                   today=due_date(last, FilingKind.SELF_REPORT) + datetime.timedelta(days=20))
            proposed += 1
            if chief is not None and confirmed < 2:
                order_confirm(filing=filing, by=chief,
                              today=due_date(last, FilingKind.SELF_REPORT) + datetime.timedelta(days=27))
                confirmed += 1
    parts.append(f"拟责令改正 {proposed} 家，已确认 {confirmed} 家")
    return "；".join(parts)
