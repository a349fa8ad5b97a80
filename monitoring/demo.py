"""Demo adverse-event year for ``manage.py seed_demo`` (after the inspections seeders, before reporting).

For the demo year (``ctx.year``, reports up to ``ctx.today``) and the year before:

- 常住人口 of every 街道/镇: invented demo figures (source "演示数据（虚构）"), about 1.30 million for the
  district in the demo year, 0.6 % fewer the year before; the year's ``MonitoringSettings`` with defaults.
- AE reports as an import of the national system's export leaves them: reporters from the demo registry
  (mostly 使用单位, hospitals above all; some 经营企业; a few 生产企业 reporting their own products; a couple of
  个人), matched by credit code or by name, the 街道/镇 and its 所 set from the file or the reporter.
  The pace: each 所 files about its pro-rata share of 480 per million to date, so the district sits on
  the line, except one 所 (广化所) clearly behind; three 二级以上 hospitals have no report this year (each
  had one last year), one of them hidden behind a near-miss spelling in the unmatched queue.
- Specials: a cluster (one batch of infusion sets, four reports in 21 days) and a death (a ventilator)
  under open evaluation; every 严重伤害 report has its evaluation (older ones closed with opinion and
  causality, one filed past the 20-day limit and flagged late); two registrants not registered in the
  national system, the others registered with dates; two training courses with attending enterprises.

报告编码: the shape of the 2008 paper form's rule (行政区划代码 + 年代 + 流水号) at county level:
``330302`` + year + a 7-digit serial = 17 digits, serials rising with the report date. The real export's
code shape is not confirmed; the import treats the code as text. ``SAMPLE_SERIAL_START`` and above are
left to the sample export (``ae_sample_export``).

Evaluations are opened by ``monitoring.services.evaluations.evaluations_scan`` (the rule the daily scan
and every import use), then dated to the import that brought their report.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from dataclasses import dataclass

from simple_history.utils import bulk_create_with_history

from enterprises.choices import (
    ACTIVE_STATUSES,
    HOSPITAL_GRADES_2_PLUS,
    EnterpriseStatus,
    InstitutionType,
    OperationMode,
    Role,
    UnitKind,
)
from enterprises.demo import REGION, person
from enterprises.models import Enterprise, Subdistrict, Unit, User

from . import (
    demo_leads,  # leads
    demo_risks,
)
from .choices import EvaluationStatus, EvaluationTrigger, EventOutcome, ReporterKind, ReporterMatch
from .demo_complaints import seed as seed_complaints
from .demo_data import (
    AESTHETIC,
    CLOSED_OPINIONS,
    CLUSTER_TEXT,
    DENTAL,
    HOSPITAL,
    OPTICAL,
    PERSON,
    PHARMACY,
    PRIMARY,
    PRODUCT_BY_KEY,
    PRODUCTS,
    TRAININGS,
    UNKNOWN_REPORTERS,
    VENTILATOR,
    WHOLESALE,
    Product,
)
from .demo_sampling import seed as seed_sampling
from .models import (
    AdverseEventReport,
    Evaluation,
    MonitoringSettings,
    PopulationFigure,
    RegistrantRegistration,
    ReporterAlias,
    TrainingAttendance,
    TrainingCourse,
)
from .services.evaluations import evaluations_scan, report_is_late
from .services.settings import settings_for_year

SOURCE = "演示数据（虚构）"
# 常住人口 of the demo year per 街道/镇 (invented; district total 1,296,400). Others (--scale): their registry figure.
POPULATION = {
    "五马街道": 78600, "松台街道": 71200, "大南街道": 101400, "南郊街道": 122300, "南汇街道": 128900,
    "滨江街道": 127500, "广化街道": 90100, "蒲鞋市街道": 99800, "双屿街道": 186200, "仰义街道": 69400,
    "丰门街道": 93700, "七都街道": 28600, "藤桥镇": 73900, "山福镇": 24800,
}
PREVIOUS_YEAR_FACTOR = 0.994
BEHIND_STATION = "LC-GUANGHUA"  # the 所 clearly behind pace this year (else the fourth 所)
BEHIND_PACE = 0.55
PACE = (1.02, 1.14)  # the other 所: a little ahead, so that the district sits near the line
PREVIOUS_PACE = (0.96, 1.10)
KIND_SHARES = ((ReporterKind.USE, 0.75), (ReporterKind.OPERATION, 0.18), (ReporterKind.MANUFACTURE, 0.07))
SERIOUS_SHARE = 0.035
CREDIT_CODE_SHARE = 0.85  # the rest carry no credit code in the export and match by name
LOCAL_MAKER_SHARE = 0.12
ZERO_HOSPITALS = 3
UNREGISTERED = 2
SAMPLE_SERIAL_START = 800_001
BATCH = 2000

HOSPITAL_WEIGHT = {"3a": 30, "3b": 18, "3": 14, "2a": 7, "2b": 6, "2": 5, "1": 2, "none": 1, "": 1}
CATEGORY_WEIGHT = {PRIMARY: 0.3, AESTHETIC: 0.35, DENTAL: 0.3, WHOLESALE: 0.6, OPTICAL: 0.5, PHARMACY: 0.12}


def reporter_category(ent: Enterprise) -> str | None:
    """How an enterprise reports: the category the product table names (None: it does not report)."""
    if ent.is_user_unit:
        return {InstitutionType.HOSPITAL: HOSPITAL, InstitutionType.AESTHETIC: AESTHETIC,
                InstitutionType.DENTAL: DENTAL}.get(ent.institution_type, PRIMARY)
    if ent.is_operator and not ent.is_remote_warehouse:
        if ent.operation_mode == OperationMode.WHOLESALE:
            return WHOLESALE
        return OPTICAL if ent.operates_class3 else PHARMACY
    return None


def reporter_weight(ent: Enterprise, category: str) -> float:
    if category == HOSPITAL:
        return HOSPITAL_WEIGHT.get(ent.hospital_grade, 1)
    if category == PRIMARY and ent.institution_type == InstitutionType.HEALTH_CENTRE:
        return 1.2
    return CATEGORY_WEIGHT[category]


def is_grade_2_plus(ent: Enterprise) -> bool:
    return ent.institution_type == InstitutionType.HOSPITAL and ent.hospital_grade in HOSPITAL_GRADES_2_PLUS


@dataclass(frozen=True)
class Maker:
    """The 注册人/生产企业 of a product: a local registrant (linked) or one outside the district."""

    name: str
    province: str
    enterprise: Enterprise | None = None

    def registration_number(self, product: Product) -> str:
        rng = random.Random(f"regno:{product.key}:{self.name}")  # one certificate per product and registrant
        year, serial = rng.randint(2016, 2023), rng.randint(1, 2999)
        if product.device_class == 1:
            prefix = self.province if len(self.province) == 2 else "浙温"
            return f"{prefix}械备{year}{serial:04d}号"
        if self.province == "进":
            return f"国械注进{year}{product.device_class}{product.catalogue}{serial:04d}"
        if product.device_class == 3:
            return f"国械注准{year}3{product.catalogue}{serial:04d}"
        prefix = self.province[0] if self.province not in {"国", "进"} else "浙"
        return f"{prefix}械注准{year}2{product.catalogue}{serial:04d}"

    def batch(self, product: Product, day: dt.date, rng: random.Random) -> str:
        style = random.Random(f"batch:{self.name}").randrange(3)
        made = day - dt.timedelta(days=rng.randint(40, 330))
        if style == 0:
            return f"{made:%Y%m%d}"
        if style == 1:
            return f"{made:%y%m%d}{rng.randint(1, 6):02d}"
        return f"L{made:%y%m}{rng.randint(1, 40):03d}"


REGISTRY_FIELDS = (
    "name", "credit_code", "status", "established_on", "subdistrict", "owning_unit", "is_registrant", "is_user_unit",
    "institution_type", "hospital_grade", "is_operator", "operation_mode", "operates_class3", "is_remote_warehouse",
)


class Registry:
    """The demo registry as reporters and local makers, loaded once (no query per report)."""

    def __init__(self) -> None:
        self.subdistricts = list(Subdistrict.objects.select_related("unit").order_by("code"))
        self.subdistrict_by_name = {sd.name: sd for sd in self.subdistricts}
        by_pk = {sd.pk: sd for sd in self.subdistricts}
        ents = list(Enterprise.objects.filter(status__in=list(ACTIVE_STATUSES)).only(*REGISTRY_FIELDS).order_by("pk"))
        for ent in ents:
            ent.subdistrict = by_pk[ent.subdistrict_id]
        self.tags: dict[int, set[str]] = defaultdict(set)
        for enterprise_id, code in Enterprise.tags.through.objects.values_list("enterprise_id", "tag__code"):
            self.tags[enterprise_id].add(code)
        self.by_station: dict[int, dict[str, list[tuple[Enterprise, float]]]] = defaultdict(lambda: defaultdict(list))
        self.registrants = [e for e in ents if e.is_registrant]
        self.hospitals_2_plus = [e for e in ents if is_grade_2_plus(e)]
        self.category: dict[int, str] = {}
        self._makers: dict[str, list[Enterprise]] = {}
        self._pools: dict[tuple, tuple[list[Enterprise], list[float]]] = {}
        for ent in ents:
            category = reporter_category(ent)
            station = ent.subdistrict.unit_id
            if category:
                self.category[ent.pk] = category
                kind = ReporterKind.USE if ent.is_user_unit else ReporterKind.OPERATION
                self.by_station[station][kind].append((ent, reporter_weight(ent, category)))
            if ent.is_registrant and self.products_of(ent):
                self.by_station[station][ReporterKind.MANUFACTURE].append((ent, 1.0))

    def products_of(self, ent: Enterprise) -> list[Product]:
        return [p for p in PRODUCTS if p.local_tags & self.tags.get(ent.pk, set())]

    def local_makers(self, product: Product) -> list[Enterprise]:
        if product.key not in self._makers:
            self._makers[product.key] = [e for e in self.registrants if product.local_tags & self.tags.get(e.pk, set())]
        return self._makers[product.key]

    def pick(self, rng: random.Random, station: int, kind: str, exclude: frozenset[int]) -> Enterprise | None:
        key = (station, kind, exclude)
        if key not in self._pools:
            pool = [(e, w) for e, w in self.by_station[station][kind] if e.pk not in exclude]
            self._pools[key] = ([e for e, _w in pool], list(itertools.accumulate(w for _e, w in pool)))
        people, cumulative = self._pools[key]
        return rng.choices(people, cum_weights=cumulative)[0] if people else None


class ReportMaker:
    """Builds the field values of realistic reports (shared by the seeder and the sample export)."""

    def __init__(self, registry: Registry, rng: random.Random) -> None:
        self.registry = registry
        self.rng = rng

    def maker(self, product: Product) -> Maker:
        local = self.registry.local_makers(product)
        if local and self.rng.random() < LOCAL_MAKER_SHARE:
            ent = self.rng.choice(local)
            return Maker(ent.name, "浙", ent)
        name, province = self.rng.choice(product.makers)
        return Maker(name, province)

    def product_for(self, category: str) -> Product:
        choices = [p for p in PRODUCTS if category in p.who]
        return self.rng.choices(choices, weights=[p.weight for p in choices])[0]

    def report(self, *, day: dt.date, kind: str, reporter: Enterprise | None = None, product: Product | None = None,
               maker: Maker | None = None, outcome: str | None = None, description: str = "", batch: str = "",
               subdistrict: Subdistrict | None = None, reporter_name: str | None = None,
               match: str | None = None) -> dict:
        rng = self.rng
        if product is None:
            if kind == ReporterKind.MANUFACTURE:
                product = rng.choice(self.registry.products_of(reporter))
            else:
                category = self.registry.category.get(reporter.pk) if reporter else PERSON
                product = self.product_for(category or PERSON)
        if maker is None:
            maker = Maker(reporter.name, "浙", reporter) if kind == ReporterKind.MANUFACTURE else self.maker(product)
        if outcome is None:
            serious = [t for o, t in product.events if o == EventOutcome.SERIOUS]
            outcome = EventOutcome.SERIOUS if serious and rng.random() < SERIOUS_SHARE else EventOutcome.OTHER
        if not description:
            description = rng.choice([t for o, t in product.events if o == outcome])
        learned = day - dt.timedelta(days=2 if outcome == EventOutcome.DEATH else rng.choice((0, 1, 1, 2, 2, 3, 4, 5, 6)))
        credit_code = ""
        if reporter is not None and match is None:
            match = ReporterMatch.CREDIT_CODE if rng.random() < CREDIT_CODE_SHARE else ReporterMatch.NAME
            credit_code = reporter.credit_code if match == ReporterMatch.CREDIT_CODE else ""
        elif reporter is None and match is None:
            match = ReporterMatch.NOT_APPLICABLE
        values = {
            "reported_on": day, "learned_on": learned, "occurred_on": learned - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3))),
            "reporter_kind": kind, "reporter": reporter, "reporter_match": match,
            "reporter_name": reporter.name if reporter_name is None and reporter else (reporter_name or ""),
            "reporter_credit_code": credit_code, "outcome": outcome, "product_name": product.name,
            "registration_number": maker.registration_number(product), "registrant_name": maker.name,
            "registrant": maker.enterprise, "model_spec": rng.choice(product.specs),
            "batch": batch or maker.batch(product, day, rng), "description": description,
        }
        values.update(placed(subdistrict=subdistrict, reporter=reporter))
        return values


def placed(*, subdistrict: Subdistrict | None, reporter: Enterprise | None) -> dict:
    """The 街道/镇 and 所 of a report as the import sets them: the file's 街道/镇, else the reporter's;
    the 所 of that 街道/镇, else the reporter's owning unit."""
    if subdistrict is None and reporter is not None:
        subdistrict = reporter.subdistrict
    unit = subdistrict.unit if subdistrict is not None else (reporter.owning_unit if reporter else None)
    return {"subdistrict": subdistrict, "unit": unit}


