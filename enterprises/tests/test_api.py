"""REST API of the registry: scoping, writes through the services, Chinese 400s, the schema."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from enterprises.choices import EnterpriseStatus, LicenceKind
from enterprises.models import Enterprise, EnterpriseStatusChange, Licence

from .factories import EnterpriseFactory, LicenceFactory, TagFactory, make_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def two_enterprises(district):
    mine = EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a, phone="0577-1")
    theirs = EnterpriseFactory(name="藤桥大药房", subdistrict=district.sub_b, phone="0577-9")
    return mine, theirs


def test_station_user_lists_only_own_enterprises(api, district, two_enterprises):
    api.force_authenticate(district.inspector_a)

    response = api.get("/api/enterprises/")

    assert response.status_code == 200
    assert [row["name"] for row in response.data["results"]] == ["五马大药房"]


def test_station_user_cannot_open_edit_or_delete_another_stations_enterprise(api, district, two_enterprises):
    _mine, theirs = two_enterprises
    api.force_authenticate(district.inspector_a)

    detail = api.get(f"/api/enterprises/{theirs.pk}/")
    patch = api.patch(f"/api/enterprises/{theirs.pk}/", {"phone": "1"}, format="json")
    status = api.post(f"/api/enterprises/{theirs.pk}/change-status/",
                      {"to_status": "cancelled", "reason": "x"}, format="json")
    delete = api.delete(f"/api/enterprises/{theirs.pk}/")

    assert (detail.status_code, patch.status_code, status.status_code, delete.status_code) == (404, 404, 404, 404)
    theirs.refresh_from_db()
    assert (theirs.phone, theirs.status) == ("0577-9", EnterpriseStatus.ACTIVE)


def test_station_user_cannot_create_for_another_station(api, district):
    api.force_authenticate(district.inspector_a)

    response = api.post("/api/enterprises/", {
        "name": "藤桥新药房", "credit_code": make_credit_code(50), "subdistrict": district.sub_b.pk,
        "is_operator": True,
    }, format="json")

    assert response.status_code == 403
    assert Enterprise.objects.count() == 0


def test_section_user_sees_all_and_auditor_cannot_write(api, district, two_enterprises):
    mine, _theirs = two_enterprises
    api.force_authenticate(district.section_user)
    assert api.get("/api/enterprises/").data["count"] == 2

    api.force_authenticate(district.auditor)
    assert api.get("/api/enterprises/").data["count"] == 2
    response = api.patch(f"/api/enterprises/{mine.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.phone == "0577-1"


def test_token_auth_works(api, district, two_enterprises):
    token = Token.objects.create(user=district.inspector_b)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/enterprises/")

    assert [row["name"] for row in response.data["results"]] == ["藤桥大药房"]


def test_anonymous_is_refused(api, district, two_enterprises):
    assert api.get("/api/enterprises/").status_code in (401, 403)


def test_create_via_service_applies_rules_and_tags(api, district):
    tag = TagFactory(name="无菌")
    api.force_authenticate(district.inspector_a)

    response = api.post("/api/enterprises/", {
        "name": "五马新药房", "credit_code": make_credit_code(51), "subdistrict": district.sub_a.pk,
        "is_operator": True, "tags": [tag.pk],
    }, format="json")

    assert response.status_code == 201, response.data
    enterprise = Enterprise.objects.get()
    assert response.data["owning_unit"] == district.station_a.pk
    assert response.data["owning_unit_name"] == "五马市场监管所"
    assert list(enterprise.tags.all()) == [tag]
    assert enterprise.history.earliest().history_user == district.inspector_a


def test_bad_credit_code_is_a_400_in_chinese(api, district):
    api.force_authenticate(district.inspector_a)

    response = api.post("/api/enterprises/", {
        "name": "五马新药房", "credit_code": "91330302000000000X", "subdistrict": district.sub_a.pk,
        "is_operator": True,
    }, format="json")

    assert response.status_code == 400
    assert response.data["credit_code"][0].startswith("统一社会信用代码")
    assert Enterprise.objects.count() == 0


def test_override_without_reason_is_a_400(api, district):
    api.force_authenticate(district.section_user)

    response = api.post("/api/enterprises/", {
        "name": "五马批发", "credit_code": make_credit_code(52), "subdistrict": district.sub_a.pk,
        "is_operator": True, "owning_unit": district.section.pk,
    }, format="json")

    assert response.status_code == 400
    assert "owning_unit_override_reason" in response.data
    assert Enterprise.objects.count() == 0


def test_filters_are_shared_with_the_pages(api, district):
    EnterpriseFactory(name="A五马大药房", subdistrict=district.sub_a)
    EnterpriseFactory(name="B五马医院", subdistrict=district.sub_a, is_operator=False, is_user_unit=True,
                      institution_type="hospital", owning_unit=district.section)
    api.force_authenticate(district.section_user)

    by_role = api.get("/api/enterprises/", {"role": "hospital"})
    by_q = api.get("/api/enterprises/", {"q": "药房"})
    ordered = api.get("/api/enterprises/", {"ordering": "-name"})

    assert [r["name"] for r in by_role.data["results"]] == ["B五马医院"]
    assert [r["name"] for r in by_q.data["results"]] == ["A五马大药房"]
    assert [r["name"] for r in ordered.data["results"]] == ["B五马医院", "A五马大药房"]


def test_change_status_action(api, district, two_enterprises):
    mine, _theirs = two_enterprises
    api.force_authenticate(district.inspector_a)

    missing = api.post(f"/api/enterprises/{mine.pk}/change-status/", {"to_status": "cancelled"}, format="json")
    done = api.post(f"/api/enterprises/{mine.pk}/change-status/",
                    {"to_status": "cancelled", "reason": "注销登记", "effective_on": "2024-06-01"}, format="json")

    assert missing.status_code == 400
    assert done.status_code == 201
    mine.refresh_from_db()
    assert mine.status == EnterpriseStatus.CANCELLED
    assert EnterpriseStatusChange.objects.get().reason == "注销登记"


def test_licences_are_scoped_and_written_through_the_service(api, district, two_enterprises):
    mine, theirs = two_enterprises
    LicenceFactory(enterprise=theirs, number="浙温药监械经营备20230001号")
    api.force_authenticate(district.inspector_a)

    listing = api.get("/api/licences/")
    foreign = api.post("/api/licences/", {"enterprise": theirs.pk, "kind": LicenceKind.OPERATION_FILING,
                                          "number": "X-1"}, format="json")
    created = api.post("/api/licences/", {"enterprise": mine.pk, "kind": LicenceKind.OPERATION_FILING,
                                          "number": "X-2", "issued_on": "2024-01-01"}, format="json")
    bad_dates = api.post("/api/licences/", {"enterprise": mine.pk, "kind": LicenceKind.OPERATION_LICENCE,
                                            "number": "浙温药监械经营许20240001号", "issued_on": "2024-01-02",
                                            "expires_on": "2024-01-01"}, format="json")

    assert listing.data["count"] == 0
    assert foreign.status_code == 400
    assert created.status_code == 201
    assert created.data["number_warning"] != ""
    assert bad_dates.status_code == 400
    assert bad_dates.data["expires_on"] == ["有效期至不能早于发证日期"]
    assert list(Licence.objects.filter(enterprise=mine).values_list("number", flat=True)) == ["X-2"]


def test_units_and_tags_are_unpaginated_lists_and_tags_read_only(api, district):
    TagFactory(name="无菌")
    api.force_authenticate(district.inspector_a)

    units = api.get("/api/units/")
    tags = api.get("/api/tags/")
    post = api.post("/api/tags/", {"name": "新"}, format="json")

    assert {u["name"] for u in units.data} == {"测试区市场监督管理局", "药械科", "五马市场监管所", "藤桥市场监管所"}
    assert [t["name"] for t in tags.data] == ["无菌"]
    assert post.status_code == 405


def test_schema_generates_without_errors(api, district):
    api.force_authenticate(district.section_user)

    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/enterprises/", "/api/enterprises/{id}/change-status/", "/api/licences/",
                 "/api/units/", "/api/tags/"):
        assert path in paths


def test_browsable_api_and_docs_render(client, district, two_enterprises):
    client.force_login(district.inspector_a)

    listing = client.get("/api/enterprises/", HTTP_ACCEPT="text/html")
    docs = client.get("/api/docs/")

    assert listing.status_code == 200
    assert "五马大药房" in listing.content.decode()
    assert docs.status_code == 200
