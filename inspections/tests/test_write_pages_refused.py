"""Write pages refuse users who may only look: the auditor, and a 所 looking at another unit's record.

The forms must not open at all (the user would fill them in for nothing), and the buttons to them are hidden.
"""

import datetime as dt

import pytest
from django.urls import reverse

from enterprises.choices import Role, UnitKind
from enterprises.tests.factories import UnitFactory, UserFactory
from inspections.choices import CaseStatus, InspectionStatus, ReferralTarget
from inspections.models import Case, CasePenalisedPerson, Inspection, Interview, Rectification, Referral

from .factories import CaseFactory, InspectionFactory, RectificationFactory, station_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], start_date=dt.date(2024, 3, 5),
                                   status=InspectionStatus.FINALISED)
    rect = RectificationFactory(inspection=inspection, deadline=dt.date(2024, 4, 5))
    case = CaseFactory(enterprise=enterprise, source_inspection=inspection)
    return {"unit": unit, "enterprise": enterprise, "inspection": inspection, "rect": rect, "case": case}


def write_urls(r):
    i, c = r["inspection"].pk, r["case"].pk
    return [
        reverse("inspections:quick"),
        reverse("inspections:create"),
        reverse("inspections:rectification", args=[i]),
        reverse("inspections:rectification_complete", args=[r["rect"].pk]),
        reverse("inspections:interview_create", args=[i]),
        reverse("inspections:case_create") + f"?inspection={i}",
        reverse("inspections:case_edit", args=[c]),
        reverse("inspections:case_decide", args=[c]),
        reverse("inspections:referral_create") + f"?case={c}",
        reverse("inspections:referral_create") + f"?inspection={i}",
        reverse("inspections:campaigns", args=[i]),
    ]


def test_auditor_gets_no_write_form(client, records):
    auditor = UserFactory(unit=UnitFactory(), role=Role.AUDITOR)
    client.force_login(auditor)

    statuses = {url: client.get(url).status_code for url in write_urls(records)}

    assert statuses == {url: 403 for url in write_urls(records)}


def test_auditor_sees_no_write_buttons(client, records):
    auditor = UserFactory(unit=UnitFactory(), role=Role.AUDITOR)
    client.force_login(auditor)
    quick, create, case_create = (reverse("inspections:quick"), reverse("inspections:create"),
                                  reverse("inspections:case_create"))

    pages = {name: client.get(url).content.decode() for name, url in {
        "home": reverse("home"), "list": reverse("inspections:list"), "todo": reverse("inspections:todo"),
        "cases": reverse("inspections:case_list"),
        "enterprise": reverse("enterprises:detail", args=[records["enterprise"].pk]),
    }.items()}

    assert {name: (f'href="{quick}"' in html, f'href="{create}' in html, f'href="{case_create}' in html)
            for name, html in pages.items()} == {name: (False, False, False) for name in pages}


@pytest.fixture
def squad_records(records):
    """The 执法队 inspected an enterprise the 所 supervises: the 所 may see the records but not change them."""
    squad = UnitFactory(kind=UnitKind.ENFORCEMENT)
    squad_user, squad_colleague = UserFactory(unit=squad), UserFactory(unit=squad)
    inspection = InspectionFactory(enterprise=records["enterprise"], unit=squad, officers=[squad_user],
                                   status=InspectionStatus.FINALISED)
    rect = RectificationFactory(inspection=inspection, deadline=dt.date(2024, 6, 10))
    case = CaseFactory(enterprise=records["enterprise"], unit=squad, status=CaseStatus.NOTIFIED)
    case.handlers.set([squad_user, squad_colleague])
    return {"squad_user": squad_user, "inspection": inspection, "rect": rect, "case": case,
            "station_user": UserFactory(unit=records["unit"])}


