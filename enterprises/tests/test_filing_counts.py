"""The grouped filing counts (``filing_counts``, behind ``filing_progress`` and the cockpit) agree with counting
``filing_rows`` one row at a time, on a small world with every case the rules tell apart."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enterprises.choices import EnterpriseStatus
from enterprises.duties.choices import FilingKind, Sector
from enterprises.duties.filing_selectors import Progress, filing_counts, filing_rows
from enterprises.models import AnnualFiling, EnterpriseStatusChange
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UserFactory

pytestmark = pytest.mark.django_db
Y = 2025
DUE = datetime.date(2025, 3, 31)
FIELDS = ("owed", "on_time", "late", "missing", "on_file")


def _figures(progress: Progress) -> tuple:
    return tuple(getattr(progress, name) for name in FIELDS)


def _by_rows(kind, as_of, **kw) -> tuple[dict, tuple]:
    per_unit: dict[int, Progress] = {}
    total = Progress(unit=None)
    for row in filing_rows(Y, kind, as_of=as_of, **kw):
        per_unit.setdefault(row.enterprise.owning_unit_id, Progress(unit=None)).add(row)
        total.add(row)
    return {pk: _figures(p) for pk, p in per_unit.items()}, _figures(total)


def _by_counts(kind, as_of, **kw) -> tuple[dict, tuple]:
    table = filing_counts(Y, kind, as_of=as_of, **kw)
    return {p.unit.pk: _figures(p) for p in table.units}, _figures(table.total)


def _change(enterprise, day, from_status, to_status, created):
    change = EnterpriseStatusChange.objects.create(enterprise=enterprise, from_status=from_status,
                                                   to_status=to_status, effective_on=day, reason="变更")
    EnterpriseStatusChange.objects.filter(pk=change.pk).update(created_at=created)


def _file(enterprise, sector, day, kind=FilingKind.SELF_REPORT, year=Y):
    AnnualFiling.objects.create(enterprise=enterprise, year=year, kind=kind, sector=sector, submitted_on=day)


@pytest.fixture
def world():
    """Two 所; manufacturers, operators, a producer-operator (two sectors), hospitals, a remote warehouse;
    statuses active, stopped, cancelled (before and after the due date), abnormal; filings on time, late,
    after the as-of day, of another year and kind, and in a sector the enterprise does not owe."""
    a, b = SubdistrictFactory(), SubdistrictFactory()
    both = EnterpriseFactory(subdistrict=a, name="产销", is_manufacturer=True)  # 生产 + 经营
    _file(both, Sector.PRODUCTION, datetime.date(2025, 2, 1))
    _file(both, Sector.OPERATION, datetime.date(2025, 4, 20))
    _file(both, Sector.PRODUCTION, datetime.date(2025, 2, 1), kind=FilingKind.RESPONSIBILITY)
    for i, day in enumerate([DUE, datetime.date(2025, 4, 2), None, datetime.date(2025, 9, 1)]):
        e = EnterpriseFactory(subdistrict=a, name=f"甲经营{i}")
        if day:
            _file(e, Sector.OPERATION, day)
    stopped = EnterpriseFactory(subdistrict=b, name="停产", status=EnterpriseStatus.PRODUCTION_STOPPED,
                                is_operator=False, is_manufacturer=True)
    _file(stopped, Sector.PRODUCTION, datetime.date(2025, 5, 5), kind=FilingKind.RESPONSIBILITY)
    EnterpriseFactory(subdistrict=b, name="异常", status=EnterpriseStatus.ABNORMAL)
    EnterpriseFactory(subdistrict=b, name="早已注销", status=EnterpriseStatus.CANCELLED)
    # cancelled after the due date: owes (its status on the due date was active)
    late_cancel = EnterpriseFactory(subdistrict=b, name="四月注销", status=EnterpriseStatus.CANCELLED)
    _change(late_cancel, datetime.date(2025, 4, 20), "active", "cancelled", timezone.make_aware(datetime.datetime(2025, 4, 20, 9)))
    _file(late_cancel, Sector.OPERATION, datetime.date(2025, 3, 1))
    # cancelled before the due date: owes nothing
    early_cancel = EnterpriseFactory(subdistrict=b, name="二月注销", status=EnterpriseStatus.CANCELLED)
    _change(early_cancel, datetime.date(2025, 2, 20), "active", "cancelled", timezone.make_aware(datetime.datetime(2025, 2, 20, 9)))
    # two changes after the due date: the first one's from_status counts (cancelled on the due date → no)
    back = EnterpriseFactory(subdistrict=b, name="恢复", status=EnterpriseStatus.ACTIVE)
    _change(back, datetime.date(2025, 5, 1), "cancelled", "abnormal", timezone.make_aware(datetime.datetime(2025, 5, 1, 9)))
    _change(back, datetime.date(2025, 6, 1), "abnormal", "active", timezone.make_aware(datetime.datetime(2025, 6, 1, 9)))
    # active now, became active after the due date from 异常 (owed on the due date: 异常 is under supervision)
    revived = EnterpriseFactory(subdistrict=b, name="复业", status=EnterpriseStatus.ACTIVE)
    _change(revived, datetime.date(2025, 7, 1), "abnormal", "active", timezone.make_aware(datetime.datetime(2025, 7, 1, 9)))
    # two changes on the same day: the first recorded one's from_status is the status on the due date (active)
    same_day = EnterpriseFactory(subdistrict=b, name="同日两变", status=EnterpriseStatus.ACTIVE)
    _change(same_day, datetime.date(2025, 8, 1), "active", "cancelled", timezone.make_aware(datetime.datetime(2025, 8, 1, 9)))
    _change(same_day, datetime.date(2025, 8, 1), "cancelled", "active", timezone.make_aware(datetime.datetime(2025, 8, 1, 10)))
    EnterpriseFactory(subdistrict=a, name="新设", established_on=datetime.date(2025, 1, 10))
    EnterpriseFactory(subdistrict=a, name="年内新设", established_on=datetime.date(2025, 3, 1),
                      is_operator=False, is_manufacturer=True)
    hospital = EnterpriseFactory(subdistrict=a, name="医院", is_operator=False, is_user_unit=True,
                                 institution_type="hospital")
    _file(hospital, Sector.USE, datetime.date(2025, 3, 3), kind=FilingKind.RESPONSIBILITY)
    EnterpriseFactory(subdistrict=b, name="医院乙", is_operator=False, is_user_unit=True, institution_type="hospital")
    remote = EnterpriseFactory(subdistrict=a, name="异地库", is_remote_warehouse=True)
    _file(remote, Sector.OPERATION, datetime.date(2025, 3, 1))  # owes nothing here: not counted
    other = EnterpriseFactory(subdistrict=b, name="上年报", is_operator=False, is_manufacturer=True)
    _file(other, Sector.PRODUCTION, datetime.date(2024, 3, 1), year=Y - 1)
    _file(other, Sector.OPERATION, datetime.date(2025, 3, 1))  # a sector it does not owe
    return {"a": a, "b": b}


@pytest.mark.parametrize("kind", [FilingKind.SELF_REPORT, FilingKind.RESPONSIBILITY])
@pytest.mark.parametrize("as_of", [datetime.date(2025, 3, 15), DUE, datetime.date(2025, 4, 30),
                                   datetime.date(2025, 12, 31)])
def test_grouped_counts_equal_counting_the_rows(world, kind, as_of):
    by_units, total = _by_rows(kind, as_of)
    assert _by_counts(kind, as_of) == (by_units, total)
    assert total[0] > 0 and set(by_units) == {world["a"].unit.pk, world["b"].unit.pk}


def test_grouped_counts_by_hand(world):
    """The self-reports (covering 2024) on 4月30日, worked out by hand (owed, on time, late, missing, on file).
    所A: 产销 生产 on time and 经营 late, 甲经营0 on time, 甲经营1 late, 甲经营2 and 甲经营3 (files in
    September) missing, 医院 on file; 新设 and 年内新设 were registered in 2025, 异地库 files at home.
    所B: 停产, 异常, 复业, 同日两变 (active on the due date) and 上年报 (its 经营 filing is not owed) missing,
    四月注销 on time, 医院乙 on file; 早已注销, 二月注销 and 恢复 (cancelled on the due date) owe nothing."""
    units, total = _by_counts(FilingKind.SELF_REPORT, datetime.date(2025, 4, 30))
    assert units[world["a"].unit.pk] == (6, 2, 2, 2, 1)
    assert units[world["b"].unit.pk] == (6, 1, 0, 5, 1)
    assert total == (12, 3, 2, 7, 2)


def test_grouped_counts_respect_unit_and_user(world):
    as_of = datetime.date(2025, 4, 30)
    user_b = UserFactory(unit=world["b"].unit)
    assert _by_counts(FilingKind.SELF_REPORT, as_of, user=user_b) == _by_rows(FilingKind.SELF_REPORT, as_of,
                                                                                user=user_b)
    units, total = _by_counts(FilingKind.SELF_REPORT, as_of, unit=world["a"].unit)
    assert list(units) == [world["a"].unit.pk] and total == units[world["a"].unit.pk]


def test_grouped_counts_take_a_fixed_number_of_statements(world):
    with CaptureQueriesContext(connection) as before:
        filing_counts(Y, FilingKind.SELF_REPORT, as_of=DUE)
    for i in range(5):
        EnterpriseFactory(subdistrict=world["a"], name=f"加{i}")
    with CaptureQueriesContext(connection) as after:
        filing_counts(Y, FilingKind.SELF_REPORT, as_of=DUE)
    assert len(after.captured_queries) == len(before.captured_queries) <= 3
