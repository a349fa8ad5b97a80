"""Records are linked to the campaigns they fall in: services, pages (quick entry, full form, 约谈, 移送)
and the API; a link dated outside the campaign's window is refused, one outside its rows is warned about."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.tests.factories import UserFactory
from inspections import services
from inspections.choices import ReferralTarget
from inspections.models import Inspection, Interview, Referral

from .campaign_world import campaign_world
from .factories import CaseFactory, InspectionFactory

pytestmark = pytest.mark.django_db

OUTSIDE = "不在专项整治“上一轮专项行动”的起止日期"
NOT_IN_ROWS = "不在专项整治“医疗器械质量安全专项整治”报表的整治项目内，该记录不会计入其报表"


@pytest.fixture
def w():
    return campaign_world()


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _ids(qs):
    return sorted(c.pk for c in qs.all())


# --- services ----------------------------------------------------------------------------------------------

def test_inspection_without_campaigns_is_linked_to_the_campaign_it_falls_in(w):
    inspection = services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today,
                                            by=w.inspector)

    assert _ids(inspection.campaigns) == [w.campaign.pk]
    assert services.record_warnings(inspection) == []


@pytest.mark.parametrize("explicit", [None, []])
def test_inspection_with_no_campaign_said_explicitly_stays_unlinked(w, explicit):
    inspection = services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today,
                                            by=w.inspector, campaigns=explicit)

    assert _ids(inspection.campaigns) == []


def test_inspection_of_an_enterprise_outside_the_rows_is_not_linked_by_default(w):
    inspection = services.inspection_create(enterprise=w.manufacturer, kind="routine", start_date=w.today,
                                            by=w.inspector)

    assert _ids(inspection.campaigns) == []


def test_inspection_dated_outside_the_linked_campaigns_window_is_refused_and_nothing_saved(w):
    with pytest.raises(ValidationError) as refused:
        services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today, by=w.inspector,
                                   campaigns=[w.past])

    assert OUTSIDE in refused.value.message_dict["campaigns"][0]
    assert Inspection.objects.count() == 0


def test_explicit_link_of_an_enterprise_outside_the_rows_is_kept_with_a_warning(w):
    inspection = services.inspection_create(enterprise=w.manufacturer, kind="routine", start_date=w.today,
                                            by=w.inspector, campaigns=[w.campaign])

    assert _ids(inspection.campaigns) == [w.campaign.pk]
    assert services.record_warnings(inspection) == [f"企业“温州测试生产企业”{NOT_IN_ROWS}"]


def test_moving_a_linked_draft_out_of_the_window_is_refused(w):
    inspection = services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today,
                                            by=w.inspector)
    too_early = w.campaign.start_date - dt.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        services.inspection_update(inspection=inspection, by=w.inspector, version=inspection.version,
                                   start_date=too_early)

    assert "不在专项整治“医疗器械质量安全专项整治”的起止日期" in refused.value.message_dict["campaigns"][0]
    inspection.refresh_from_db()
    assert inspection.start_date == w.today


def test_amending_a_finalised_inspection_out_of_the_window_is_refused(w):
    chief = UserFactory(unit=w.unit, role="leader")
    inspection = InspectionFactory(enterprise=w.operator, officers=[w.inspector, w.colleague], start_date=w.today)
    inspection.campaigns.set([w.campaign])

    with pytest.raises(ValidationError):
        services.inspection_amend(inspection=inspection, changes={"start_date": w.campaign.start_date
                                                                  - dt.timedelta(days=3)},
                                  reason="日期录错", by=chief, version=inspection.version)

    inspection.refresh_from_db()
    assert inspection.start_date == w.today


def test_interview_from_an_inspection_gets_the_rule_and_the_inspections_campaigns_in_window(w):
    other = campaign_world_extra(w)
    inspection = InspectionFactory(enterprise=w.manufacturer, officers=[w.inspector, w.colleague],
                                   start_date=w.today)
    inspection.campaigns.set([other, w.past])

    interview = services.interview_create(enterprise=w.manufacturer, inspection=inspection, held_on=w.today,
                                          persons="王五", by=w.inspector)

    assert _ids(interview.campaigns) == [other.pk]  # the past campaign's window has closed


def campaign_world_extra(w):
    """A second running campaign the operator is not in the rows of (a manufacturing form)."""
    from campaigns.models import Campaign

    other = Campaign.objects.create(name="生产环节专项", year=w.today.year, start_date=w.campaign.start_date,
                                    end_date=w.campaign.end_date)
    other.units.set([w.unit])
    return other


def test_standalone_interview_and_referral_follow_the_rule(w):
    interview = services.interview_create(enterprise=w.operator, held_on=w.today, persons="王五", by=w.inspector)
    referral = services.referral_create(enterprise=w.operator, target=ReferralTarget.HEALTH, referred_on=w.today,
                                        by=w.inspector)
    unlinked = services.referral_create(enterprise=w.operator, target=ReferralTarget.HEALTH, referred_on=w.today,
                                        by=w.inspector, campaigns=None)

    assert _ids(interview.campaigns) == [w.campaign.pk]
    assert _ids(referral.campaigns) == [w.campaign.pk]
    assert _ids(unlinked.campaigns) == []


def test_interview_and_referral_outside_the_window_are_refused(w):
    with pytest.raises(ValidationError):
        services.interview_create(enterprise=w.operator, held_on=w.today, persons="王五", by=w.inspector,
                                  campaigns=[w.past])
    with pytest.raises(ValidationError):
        services.referral_create(enterprise=w.operator, target=ReferralTarget.HEALTH, referred_on=w.today,
                                 by=w.inspector, campaigns=[w.past])

    assert (Interview.objects.count(), Referral.objects.count()) == (0, 0)


def test_a_campaign_the_unit_does_not_take_part_in_is_not_a_default(w):
    w.campaign.units.set([UserFactory().unit])

    inspection = services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today,
                                            by=w.inspector)

    assert _ids(inspection.campaigns) == []


# --- pages ------------------------------------------------------------------------------------------------

def _quick(w, **extra):
    return {"enterprise": w.operator.pk, "kind": "routine", "start_date": w.today.isoformat(),
            "officers": [w.inspector.pk, w.colleague.pk], "conclusion": "compliant",
            "others-TOTAL_FORMS": "0", "others-INITIAL_FORMS": "0", **extra}


def test_quick_entry_shows_the_campaign_field(client, w):
    client.force_login(w.inspector)

    page = client.get(reverse("inspections:quick")).content.decode()

    assert 'name="campaigns"' in page and "医疗器械质量安全专项整治" in page
    assert 'id="campaign-field"' in page


def test_quick_entry_left_alone_links_the_campaign_and_says_so(client, w):
    client.force_login(w.inspector)

    response = client.post(reverse("inspections:quick"), _quick(w, campaigns_default=""), follow=True)

    inspection = Inspection.objects.get()
    assert _ids(inspection.campaigns) == [w.campaign.pk]
    assert "已关联专项整治：医疗器械质量安全专项整治" in response.content.decode()


def test_quick_entry_unticked_by_the_user_stays_unlinked(client, w):
    client.force_login(w.inspector)

    client.post(reverse("inspections:quick"), _quick(w, campaigns_default=str(w.campaign.pk)))

    assert _ids(Inspection.objects.get().campaigns) == []


def test_quick_entry_with_a_campaign_outside_its_window_shows_a_chinese_field_error(client, w):
    client.force_login(w.inspector)

    response = client.post(reverse("inspections:quick"), _quick(w, campaigns=[w.past.pk], campaigns_default=""))

    assert response.status_code == 200
    assert OUTSIDE in response.context["form"].errors["campaigns"][0]
    assert Inspection.objects.count() == 0


def test_full_form_pre_ticks_the_campaign_for_a_known_enterprise(client, w):
    client.force_login(w.inspector)

    form = client.get(reverse("inspections:create"), {"enterprise": w.operator.pk}).context["form"]

    assert form["campaigns"].value() == [w.campaign.pk]
    assert form["campaigns_default"].value() == str(w.campaign.pk)


def _full(w, **extra):
    return {"enterprise": w.operator.pk, "kind": "routine", "start_date": w.today.isoformat(),
            "officers-TOTAL_FORMS": "2", "officers-INITIAL_FORMS": "0",
            "officers-0-user": w.inspector.pk, "officers-0-cert_kind": "enforcement",
            "officers-1-user": w.colleague.pk, "officers-1-cert_kind": "enforcement", **extra}


def test_full_form_left_alone_links_the_default_and_a_changed_choice_is_kept(client, w):
    client.force_login(w.inspector)

    client.post(reverse("inspections:create"), _full(w, campaigns=[w.campaign.pk],
                                                      campaigns_default=str(w.campaign.pk)))
    client.post(reverse("inspections:create"), _full(w, campaigns_default=str(w.campaign.pk)))

    first, second = Inspection.objects.order_by("pk")
    assert _ids(first.campaigns) == [w.campaign.pk]
    assert _ids(second.campaigns) == []


def test_full_form_warns_when_the_enterprise_is_not_in_the_campaigns_rows(client, w):
    client.force_login(w.inspector)

    response = client.post(reverse("inspections:create"), _full(w, enterprise=w.manufacturer.pk,
                                                                 campaigns=[w.campaign.pk]), follow=True)

    assert _ids(Inspection.objects.get().campaigns) == [w.campaign.pk]
    assert NOT_IN_ROWS in response.content.decode()


def test_editing_a_draft_outside_the_window_is_a_field_error(client, w):
    inspection = services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today,
                                            by=w.inspector, officers=[services.OfficerInput(user=w.inspector),
                                                                      services.OfficerInput(user=w.colleague)])
    client.force_login(w.inspector)
    too_early = (w.campaign.start_date - dt.timedelta(days=1)).isoformat()

    response = client.post(reverse("inspections:edit", args=[inspection.pk]), _full(
        w, start_date=too_early, campaigns=[w.campaign.pk], campaigns_default=str(w.campaign.pk),
        version=inspection.version))

    assert "不在专项整治“医疗器械质量安全专项整治”的起止日期" in response.context["form"].errors["campaigns"][0]
    inspection.refresh_from_db()
    assert inspection.start_date == w.today


def test_interview_page_pre_ticks_and_links_the_campaign(client, w):
    inspection = InspectionFactory(enterprise=w.operator, officers=[w.inspector, w.colleague], start_date=w.today)
    client.force_login(w.inspector)
    url = reverse("inspections:interview_create", args=[inspection.pk])

    shown = client.get(url).context["form"]
    client.post(url, {"held_on": w.today.isoformat(), "persons": "王五", "campaigns": [w.campaign.pk],
                      "campaigns_default": str(w.campaign.pk)})
    client.post(url, {"held_on": w.today.isoformat(), "persons": "赵六", "campaigns_default": str(w.campaign.pk)})

    assert shown["campaigns"].value() == [w.campaign.pk]
    assert _ids(Interview.objects.get(persons="王五").campaigns) == [w.campaign.pk]
    assert _ids(Interview.objects.get(persons="赵六").campaigns) == []


def test_referral_page_pre_ticks_and_links_the_campaign(client, w):
    case = CaseFactory(enterprise=w.operator, filed_on=w.today - dt.timedelta(days=1))
    client.force_login(w.inspector)
    url = f"{reverse('inspections:referral_create')}?case={case.pk}"

    shown = client.get(url).context["form"]
    response = client.post(url, {"target": ReferralTarget.POLICE, "referred_on": w.today.isoformat(),
                                 "campaigns_default": ""}, follow=True)

    assert shown["campaigns"].value() == [w.campaign.pk]
    assert _ids(Referral.objects.get().campaigns) == [w.campaign.pk]
    assert "已关联专项整治：医疗器械质量安全专项整治" in response.content.decode()


def test_referral_page_outside_the_window_is_a_field_error(client, w):
    case = CaseFactory(enterprise=w.operator, filed_on=w.today - dt.timedelta(days=1))
    client.force_login(w.inspector)
    url = f"{reverse('inspections:referral_create')}?case={case.pk}"

    response = client.post(url, {"target": ReferralTarget.POLICE, "referred_on": w.today.isoformat(),
                                 "campaigns": [w.past.pk], "campaigns_default": ""})

    assert OUTSIDE in response.context["form"].errors["campaigns"][0]
    assert Referral.objects.count() == 0


# --- the field redrawn when the enterprise or date changes --------------------------------------------------

def _choices(client, **params):
    return client.get(reverse("inspections:campaign_choices"), {"date_field": "start_date", **params})


def test_picking_an_enterprise_ticks_the_campaign(client, w):
    client.force_login(w.inspector)

    form = _choices(client, enterprise=w.operator.pk, start_date=w.today.isoformat(), campaigns_default="").context["form"]

    assert form["campaigns"].value() == [w.campaign.pk]
    assert form["campaigns_default"].value() == str(w.campaign.pk)


def test_a_date_outside_the_window_unticks_a_default_but_keeps_the_users_own_choice(client, w):
    client.force_login(w.inspector)
    before = (w.campaign.start_date - dt.timedelta(days=1)).isoformat()

    untouched = _choices(client, enterprise=w.operator.pk, start_date=before, campaigns=[w.campaign.pk],
                         campaigns_default=str(w.campaign.pk)).context["form"]
    touched = _choices(client, enterprise=w.operator.pk, start_date=before, campaigns=[w.past.pk],
                       campaigns_default=str(w.campaign.pk)).context["form"]

    assert untouched["campaigns"].value() == []
    assert touched["campaigns"].value() == [w.past.pk]


def test_another_units_enterprise_gives_no_default(client, w):
    stranger = UserFactory()  # a 所 user of another unit
    client.force_login(stranger)

    response = _choices(client, enterprise=w.operator.pk, start_date=w.today.isoformat(), campaigns_default="")

    assert response.status_code == 200
    assert response.context["form"]["campaigns"].value() == []
    assert "医疗器械质量安全专项整治" not in response.content.decode()


# --- API --------------------------------------------------------------------------------------------------

def _inspection_payload(w, **extra):
    return {"enterprise": w.operator.pk, "kind": "routine", "start_date": w.today.isoformat(), **extra}


def test_api_create_without_campaigns_uses_the_rule(w):
    response = _api(w.inspector).post("/api/inspections/", _inspection_payload(w), format="json")

    assert response.status_code == 201
    assert response.json()["campaigns"] == [w.campaign.pk]
    assert response.json()["warnings"] == []


@pytest.mark.parametrize("explicit", [None, []])
def test_api_create_with_explicit_null_or_empty_keeps_it_unlinked(w, explicit):
    response = _api(w.inspector).post("/api/inspections/", _inspection_payload(w, campaigns=explicit),
                                      format="json")

    assert response.status_code == 201
    assert response.json()["campaigns"] == []


def test_api_create_outside_the_window_is_400_and_nothing_saved(w):
    response = _api(w.inspector).post("/api/inspections/", _inspection_payload(w, campaigns=[w.past.pk]),
                                      format="json")

    assert response.status_code == 400
    assert OUTSIDE in response.json()["campaigns"][0]
    assert Inspection.objects.count() == 0


def test_api_create_outside_the_rows_is_201_with_a_warning(w):
    response = _api(w.inspector).post("/api/inspections/", _inspection_payload(
        w, enterprise=w.manufacturer.pk, campaigns=[w.campaign.pk]), format="json")

    assert response.status_code == 201
    assert response.json()["warnings"] == [f"企业“温州测试生产企业”{NOT_IN_ROWS}"]


def test_api_patch_null_campaigns_clears_them(w):
    inspection = services.inspection_create(enterprise=w.operator, kind="routine", start_date=w.today,
                                            by=w.inspector)

    response = _api(w.inspector).patch(f"/api/inspections/{inspection.pk}/",
                                       {"campaigns": None, "version": inspection.version}, format="json")

    assert response.status_code == 200
    assert response.json()["campaigns"] == []


def test_api_standalone_interview_and_referral_take_campaigns(w):
    client = _api(w.inspector)

    interview = client.post("/api/interviews/", {"enterprise": w.operator.pk, "held_on": w.today.isoformat(),
                                                 "persons": "王五", "campaigns": [w.campaign.pk]}, format="json")
    defaulted = client.post("/api/interviews/", {"enterprise": w.operator.pk, "held_on": w.today.isoformat(),
                                                 "persons": "赵六"}, format="json")
    referral = client.post("/api/referrals/", {"enterprise": w.operator.pk, "target": "health",
                                               "referred_on": w.today.isoformat(), "campaigns": None},
                           format="json")

    assert (interview.status_code, defaulted.status_code, referral.status_code) == (201, 201, 201)
    assert interview.json()["campaigns"] == [w.campaign.pk]
    assert defaulted.json()["campaigns"] == [w.campaign.pk]
    assert referral.json()["campaigns"] == []


def test_api_interview_put_changes_campaigns_and_refuses_a_closed_window(w):
    interview = services.interview_create(enterprise=w.operator, held_on=w.today, persons="王五", by=w.inspector,
                                          campaigns=None)
    client = _api(w.inspector)
    body = {"enterprise": w.operator.pk, "held_on": w.today.isoformat(), "persons": "王五"}

    linked = client.put(f"/api/interviews/{interview.pk}/", {**body, "campaigns": [w.campaign.pk],
                                                             "version": interview.version}, format="json")
    refused = client.put(f"/api/interviews/{interview.pk}/", {**body, "campaigns": [w.past.pk],
                                                              "version": linked.json()["version"]}, format="json")

    assert linked.status_code == 200 and linked.json()["campaigns"] == [w.campaign.pk]
    assert refused.status_code == 400 and OUTSIDE in refused.json()["campaigns"][0]
    assert _ids(Interview.objects.get().campaigns) == [w.campaign.pk]


def test_api_referral_naming_a_campaign_the_unit_does_not_take_part_in_is_refused(w):
    closed = campaign_world_extra(w)
    closed.units.set([UserFactory().unit])

    response = _api(w.inspector).post("/api/referrals/", {"enterprise": w.operator.pk, "target": "health",
                                                          "referred_on": w.today.isoformat(),
                                                          "campaigns": [closed.pk]}, format="json")

    assert response.status_code == 400
    assert "不存在或不在你的权限范围内" in response.json()["campaigns"][0]
    assert Referral.objects.count() == 0
