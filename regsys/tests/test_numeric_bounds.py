"""Over-large numbers (2**60) are a field error in Chinese on pages and a 400 in the API; nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from inspections.models import Case, Inspection
from inspections.tests.factories import CaseFactory, InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db
HUGE = 2**60


def test_api_staff_count_of_2_pow_60_is_400_and_nothing_saved():
    _unit, enterprise, (a, _b) = station_with_staff()
    client = APIClient()
    client.force_authenticate(a)
    before = Inspection.objects.count()

    response = client.post("/api/inspections/", {"enterprise": enterprise.pk, "kind": "routine",
                                                 "start_date": "2024-05-10", "staff_count": HUGE}, format="json")

    assert response.status_code == 400
    assert response.json() == {"staff_count": ["请确保该值小于或者等于 9999。"]}
    assert Inspection.objects.count() == before


def test_api_patch_staff_count_of_2_pow_60_changes_nothing():
    _unit, enterprise, (a, b) = station_with_staff()
    inspection = InspectionFactory(enterprise=enterprise, officers=[a, b], status="draft")
    client = APIClient()
    client.force_authenticate(a)

    response = client.patch(f"/api/inspections/{inspection.pk}/", {"staff_count": HUGE}, format="json")

    assert response.status_code == 400
    inspection.refresh_from_db()
    assert inspection.staff_count == 2


def test_page_staff_count_of_2_pow_60_is_a_field_error_and_nothing_saved(client):
    _unit, enterprise, (a, _b) = station_with_staff()
    client.force_login(a)
    before = Inspection.objects.count()

    response = client.post(reverse("inspections:create"), {
        "enterprise": enterprise.pk, "kind": "routine", "start_date": "2024-05-10", "staff_count": str(HUGE),
        "officers-TOTAL_FORMS": "0", "officers-INITIAL_FORMS": "0",
    })

    assert response.status_code == 200
    assert response.context["form"].errors["staff_count"] == ["确保该值小于或等于9999。"]
    assert Inspection.objects.count() == before


def test_api_and_page_fine_beyond_the_column_are_refused(client):
    _unit, enterprise, (a, _b) = station_with_staff()
    case = CaseFactory(enterprise=enterprise, handlers=[a])
    api = APIClient()
    api.force_authenticate(a)
    client.force_login(a)

    api_response = api.post(f"/api/cases/{case.pk}/decide/", {"decided_on": "2024-06-01", "fine_amount": str(HUGE)},
                            format="json")
    page_response = client.post(reverse("inspections:case_decide", kwargs={"pk": case.pk}), {
        "decided_on": "2024-06-01", "fine_amount": str(HUGE), "confiscation_amount": "0",
        "form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0",
    })

    assert api_response.status_code == 400
    assert list(api_response.json()) == ["fine_amount"]
    assert page_response.status_code == 200
    assert "fine_amount" in page_response.context["form"].errors
    case.refresh_from_db()
    assert case.decided_on is None
    assert Case.objects.get(pk=case.pk).fine_amount == 0


def test_campaign_year_is_bounded_on_the_model():
    from django.core.exceptions import ValidationError

    from campaigns.models import Campaign

    campaign = Campaign(name="x", year=HUGE, start_date="2024-01-01", end_date="2024-12-31")
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert error.value.message_dict["year"] == ["年度不能晚于2100年"]


def test_api_filter_with_a_huge_or_fractional_id_is_400():
    _unit, _enterprise, (a, _b) = station_with_staff()
    client = APIClient()
    client.force_authenticate(a)

    huge = client.get("/api/inspections/", {"enterprise": "-6.167259525625031e+255"})
    fraction = client.get("/api/cases/", {"enterprise": "1.5"})

    assert huge.status_code == 400
    assert list(huge.json()) == ["enterprise"]
    assert fraction.status_code == 400
