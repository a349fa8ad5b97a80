"""关联专项整治 of a saved record: a locked inspection, a 约谈 or a 移送 is linked to a campaign by its own unit
(service, pages and API), the window is checked, another 所 cannot reach it, and the change is in the history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from campaigns.models import Campaign
from enterprises.tests.factories import UnitFactory, UserFactory
from inspections import services
from inspections.choices import InspectionStatus, ReferralTarget
from inspections.models import Inspection, Interview, Referral
from regsys.versioning import EditConflict

from .campaign_world import campaign_world
from .factories import InspectionFactory, station_with_staff

pytestmark = pytest.mark.django_db

CAMPAIGN = "医疗器械质量安全专项整治"
OUTSIDE = "不在专项整治“上一轮专项行动”的起止日期"


@pytest.fixture
def w():
    return campaign_world(CAMPAIGN)


def _locked(w, **kwargs):
    """A finalised inspection of the world's 所, dated today, linked to no campaign."""
    return InspectionFactory(enterprise=w.operator, unit=w.unit, start_date=w.today, officers=[w.inspector, w.colleague],
                             status=InspectionStatus.FINALISED, **kwargs)


def _interview(w):
    return Interview.objects.create(enterprise=w.operator, unit=w.unit, held_on=w.today, persons="企业负责人")


def _referral(w):
    return Referral.objects.create(enterprise=w.operator, unit=w.unit, target=ReferralTarget.POLICE,
                                   referred_on=w.today)


def _ids(record):
    return sorted(c.pk for c in type(record).objects.get(pk=record.pk).campaigns.all())


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- the service ---------------------------------------------------------------------------------------------

def test_own_unit_links_a_locked_inspection_and_the_history_says_who_and_old_to_new(w):
    inspection = _locked(w)
    histories = inspection.history.count()

    saved = services.campaigns_relink(record=inspection, campaigns=[w.campaign], by=w.colleague,
                                      version=inspection.version)

    assert _ids(inspection) == [w.campaign.pk]
    assert saved.status == InspectionStatus.FINALISED
    assert saved.version == inspection.version + 1
    latest = inspection.history.first()
    assert inspection.history.count() == histories + 1
    assert latest.history_user == w.colleague
    assert latest.history_change_reason == f"所属专项整治：无 → {CAMPAIGN}"


def test_unlinking_records_the_old_campaign(w):
    inspection = _locked(w)
    inspection.campaigns.set([w.campaign])

    services.campaigns_relink(record=inspection, campaigns=[], by=w.inspector)

    assert _ids(inspection) == []
    assert inspection.history.first().history_change_reason == f"所属专项整治：{CAMPAIGN} → 无"


@pytest.mark.parametrize("make", [_interview, _referral], ids=["interview", "referral"])
def test_an_interview_or_a_referral_is_linked_with_its_history(w, make):
    record = make(w)

    services.campaigns_relink(record=record, campaigns=[w.campaign], by=w.inspector)

    assert _ids(record) == [w.campaign.pk]
    latest = record.history.first()
    assert (latest.history_user, latest.history_change_reason) == (w.inspector, f"所属专项整治：无 → {CAMPAIGN}")


def test_another_units_user_is_refused_and_nothing_changes(w):
    inspection = _locked(w)
    _unit, _enterprise, (stranger,) = station_with_staff(1)
    histories = inspection.history.count()

    with pytest.raises(PermissionDenied):
        services.campaigns_relink(record=inspection, campaigns=[w.campaign], by=stranger)

    assert _ids(inspection) == []
    assert inspection.history.count() == histories


def test_a_campaign_whose_window_does_not_hold_the_date_is_refused_in_chinese(w):
    inspection = _locked(w)
    histories = inspection.history.count()

    with pytest.raises(ValidationError) as refused:
        services.campaigns_relink(record=inspection, campaigns=[w.campaign, w.past], by=w.inspector)

    assert OUTSIDE in refused.value.message_dict["campaigns"][0]
    assert refused.value.message_dict["campaigns"][0].startswith("检查日期")
    assert _ids(inspection) == []
    assert inspection.history.count() == histories


