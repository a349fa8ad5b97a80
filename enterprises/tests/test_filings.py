"""Yearly filings (年度自查报告, 质量安全责任书): who owes, statuses, progress by hand, import, 责令改正 → credit."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from enterprises.choices import EnterpriseStatus, Role, UnitKind
from enterprises.duties.choices import FilingKind, FilingSource, Sector
from enterprises.duties.filing_import import filings_import
from enterprises.duties.filing_rules import FilingStatus
from enterprises.duties.filing_selectors import filing_progress, filing_rows, order_candidates
from enterprises.duties.filing_services import filing_record, order_confirm, order_propose
from enterprises.models import AnnualFiling, CreditRecord, EnterpriseStatusChange
from enterprises.tests.factories import EnterpriseFactory, SubdistrictFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
Y = 2025
DUE = datetime.date(2025, 3, 31)
SELF = FilingKind.SELF_REPORT


@pytest.fixture
def district():
    """Two 所 with a user each, a 药械科 staff member and a chief."""
    a, b = SubdistrictFactory(), SubdistrictFactory()
    section = UnitFactory(name="药械科", short_name="药械科", kind=UnitKind.SECTION)
    return {
        "sd_a": a, "sd_b": b, "user_a": UserFactory(unit=a.unit), "user_b": UserFactory(unit=b.unit),
        "staff": UserFactory(unit=section, role=Role.SECTION_STAFF),
        "chief": UserFactory(unit=section, role=Role.LEADER),
    }


def manufacturer(sd, **kw):
    return EnterpriseFactory(subdistrict=sd, is_operator=False, is_manufacturer=True, is_registrant=True, **kw)


def operator(sd, **kw):
    return EnterpriseFactory(subdistrict=sd, **kw)


def hospital(sd, **kw):
    return EnterpriseFactory(subdistrict=sd, is_operator=False, is_user_unit=True, institution_type="hospital", **kw)


def submit(enterprise, sector, day, kind=SELF):
    return AnnualFiling.objects.create(enterprise=enterprise, year=Y, kind=kind, sector=sector, submitted_on=day)


def _rows(**kw):
    return {(r.enterprise.name, r.sector): r for r in filing_rows(Y, kw.pop("kind", SELF), **kw)}


# ---------------------------------------------------------------- who owes


def test_who_owes_a_self_report_by_role(district):
    sd = district["sd_a"]
    m = manufacturer(sd, name="制造")
    both = EnterpriseFactory(subdistrict=sd, name="产销", is_manufacturer=True)
    o = operator(sd, name="经营")
    h = hospital(sd, name="医院")
    contract = EnterpriseFactory(subdistrict=sd, name="受托", is_operator=False, is_contract_manufacturer=True)
    entrusting = EnterpriseFactory(subdistrict=sd, name="委托", is_operator=False, is_registrant=True,
                                   entrusts_production=True)
    EnterpriseFactory(subdistrict=sd, name="仓库", is_remote_warehouse=True)  # files with its home bureau
    EnterpriseFactory(subdistrict=sd, name="平台", is_operator=False, is_platform=True)
    rows = _rows()
    assert sorted(rows) == sorted([
        (m.name, Sector.PRODUCTION), (both.name, Sector.PRODUCTION), (both.name, Sector.OPERATION),
        (o.name, Sector.OPERATION), (h.name, Sector.USE), (contract.name, Sector.PRODUCTION),
        (entrusting.name, Sector.PRODUCTION),
    ])
    assert rows[(h.name, Sector.USE)].status == FilingStatus.ON_FILE
    assert not rows[(h.name, Sector.USE)].counted


def test_a_letter_is_owed_once_per_enterprise_in_its_first_sector(district):
    sd = district["sd_a"]
    EnterpriseFactory(subdistrict=sd, name="产销", is_manufacturer=True)
    hospital(sd, name="医院")
    rows = _rows(kind=FilingKind.RESPONSIBILITY)
    assert sorted(rows) == [("产销", Sector.PRODUCTION), ("医院", Sector.USE)]
    assert rows[("医院", Sector.USE)].status == FilingStatus.MISSING  # a use unit signs its letter


def test_only_enterprises_there_during_the_year_and_under_supervision_on_the_due_date_owe(district):
    sd = district["sd_a"]
    operator(sd, name="新设", established_on=datetime.date(2025, 1, 10))
    operator(sd, name="老企业", established_on=datetime.date(2024, 12, 31))
    operator(sd, name="早已注销", status=EnterpriseStatus.CANCELLED)
    operator(sd, name="停产", status=EnterpriseStatus.PRODUCTION_STOPPED)
    later = operator(sd, name="四月注销", status=EnterpriseStatus.CANCELLED)
    EnterpriseStatusChange.objects.create(enterprise=later, from_status="active", to_status="cancelled",
                                          effective_on=datetime.date(2025, 4, 20), reason="注销")
    earlier = operator(sd, name="二月注销", status=EnterpriseStatus.CANCELLED)
    EnterpriseStatusChange.objects.create(enterprise=earlier, from_status="active", to_status="cancelled",
                                          effective_on=datetime.date(2025, 2, 20), reason="注销")
    assert sorted(name for name, _ in _rows()) == ["停产", "四月注销", "老企业"]


# ---------------------------------------------------------------- statuses


def test_status_on_time_late_missing_and_as_of(district):
    sd = district["sd_a"]
    on_time, late, missing = operator(sd, name="按期"), operator(sd, name="逾期"), operator(sd, name="未报")
    submit(on_time, Sector.OPERATION, DUE)
    submit(late, Sector.OPERATION, datetime.date(2025, 4, 1))
    rows = _rows(as_of=datetime.date(2025, 5, 1))
    assert rows[(on_time.name, Sector.OPERATION)].status == FilingStatus.SUBMITTED
    assert rows[(late.name, Sector.OPERATION)].status == FilingStatus.LATE
    assert rows[(missing.name, Sector.OPERATION)].status == FilingStatus.MISSING
    # as of 3月31日 the late one had not yet filed
    assert _rows(as_of=DUE)[(late.name, Sector.OPERATION)].status == FilingStatus.MISSING


# ---------------------------------------------------------------- progress, by hand


def test_progress_per_unit_by_hand(district):
    a, b = district["sd_a"], district["sd_b"]
    # 所A: 4 operators (2 on time, 1 late, 1 missing) + 1 manufacturer-operator (production on time,
    # operation missing) + a hospital (留存备查, not counted) → owed 6, on time 3, late 1, missing 2
    ops = [operator(a, name=f"甲{i}") for i in range(4)]
    submit(ops[0], Sector.OPERATION, datetime.date(2025, 3, 1))
    submit(ops[1], Sector.OPERATION, datetime.date(2025, 3, 31))
    submit(ops[2], Sector.OPERATION, datetime.date(2025, 4, 2))
    both = EnterpriseFactory(subdistrict=a, name="甲产销", is_manufacturer=True)
    submit(both, Sector.PRODUCTION, datetime.date(2025, 2, 1))
    hospital(a, name="甲医院")
    # 所B: 1 manufacturer, missing
    manufacturer(b, name="乙制造")
    table = filing_progress(Y, SELF, as_of=datetime.date(2025, 4, 10))
    by_unit = {p.unit.pk: p for p in table.units}
    pa, pb = by_unit[a.unit.pk], by_unit[b.unit.pk]
    assert (pa.owed, pa.on_time, pa.late, pa.missing, pa.on_file) == (6, 3, 1, 2, 1)
    assert pa.rate == round(4 * 100 / 6, 1) == 66.7
    assert (pb.owed, pb.on_time, pb.late, pb.missing) == (1, 0, 0, 1)
    assert pb.rate == 0.0
    total = table.total
    assert (total.owed, total.on_time, total.late, total.missing) == (7, 3, 1, 3)
    assert total.rate == round(4 * 100 / 7, 1) == 57.1
    assert table.due == DUE
    # the same figure for one unit, and before the late one filed
    assert filing_progress(Y, SELF, unit=a.unit, as_of=datetime.date(2025, 3, 31)).total.submitted == 3


def test_progress_is_scoped_for_a_station_user(district):
    operator(district["sd_a"], name="甲")
    operator(district["sd_b"], name="乙")
    table = filing_progress(Y, SELF, as_of=DUE, user=district["user_a"])
    assert [p.unit.pk for p in table.units] == [district["sd_a"].unit.pk]
    assert table.total.owed == 1


# ---------------------------------------------------------------- record a submission


def test_record_refuses_a_future_date_a_sector_not_owed_and_a_bad_file(district):
    o = operator(district["sd_a"])
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        filing_record(enterprise=o, year=Y, kind=SELF, sector=Sector.PRODUCTION, submitted_on=tomorrow,
                      by=district["user_a"], file=SimpleUploadedFile("报告.pdf", b"not a pdf"))
    assert set(exc.value.message_dict) == {"sector", "submitted_on", "file"}
    assert not AnnualFiling.objects.exists()


def test_record_by_another_unit_is_refused(district):
    o = operator(district["sd_a"])
    with pytest.raises(PermissionDenied):
        filing_record(enterprise=o, year=Y, kind=SELF, sector=Sector.OPERATION, submitted_on=DUE,
                      by=district["user_b"])
    assert not AnnualFiling.objects.exists()


def test_record_with_a_file(district):
    o = operator(district["sd_a"])
    filing = filing_record(enterprise=o, year=Y, kind=SELF, sector=Sector.OPERATION,
                           submitted_on=datetime.date(2025, 3, 2), by=district["user_a"],
                           file=SimpleUploadedFile("自查报告.pdf", b"%PDF-1.4 test"))
    assert filing.file.name.endswith(".pdf")
    assert filing.source == FilingSource.MANUAL
    assert filing.history.count() == 1


# ---------------------------------------------------------------- import


def sheet(*rows, headers=("统一社会信用代码", "企业名称", "提交日期", "环节")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_records_every_row_and_twice_changes_nothing(district):
    a = district["sd_a"]
    o, m = operator(a, name="甲经营"), manufacturer(a, name="甲制造")
    both = EnterpriseFactory(subdistrict=a, name="甲产销", is_manufacturer=True)
    rows = [(o.credit_code, "", "2025-03-10", ""), ("", m.name, datetime.date(2025, 4, 3), ""),
            (both.credit_code, both.name, "2025/3/1", "经营")]
    result = filings_import(file=sheet(*rows), year=Y, kind=SELF, by=district["user_a"])
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    recorded = {(f.enterprise.name, f.sector): (f.submitted_on, f.source) for f in AnnualFiling.objects.all()}
    assert recorded == {
        ("甲经营", Sector.OPERATION): (datetime.date(2025, 3, 10), FilingSource.IMPORT),
        ("甲制造", Sector.PRODUCTION): (datetime.date(2025, 4, 3), FilingSource.IMPORT),
        ("甲产销", Sector.OPERATION): (datetime.date(2025, 3, 1), FilingSource.IMPORT),
    }
    versions = sorted(AnnualFiling.objects.values_list("pk", "version"))
    again = filings_import(file=sheet(*rows), year=Y, kind=SELF, by=district["user_a"])
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert sorted(AnnualFiling.objects.values_list("pk", "version")) == versions


def test_import_with_one_bad_row_records_nothing(district):
    a = district["sd_a"]
    o = operator(a, name="甲经营")
    both = EnterpriseFactory(subdistrict=a, name="甲产销", is_manufacturer=True)
    other = operator(district["sd_b"], name="乙经营")
    rows = [(o.credit_code, "", "2025-03-10", ""),
            (both.credit_code, "", "2025-03-11", ""),  # two sectors: 环节 needed
            ("", "不存在的公司", "2025-03-11", ""),
            (other.credit_code, "", "2025-03-11", ""),  # another unit's
            (o.credit_code, "", "三月", "")]
    result = filings_import(file=sheet(*rows), year=Y, kind=SELF, by=district["user_a"])
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "环节"), (4, "企业名称"), (5, "统一社会信用代码"), (6, "提交日期")]
    assert "不属于本单位监管" in result.errors[2].message
    assert result.created == 0
    assert not AnnualFiling.objects.exists()


def test_import_refuses_a_duplicate_row_and_a_wrong_header(district):
    o = operator(district["sd_a"])
    result = filings_import(file=sheet((o.credit_code, "", "2025-03-10", ""), (o.credit_code, "", "2025-03-12", "")),
                            year=Y, kind=SELF, by=district["user_a"])
    assert [(e.row, e.message) for e in result.errors] == [(3, "与第2行重复（同一企业同一环节）")]
    bad = filings_import(file=sheet(("x",), headers=("名称",)), year=Y, kind=SELF, by=district["user_a"])
    assert bad.errors[0].column == "表头"
    assert not AnnualFiling.objects.exists()


# ---------------------------------------------------------------- 责令改正 → credit record


def test_propose_then_chief_confirms_writes_a_credit_record(district):
    o = operator(district["sd_a"], name="甲经营")
    after = datetime.date(2025, 4, 15)
    assert [r.enterprise for r in order_candidates(Y, as_of=after)] == [o]
    assert order_candidates(Y, as_of=DUE) == []
    with pytest.raises(ValidationError):
        order_propose(enterprise=o, year=Y, sector=Sector.OPERATION, by=district["user_a"], today=DUE)
    with pytest.raises(PermissionDenied):
        order_propose(enterprise=o, year=Y, sector=Sector.OPERATION, by=district["user_b"], today=after)
    filing = order_propose(enterprise=o, year=Y, sector=Sector.OPERATION, by=district["user_a"], today=after)
    assert filing.order_proposed_on == after and filing.submitted_on is None
    assert order_candidates(Y, as_of=after)[0].order_state == "proposed"
    for not_chief in (district["user_a"], district["staff"]):
        with pytest.raises(PermissionDenied):
            order_confirm(filing=filing, by=not_chief, today=after)
    assert not CreditRecord.objects.exists()
    order_confirm(filing=filing, by=district["chief"], today=datetime.date(2025, 4, 16))
    filing.refresh_from_db()
    credit = CreditRecord.objects.get()
    assert (credit.enterprise, credit.kind, credit.recorded_on) == (o, "bad_credit", datetime.date(2025, 4, 16))
    assert credit.reason == "未按期（2025年03月31日前）提交年度自查报告（2025年，经营环节），责令改正"
    assert filing.credit_record == credit and filing.order_confirmed_by == district["chief"]
    with pytest.raises(ValidationError):
        order_confirm(filing=filing, by=district["chief"])
    assert CreditRecord.objects.count() == 1


def test_a_report_filed_after_the_proposal_needs_no_order(district):
    o = operator(district["sd_a"])
    filing = order_propose(enterprise=o, year=Y, sector=Sector.OPERATION, by=district["user_a"],
                           today=datetime.date(2025, 4, 15))
    filing_record(enterprise=o, year=Y, kind=SELF, sector=Sector.OPERATION, submitted_on=datetime.date(2025, 4, 20),
                  by=district["user_a"], version=filing.version)
    filing.refresh_from_db()
    assert _rows(as_of=datetime.date(2025, 5, 1))[(o.name, Sector.OPERATION)].status == FilingStatus.LATE
    with pytest.raises(ValidationError):
        order_confirm(filing=filing, by=district["chief"])
    assert not CreditRecord.objects.exists()


def test_a_hospitals_report_on_file_is_never_proposed(district):
    h = hospital(district["sd_a"])
    with pytest.raises(ValidationError):
        order_propose(enterprise=h, year=Y, sector=Sector.USE, by=district["user_a"], today=datetime.date(2025, 5, 1))
    assert not AnnualFiling.objects.exists()