def report_code(year: int, serial: int) -> str:
    return f"{REGION}{year}{serial:07d}"


def year_fraction(today: dt.date, year: int) -> float:
    """The share of ``year`` elapsed by the end of ``today`` (1 for a past year)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if today >= end:
        return 1.0
    return ((today - start).days + 1) / ((end - start).days + 1)


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A day in [start, end], weekdays three times as likely as weekend days."""
    span = (end - start).days
    while True:
        day = start + dt.timedelta(days=rng.randint(0, span))
        if day.weekday() < 5 or rng.random() < 0.3 or span < 3:
            return day


class Seeder:
    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.today = ctx.today
        self.year = ctx.year
        self.rng = ctx.rng("monitoring")
        self.registry = Registry()
        self.maker = ReportMaker(self.registry, self.rng)
        self.section = Unit.objects.filter(kind=UnitKind.SECTION).order_by("sort_order", "pk").first()
        staff = list(User.objects.filter(role=Role.SECTION_STAFF, unit=self.section).order_by("username"))
        self.importer = staff[0] if staff else None
        self.evaluator = staff[1] if len(staff) > 1 else self.importer
        self.chief = User.objects.filter(role=Role.LEADER, unit=self.section).order_by("username").first()
        self.stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("sort_order", "code"))
        behind = [s for s in self.stations if s.code == BEHIND_STATION]
        self.behind = behind[0] if behind else self.stations[min(3, len(self.stations) - 1)]
        self.population: dict[int, dict[int, int]] = {}  # year → station → 常住人口

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        return self.ctx.at(min(day, self.today), hour)

    # --- quota inputs ------------------------------------------------------------------------------
    def seed_population(self) -> int:
        figures = []
        for year in (self.year - 1, self.year):
            per_station: dict[int, int] = defaultdict(int)
            for sd in self.registry.subdistricts:
                base = POPULATION.get(sd.name, sd.population or 40000)
                value = base if year == self.year else int(round(base * PREVIOUS_YEAR_FACTOR, -2))
                per_station[sd.unit_id] += value
                figure = PopulationFigure(year=year, subdistrict=sd, population=value, source=SOURCE)
                figure._history_date = self.at(dt.date(year, 1, 20), 9)
                figure._history_user = self.importer
                figures.append(figure)
            self.population[year] = per_station
            MonitoringSettings.objects.update_or_create(year=year, defaults={})
        bulk_create_with_history(figures, PopulationFigure, batch_size=BATCH)
        for year in (self.year - 1, self.year):
            PopulationFigure.objects.filter(year=year).update(updated_at=self.at(dt.date(year, 1, 20), 9))
        return sum(self.population[self.year].values())

    def seed_registrations(self) -> int:
        rng = self.ctx.rng("monitoring-registrations")
        registrants = list(Enterprise.objects.filter(is_registrant=True).order_by("pk"))
        active = [e for e in registrants if e.status in ACTIVE_STATUSES]
        unregistered = {e.pk for e in rng.sample(active, min(UNREGISTERED, len(active)))}
        records = []
        for ent in registrants:
            record = RegistrantRegistration(enterprise=ent, registered=ent.pk not in unregistered)
            start = max(dt.date(2019, 3, 1), (ent.established_on or dt.date(2019, 1, 1)) + dt.timedelta(days=30))
            end = self.today - dt.timedelta(days=10)
            start = min(start, end)
            if record.registered:
                record.registered_on = start + dt.timedelta(days=rng.randint(0, min(400, (end - start).days)))
                record._history_date = self.at(record.registered_on, 15)
            else:
                record._history_date = self.at(dt.date(self.year, 1, 10), 9)
                if not any(r.note for r in records):
                    record.note = "已电话督促，企业称正在办理数字证书"
            records.append(record)
        saved = bulk_create_with_history(records, RegistrantRegistration, batch_size=BATCH)
        for record in saved:
            record.updated_at = record._history_date
        RegistrantRegistration.objects.bulk_update(saved, ["updated_at"], batch_size=BATCH)
        return len(unregistered)

    # --- reports -----------------------------------------------------------------------------------
    def zero_hospitals(self) -> list[Enterprise]:
        """二级以上 hospitals without a report this year: two of the 所 behind pace, one elsewhere (lowest grade first)."""
        grade_rank = {g: i for i, g in enumerate(HOSPITAL_GRADES_2_PLUS)}
        candidates = sorted((e for e in self.registry.hospitals_2_plus if e.status == EnterpriseStatus.ACTIVE),
                            key=lambda e: (-grade_rank[e.hospital_grade], e.pk))
        behind = [e for e in candidates if e.subdistrict.unit_id == self.behind.pk][:ZERO_HOSPITALS - 1]
        others = [e for e in candidates if e.subdistrict.unit_id != self.behind.pk]
        return behind + others[:ZERO_HOSPITALS - len(behind)]

    def specials(self, zero: list[Enterprise]) -> list[dict]:
        """The reports the demo tells a story with: cluster, death, unmatched names, an alias, individuals."""
        make, rng, today = self.maker, self.rng, self.today
        zero_ids = {e.pk for e in zero}
        big = sorted((e for e in self.registry.hospitals_2_plus if e.pk not in zero_ids and e.status == EnterpriseStatus.ACTIVE),
                     key=lambda e: (-HOSPITAL_WEIGHT.get(e.hospital_grade, 1), e.pk))
        reports = []
        # the death: a ventilator in the ICU of the biggest hospital, nine days ago
        if big:
            reports.append(make.report(day=today - dt.timedelta(days=9), kind=ReporterKind.USE, reporter=big[0],
                                       product=VENTILATOR, maker=Maker(*VENTILATOR.makers[0]),
                                       outcome=EventOutcome.DEATH, description=VENTILATOR.events[0][1]))
        # the cluster: one batch of infusion sets, four units, 21 days
        infusion = PRODUCT_BY_KEY["infusion"]
        local = self.registry.local_makers(infusion)
        maker = Maker(local[0].name, "浙", local[0]) if local else Maker(*infusion.makers[0])
        batch = f"{today - dt.timedelta(days=150):%Y%m%d}"
        users = [e for station in self.stations for e, _w in self.registry.by_station[station.pk][ReporterKind.USE]
                 if e.pk not in zero_ids and self.registry.category[e.pk] in (HOSPITAL, PRIMARY)]
        cluster_units = rng.sample(users, min(4, len(users)))
        for days_ago, ent in zip((24, 17, 9, 3), cluster_units, strict=False):
            text = CLUSTER_TEXT.format(minutes=rng.choice((10, 15, 20, 30)), temp=rng.choice(("38.5", "38.9", "39.2")))
            reports.append(make.report(day=today - dt.timedelta(days=days_ago), kind=ReporterKind.USE, reporter=ent,
                                       product=infusion, maker=maker, outcome=EventOutcome.OTHER, description=text,
                                       batch=batch))
        start = dt.date(self.year, 1, 1)
        # reporting units the registry does not know, and one zero-report hospital spelt differently
        for name, street, kind, category in UNKNOWN_REPORTERS:
            sd = self.registry.subdistrict_by_name.get(street)
            reports.append(make.report(day=random_day(rng, start, today), kind=kind, reporter=None,
                                       reporter_name=name, match=ReporterMatch.UNMATCHED, subdistrict=sd,
                                       product=make.product_for(category)))
        if zero:
            target = zero[0]
            reports.append(make.report(day=random_day(rng, start, today), kind=ReporterKind.USE, reporter=None,
                                       reporter_name=near_miss(target.name), match=ReporterMatch.UNMATCHED,
                                       subdistrict=target.subdistrict, product=make.product_for(HOSPITAL)))
        # a hospital the national system spells its own way, tied by hand last year (ReporterAlias)
        if len(big) > 1:
            alias = ReporterAlias.objects.create(name=alias_name(big[1].name), enterprise=big[1], created_by=self.importer)
            ReporterAlias.objects.filter(pk=alias.pk).update(created_at=self.at(dt.date(self.year - 1, 6, 12), 15))
            for _n in range(2):
                reports.append(make.report(day=random_day(rng, start, today), kind=ReporterKind.USE, reporter=big[1],
                                           reporter_name=alias.name, match=ReporterMatch.ALIAS))
        for _n in range(2):  # 个人
            sd = rng.choice(self.registry.subdistricts)
            reports.append(make.report(day=random_day(rng, start, today), kind=ReporterKind.INDIVIDUAL, subdistrict=sd))
        return [r for r in reports if r["reported_on"] <= today]

    def year_reports(self, year: int, *, zero: list[Enterprise], specials: list[dict]) -> list[dict]:
        rng, make = self.rng, self.maker
        end = min(self.today, dt.date(year, 12, 31))
        start = dt.date(year, 1, 1)
        fraction = year_fraction(self.today, year)
        current = year == self.year
        zero_ids = frozenset(e.pk for e in zero) if current else frozenset()
        settings = MonitoringSettings.objects.get(year=year)
        reports = [r for r in specials if r["reported_on"].year == year]
        for station in self.stations:
            if current:
                pace = BEHIND_PACE if station == self.behind else rng.uniform(*PACE)
            else:
                pace = rng.uniform(*PREVIOUS_PACE)
            expected = float(settings.per_million_target) * self.population[year].get(station.pk, 0) / 1e6 * fraction
            quota = round(expected * pace) - sum(1 for r in reports if r["unit"] == station)
            covered = {r["reporter"].pk for r in reports if r["reporter"] is not None}
            # every 二级以上 hospital files at least one report a year (but the zero ones this year), early in the year
            forced = [e for e in self.registry.hospitals_2_plus
                      if e.subdistrict.unit_id == station.pk and e.pk not in zero_ids and e.pk not in covered]
            for ent in forced[:max(quota, 0)]:
                reports.append(make.report(day=random_day(rng, start, end), kind=ReporterKind.USE, reporter=ent))
                quota -= 1
            for _n in range(max(quota, 0)):
                kind = rng.choices([k for k, _s in KIND_SHARES], weights=[s for _k, s in KIND_SHARES])[0]
                reporter = self.registry.pick(rng, station.pk, kind, zero_ids)
                if reporter is None:
                    kind = ReporterKind.USE
                    reporter = self.registry.pick(rng, station.pk, kind, zero_ids)
                if reporter is None:
                    continue
                reports.append(make.report(day=random_day(rng, start, end), kind=kind, reporter=reporter))
        if not current and zero:  # last year, the hospitals at zero this year did report (their last report)
            covered = {r["reporter"].pk for r in reports if r["reporter"] is not None}
            for ent in zero:
                if ent.pk not in covered:
                    reports.append(make.report(day=random_day(rng, start, end), kind=ReporterKind.USE, reporter=ent))
        return reports

    def save_reports(self, rows: list[dict]) -> list[AdverseEventReport]:
        """Codes in date order per year, is_late for the one serious report filed past its limit, then one
        bulk insert with a history row dated to its import (by the 药械科, the next working day: one file a day)."""
        rng = self.rng
        rows.sort(key=lambda r: (r["reported_on"], r["reporter_name"], r["product_name"]))
        serial: dict[int, int] = {}
        reports = []
        by_import: dict[dt.datetime, list[AdverseEventReport]] = defaultdict(list)
        for row in rows:
            year = row["reported_on"].year
            serial[year] = serial.get(year, rng.randint(3, 40)) + rng.randint(1, 3)
            report = AdverseEventReport(code=report_code(year, serial[year]), **row)
            day = row["reported_on"]
            imported = self.at(day + dt.timedelta(days=1 if day.weekday() < 4 else 7 - day.weekday()), 9)
            imported += dt.timedelta(minutes=imported.toordinal() % 240)
            report._history_date = imported
            report._history_user = self.importer
            by_import[imported].append(report)
            reports.append(report)
        late = [r for r in reports if r.outcome == EventOutcome.SERIOUS and r.reported_on.year == self.year
                and r.reported_on <= self.today - dt.timedelta(days=60)]
        if late:
            report = late[0]
            report.learned_on = report.reported_on - dt.timedelta(days=26)
            report.occurred_on = report.learned_on - dt.timedelta(days=1)
            report.is_late = report_is_late(report, settings_for_year(report.reported_on.year))  # 26 > 20 days
        AdverseEventReport.objects.bulk_create(reports, batch_size=BATCH)
        for imported, batch in by_import.items():  # bulk_create stamped them now: date them to their import
            AdverseEventReport.objects.filter(pk__in=[r.pk for r in batch]).update(created_at=imported, updated_at=imported)
            for report in batch:
                report.created_at = report.updated_at = imported
        AdverseEventReport.history.bulk_history_create(reports, batch_size=BATCH)
        return reports

    # --- evaluations and trainings -----------------------------------------------------------------
    def seed_evaluations(self, reports: list[AdverseEventReport]) -> list[Evaluation]:
        """The scan opens what the reports call for (death, serious, the cluster); each is then dated to the
        import that brought its report (the cluster: the report that reached the threshold), and the older
        serious ones are evaluated and closed."""
        rng = self.rng
        opened = evaluations_scan(today=self.today)
        settings = {s.year: s for s in MonitoringSettings.objects.all()}
        evaluations = []
        for evaluation in sorted(opened, key=lambda e: e.pk):
            members = sorted(evaluation.reports.all(), key=lambda r: (r.reported_on, r.pk))
            year_settings = settings[members[0].reported_on.year]
            trigger_report = members[min(len(members), year_settings.cluster_min_reports) - 1] \
                if evaluation.trigger == EvaluationTrigger.CLUSTER else members[0]
            day = trigger_report.created_at.date()
            at = self.at(day, 17)
            evaluation.opened_on = day
            evaluation.due_on = day + dt.timedelta(days=year_settings.evaluation_due_days)
            Evaluation.objects.filter(pk=evaluation.pk).update(
                opened_on=evaluation.opened_on, due_on=evaluation.due_on, created_at=at)
            Evaluation.history.filter(id=evaluation.pk).update(
                opened_on=evaluation.opened_on, due_on=evaluation.due_on, created_at=at, history_date=at)
            if evaluation.trigger == EvaluationTrigger.SERIOUS:
                evaluated = day + dt.timedelta(days=rng.randint(6, 13))
                closed = evaluated + dt.timedelta(days=rng.randint(10, 40))
                if evaluated < self.today:
                    self.close_evaluation(evaluation, evaluated=evaluated, closed=closed,
                                          text=CLOSED_OPINIONS[len(evaluations) % len(CLOSED_OPINIONS)])
            evaluations.append(evaluation)
        return evaluations

    def close_evaluation(self, evaluation: Evaluation, *, evaluated: dt.date, closed: dt.date, text) -> None:
        opinion, causality, measures = text
        evaluation.status = EvaluationStatus.EVALUATED
        evaluation.opinion, evaluation.causality, evaluation.measures = opinion, causality, measures
        evaluation.evaluated_on = evaluated
        evaluation._history_date = self.at(evaluated, 16)
        evaluation._history_user = self.evaluator
        evaluation.save()
        if closed <= self.today:
            evaluation.status = EvaluationStatus.CLOSED
            evaluation.closed_on = closed
            evaluation.closure_note = "处置措施已落实，评价结束。"
            evaluation._history_date = self.at(closed, 11)
            evaluation._history_user = self.chief or self.evaluator
            evaluation.save()

    def seed_trainings(self) -> int:
        rng = self.ctx.rng("monitoring-trainings")
        unregistered = set(RegistrantRegistration.objects.filter(registered=False).values_list("enterprise", flat=True))
        registrants = [e for e in self.registry.registrants if e.pk not in unregistered]
        care = list(self.registry.hospitals_2_plus)
        for station in self.stations:
            care += [e for e, _w in self.registry.by_station[station.pk][ReporterKind.USE]
                     if self.registry.category[e.pk] == PRIMARY][:2]
        attendances = 0
        for month, day, topic, location, audience in TRAININGS:
            held = dt.date(self.year, month, day)
            if held > self.today:
                held = held.replace(year=self.year - 1)
            course = TrainingCourse(held_on=held, topic=topic, unit=self.section, location=location,
                                    note="讲解《医疗器械不良事件监测和再评价管理办法》及国家监测系统报告填报要求。")
            course._history_date = self.at(held - dt.timedelta(days=7), 9)
            course._history_user = self.importer
            course.save()
            TrainingCourse.objects.filter(pk=course.pk).update(created_at=course._history_date)
            TrainingCourse.history.filter(id=course.pk).update(created_at=course._history_date)
            chosen = registrants if audience == "registrants" else care
            chosen = [e for e in chosen if rng.random() < 0.85]
            rows = []
            for ent in chosen:
                people = rng.choice((1, 1, 2, 2, 3))
                rows.append(TrainingAttendance(course=course, enterprise=ent, people=people,
                                               names="、".join(person(rng) for _ in range(people))))
            TrainingAttendance.objects.bulk_create(rows, batch_size=BATCH)
            attendances += len(rows)
        return attendances