def test_unchanged_links_write_nothing(w):
    inspection = _locked(w)
    inspection.campaigns.set([w.campaign])
    histories, version = inspection.history.count(), inspection.version

    services.campaigns_relink(record=inspection, campaigns=[w.campaign], by=w.inspector, version=version)

    inspection.refresh_from_db()
    assert (inspection.history.count(), inspection.version) == (histories, version)


def test_a_stale_version_is_a_conflict(w):
    inspection = _locked(w)

    with pytest.raises(EditConflict):
        services.campaigns_relink(record=inspection, campaigns=[w.campaign], by=w.inspector,
                                  version=inspection.version - 1 or 99)

    assert _ids(inspection) == []


def test_a_linked_campaign_the_unit_may_not_name_stays_linked(w):
    """A campaign of other units (linked by the district) is not in the 所's choices; saving keeps it."""
    elsewhere = Campaign.objects.create(name="他所专项", year=w.today.year, start_date=w.today - dt.timedelta(days=5),
                                        end_date=w.today + dt.timedelta(days=5))
    elsewhere.units.set([UnitFactory()])
    inspection = _locked(w)
    inspection.campaigns.set([elsewhere])

    services.campaigns_relink(record=inspection, campaigns=[w.campaign], by=w.inspector)

    assert _ids(inspection) == sorted([elsewhere.pk, w.campaign.pk])


def test_a_long_change_is_shortened_to_fit_the_history_row(w):
    long_names = [Campaign.objects.create(name=f"{n}号" + "医疗器械专项整治行动" * 5, year=w.today.year,
                                          start_date=w.today, end_date=w.today) for n in (1, 2)]
    inspection = _locked(w)

    services.campaigns_relink(record=inspection, campaigns=long_names, by=w.inspector)

    reason = inspection.history.first().history_change_reason
    assert len(reason) <= 100
    assert reason.startswith("所属专项整治：无 → 1号医疗器械") and reason.endswith("…")


# --- the page ------------------------------------------------------------------------------------------------

def test_own_unit_relinks_a_locked_inspection_on_the_page(client, w):
    inspection = _locked(w)
    client.force_login(w.colleague)
    url = reverse("inspections:campaigns", args=[inspection.pk])

    opened = client.get(url)
    response = client.post(url, {"campaigns": [w.campaign.pk], "version": inspection.version})

    assert opened.status_code == 200
    assert CAMPAIGN in opened.content.decode()  # offered, and named as in scope but not linked
    assert response.status_code == 302 and response["Location"] == reverse("inspections:detail", args=[inspection.pk])
    assert _ids(inspection) == [w.campaign.pk]
    detail = client.get(response["Location"]).content.decode()
    assert f"所属专项整治：无 → {CAMPAIGN}" in detail
    assert "已保存所属专项整治" in detail


def test_the_detail_page_offers_the_action_to_its_unit_only(client, w):
    inspection = _locked(w)
    url = reverse("inspections:campaigns", args=[inspection.pk])
    client.force_login(w.inspector)
    assert f'href="{url}"' in client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()


def test_another_suo_gets_404_and_nothing_changes(client, w):
    inspection = _locked(w)
    _unit, _enterprise, (stranger,) = station_with_staff(1)
    client.force_login(stranger)
    url = reverse("inspections:campaigns", args=[inspection.pk])

    statuses = [client.get(url).status_code,
                client.post(url, {"campaigns": [w.campaign.pk], "version": inspection.version}).status_code]

    assert statuses == [404, 404]
    assert _ids(inspection) == []


def test_the_auditor_is_refused(client, w):
    from enterprises.choices import Role

    inspection = _locked(w)
    client.force_login(UserFactory(unit=w.unit, role=Role.AUDITOR))

    assert client.get(reverse("inspections:campaigns", args=[inspection.pk])).status_code == 403