def squad_submissions(r) -> dict[str, dict]:
    """A complete, valid submission of each write form on the 执法队's records (the positive control below
    proves each one changes something when the owner sends it)."""
    inspection, rect, case = r["inspection"], r["rect"], r["case"]
    return {
        reverse("inspections:rectification", args=[inspection.pk]): {
            "ordered_on": "2024-05-10", "deadline": "2024-07-10", "requirements": "补充进货查验记录",
            "version": rect.version},
        reverse("inspections:rectification_complete", args=[rect.pk]): {
            "completed_on": "2024-06-01", "evidence": "已补齐进货查验记录"},
        reverse("inspections:interview_create", args=[inspection.pk]): {
            "held_on": "2024-05-20", "persons": "李四", "record": "约谈记录"},
        reverse("inspections:case_edit", args=[case.pk]): {
            "procedure": case.procedure, "filed_on": "2024-06-02", "violation": "改写的违法事实",
            "legal_basis": case.legal_basis, "handlers": [h.pk for h in case.handlers.all()], "version": case.version},
        reverse("inspections:case_decide", args=[case.pk]): {
            "decided_on": "2024-07-01", "decision_number": "测试罚〔2024〕1号", "fine_amount": "5000",
            "confiscation_amount": "0", "persons-TOTAL_FORMS": "2", "persons-INITIAL_FORMS": "0",
            "persons-MIN_NUM_FORMS": "0", "persons-MAX_NUM_FORMS": "1000"},
        reverse("inspections:referral_create") + f"?case={case.pk}": {
            "target": ReferralTarget.POLICE, "referred_on": "2024-07-02", "note": "涉嫌犯罪移送"},
        reverse("inspections:referral_create") + f"?inspection={inspection.pk}": {
            "target": ReferralTarget.HEALTH, "referred_on": "2024-05-21", "note": "线索移交"},
    }


def fingerprint() -> list:
    """Every row of every table these forms write."""
    return [sorted(map(repr, model.objects.order_by("pk").values_list()))
            for model in (Inspection, Rectification, Case, Interview, Referral, CasePenalisedPerson)]


def test_station_user_gets_no_write_form_on_an_inspection_of_another_unit(client, squad_records):
    client.force_login(squad_records["station_user"])
    assert client.get(reverse("inspections:detail", args=[squad_records["inspection"].pk])).status_code == 200
    submissions = squad_submissions(squad_records)
    before = fingerprint()

    opened = {url: client.get(url).status_code for url in submissions}
    sent = {url: client.post(url, data).status_code for url, data in submissions.items()}

    assert opened == {url: 403 for url in submissions}
    assert sent == {url: 403 for url in submissions}
    assert fingerprint() == before


def test_station_user_cannot_relink_the_campaigns_of_another_units_inspection(client, squad_records):
    inspection = squad_records["inspection"]
    client.force_login(squad_records["station_user"])
    url = reverse("inspections:campaigns", args=[inspection.pk])
    before = list(inspection.campaigns.values_list("pk", flat=True))

    statuses = (client.get(url).status_code, client.post(url, {"campaigns": []}).status_code)

    assert statuses == (403, 403)
    assert list(inspection.campaigns.values_list("pk", flat=True)) == before


@pytest.mark.parametrize("index", range(7))
def test_the_same_submission_by_the_owner_changes_the_record(client, squad_records, index):
    """Positive control: each refused submission above is one the owning unit's user gets through."""
    url, data = list(squad_submissions(squad_records).items())[index]
    client.force_login(squad_records["squad_user"])
    before = fingerprint()

    response = client.post(url, data)

    assert response.status_code == 302, [(k, v.errors) for k, v in response.context[0].flatten().items() if hasattr(v, "errors")]
    assert fingerprint() != before


def test_own_unit_still_opens_the_write_forms(client, records):
    client.force_login(UserFactory(unit=records["unit"]))

    statuses = {url: client.get(url).status_code for url in write_urls(records)}

    assert statuses == {url: 200 for url in write_urls(records)}


def test_auditor_work_lists_link_drafts_to_the_detail_page_not_the_edit_form(client, records):
    draft = InspectionFactory(enterprise=records["enterprise"], officers=[], start_date=dt.date(2024, 3, 1))
    auditor = UserFactory(unit=UnitFactory(), role=Role.AUDITOR)
    client.force_login(auditor)

    html = client.get(reverse("inspections:unit_list"), {"unit": records["unit"].pk}).content.decode()

    assert f'href="{reverse("inspections:detail", args=[draft.pk])}"' in html
    assert reverse("inspections:edit", args=[draft.pk]) not in html
