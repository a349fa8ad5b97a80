"""Write pages refuse users who may only look: the auditor, and a 所 looking at another unit's record.

The forms must not open at all (the user would fill them in for nothing), and the buttons to them are hidden.
"""

import datetime as dt

import pytest
from django.urls import reverse

from enterprises.choices import Role
from enterprises.tests.factories import UnitFactory, UserFactory
from inspections.choices import InspectionStatus
from inspections.models import Case, Inspection, Rectification

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


def test_station_user_gets_no_write_form_on_an_inspection_of_another_unit(client, records):
    # given: the 执法队 inspected an enterprise the 所 supervises; the 所 may see it but not change it
    squad = UnitFactory()
    squad_user = UserFactory(unit=squad)
    inspection = InspectionFactory(enterprise=records["enterprise"], unit=squad, officers=[squad_user],
                                   status=InspectionStatus.FINALISED)
    rect = RectificationFactory(inspection=inspection, deadline=dt.date(2024, 4, 5))
    case = CaseFactory(enterprise=records["enterprise"], unit=squad)
    station_user = UserFactory(unit=records["unit"])
    client.force_login(station_user)
    assert client.get(reverse("inspections:detail", args=[inspection.pk])).status_code == 200
    urls = [
        reverse("inspections:rectification", args=[inspection.pk]),
        reverse("inspections:rectification_complete", args=[rect.pk]),
        reverse("inspections:interview_create", args=[inspection.pk]),
        reverse("inspections:case_edit", args=[case.pk]),
        reverse("inspections:case_decide", args=[case.pk]),
        reverse("inspections:referral_create") + f"?case={case.pk}",
        reverse("inspections:referral_create") + f"?inspection={inspection.pk}",
        reverse("inspections:campaigns", args=[inspection.pk]),
    ]

    statuses = {url: client.get(url).status_code for url in urls}

    assert statuses == {url: 403 for url in urls}
    assert (Inspection.objects.count(), Rectification.objects.count(), Case.objects.count()) == (2, 2, 2)


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