def near_miss(name: str) -> str:
    """A reporting-unit name as someone typed it in the national system: 温州市X医院 → 温州X医院."""
    if name.startswith("温州市"):
        return "温州" + name[3:]
    return name.replace("医院", "人民医院") if "医院" in name else name + "门诊部"


def alias_name(name: str) -> str:
    """The long name a hospital carries in the national system: 温州市X医院 → 温州市鹿城区X医院."""
    return name.replace("温州市", "温州市鹿城区", 1) if name.startswith("温州市") else f"{name}（本部）"


def seed(ctx) -> str:
    seeder = Seeder(ctx)
    if not seeder.stations or seeder.section is None:
        return "没有监管所（先运行企业演示数据）"
    population = seeder.seed_population()
    unregistered = seeder.seed_registrations()
    zero = seeder.zero_hospitals()
    specials = seeder.specials(zero)
    rows = seeder.year_reports(ctx.year - 1, zero=zero, specials=specials)
    rows += seeder.year_reports(ctx.year, zero=zero, specials=specials)
    reports = seeder.save_reports(rows)
    evaluations = seeder.seed_evaluations(reports)
    attendances = seeder.seed_trainings()
    complaints = seed_complaints(ctx)
    sampling = seed_sampling(ctx)
    this_year = sum(1 for r in reports if r.reported_on.year == ctx.year)
    open_count = sum(1 for e in evaluations if e.status == EvaluationStatus.OPEN)
    leads = demo_leads.seed(ctx)  # leads
    risks = demo_risks.seed(ctx)  # risk: last, after every source's demo records
    return (f"常住人口 {population / 10000:.2f} 万（演示数据）；不良事件报告 {ctx.year - 1}年 {len(reports) - this_year} 份、"
            f"{ctx.year}年 {this_year} 份（落后进度：{seeder.behind.short_name}；零报告二级以上医院 {len(zero)} 家）；"
            f"评价 {len(evaluations)} 项（待评价 {open_count} 项）；未注册注册人 {unregistered} 家；"
            f"培训 {len(TRAININGS)} 次、参训企业 {attendances} 家次；投诉举报与舆情 {complaints} 条；{sampling}；"
            f"{leads}；{risks}")