def test_outside_the_window_the_page_shows_a_chinese_field_error_and_saves_nothing(client, w):
    inspection = _locked(w)
    inspection.campaigns.set([w.past])  # linked earlier (e.g. by the district); now in the choices
    client.force_login(w.inspector)
    url = reverse("inspections:campaigns", args=[inspection.pk])

    response = client.post(url, {"campaigns": [w.past.pk, w.campaign.pk], "version": inspection.version})

    assert response.status_code == 200
    assert OUTSIDE in response.context["form"].errors["campaigns"][0]
    assert _ids(inspection) == [w.past.pk]


@pytest.mark.parametrize(("make", "name", "listing"), [
    (_interview, "inspections:interview_campaigns", "inspections:interview_list"),
    (_referral, "inspections:referral_campaigns", "inspections:referral_list"),
], ids=["interview", "referral"])
def test_an_interview_or_referral_is_relinked_from_its_list(client, w, make, name, listing):
    record = make(w)
    client.force_login(w.inspector)
    url = reverse(name, args=[record.pk])
    assert f'href="{url}"' in client.get(reverse(listing)).content.decode()

    data = {"campaigns": [w.campaign.pk]}
    if hasattr(record, "version"):
        data["version"] = record.version
    response = client.post(url, data, HTTP_REFERER=f"http://testserver{reverse(listing)}?page=1")

    assert _ids(record) == [w.campaign.pk]
    assert response["Location"] == f"{reverse(listing)}?page=1"  # back where the user came from
    assert CAMPAIGN in client.get(reverse(listing)).content.decode()


def test_the_page_returns_to_the_return_it_was_opened_from(client, w):
    inspection = _locked(w)
    client.force_login(w.inspector)
    url = reverse("inspections:campaigns", args=[inspection.pk])

    opened = client.get(url, HTTP_REFERER="http://testserver/reporting/returns/7/?unit=3")
    foreign = client.get(url, HTTP_REFERER="https://evil.example/reporting/returns/7/")

    assert opened.context["next_url"] == "/reporting/returns/7/?unit=3"
    assert foreign.context["next_url"] == ""
    response = client.post(url, {"campaigns": [w.campaign.pk], "version": inspection.version,
                                 "next": "/reporting/returns/7/?unit=3"})
    assert response["Location"] == "/reporting/returns/7/?unit=3"


# --- the API -------------------------------------------------------------------------------------------------

def test_api_patch_of_campaigns_alone_relinks_a_locked_inspection(w):
    inspection = _locked(w)

    response = _api(w.colleague).patch(f"/api/inspections/{inspection.pk}/",
                                       {"campaigns": [w.campaign.pk], "version": inspection.version}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["campaigns"] == [w.campaign.pk]
    assert response.json()["status"] == InspectionStatus.FINALISED
    assert inspection.history.first().history_change_reason == f"所属专项整治：无 → {CAMPAIGN}"


def test_api_patch_of_campaigns_with_other_fields_on_a_locked_inspection_is_refused_in_chinese(w):
    inspection = _locked(w)

    response = _api(w.inspector).patch(f"/api/inspections/{inspection.pk}/", {
        "campaigns": [w.campaign.pk], "summary": "改", "version": inspection.version}, format="json")

    assert response.status_code == 400
    assert "所属专项整治可单独修改" in response.content.decode()
    inspection.refresh_from_db()
    assert (_ids(inspection), inspection.summary) == ([], "")


def test_api_patch_outside_the_window_is_a_400_and_another_suo_a_404(w):
    inspection = _locked(w)
    _unit, _enterprise, (stranger,) = station_with_staff(1)
    payload = {"campaigns": [w.past.pk], "version": inspection.version}

    outside = _api(w.inspector).patch(f"/api/inspections/{inspection.pk}/", payload, format="json")
    foreign = _api(stranger).patch(f"/api/inspections/{inspection.pk}/",
                                   {"campaigns": [w.campaign.pk], "version": inspection.version}, format="json")

    assert outside.status_code == 400 and OUTSIDE in outside.content.decode()
    assert foreign.status_code == 404
    assert _ids(inspection) == []
    assert Inspection.objects.get(pk=inspection.pk).version == inspection.version
