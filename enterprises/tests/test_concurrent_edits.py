"""Optimistic locking of enterprises and licences: a stale save writes nothing and shows what changed."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from enterprises.models import Enterprise, Licence
from enterprises.services import enterprise_change_status, enterprise_update
from enterprises.tests.factories import EnterpriseFactory, LicenceFactory, UserFactory
from regsys.versioning import EditConflict

pytestmark = pytest.mark.django_db


def _page_data(client, enterprise) -> dict:
    """What the edit page posts back unchanged (its initial values, version included)."""
    form = client.get(reverse("enterprises:edit", args=[enterprise.pk])).context["form"]
    data = {}
    for name, value in form.initial.items():
        if value in (None, False, ""):
            continue
        data[name] = "on" if value is True else [v.pk for v in value] if isinstance(value, list) else value
    return data


@pytest.fixture
def enterprise(district):
    return EnterpriseFactory(name="五马大药房", subdistrict=district.sub_a, phone="0577-1",
                             business_address="五马街1号")


def test_two_users_edit_the_same_enterprise_through_the_pages(district, enterprise):
    colleague = UserFactory(username="wuma2", full_name="五马同事", unit=district.station_a)
    first, second = Client(), Client()
    first.force_login(district.inspector_a)
    second.force_login(colleague)
    first_data, second_data = _page_data(first, enterprise), _page_data(second, enterprise)
    assert first_data["version"] == second_data["version"] == 1

    saved = second.post(reverse("enterprises:edit", args=[enterprise.pk]), {**second_data, "phone": "0577-2"})
    stale = first.post(reverse("enterprises:edit", args=[enterprise.pk]),
                       {**first_data, "business_address": "五马街9号"})

    assert saved.status_code == 302
    assert stale.status_code == 200
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.business_address, enterprise.version) == ("0577-2", "五马街1号", 2)
    assert enterprise.history.count() == 2  # created + the colleague's save; nothing from the stale save
    form = stale.context["form"]
    assert form.edit_conflict.changes[0].as_dict() == {
        "field": "phone", "label": "联系电话", "theirs": "0577-2", "yours": "0577-1"}
    assert len(form.edit_conflict.changes) == 1
    page = stale.content.decode()
    assert "五马同事" in page
    assert "联系电话：0577-2 → 0577-1" in page
    assert 'value="五马街9号"' in page  # the user's input is kept
    assert 'name="version" value="2"' in page

    # Seeing the conflict, the user keeps the colleague's phone and saves again: it goes through.
    again = first.post(reverse("enterprises:edit", args=[enterprise.pk]),
                       {**first_data, "phone": "0577-2", "business_address": "五马街9号", "version": 2})

    assert again.status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.business_address, enterprise.version) == ("0577-2", "五马街9号", 3)


def test_an_edit_page_post_without_its_version_is_refused(client, district, enterprise):
    client.force_login(district.inspector_a)
    data = _page_data(client, enterprise)
    del data["version"]

    response = client.post(reverse("enterprises:edit", args=[enterprise.pk]), {**data, "phone": "0577-3"})

    assert response.status_code == 200
    assert response.context["form"].errors["version"] == ["页面缺少版本号，请刷新后重新填写"]
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.version) == ("0577-1", 1)


def test_two_users_edit_the_same_enterprise_through_the_api(district, enterprise):
    first, second = APIClient(), APIClient()
    first.force_authenticate(district.inspector_a)
    second.force_authenticate(district.section_user)
    read = first.get(f"/api/enterprises/{enterprise.pk}/").data
    assert read["version"] == 1

    saved = second.patch(f"/api/enterprises/{enterprise.pk}/", {"phone": "0577-2", "version": 1}, format="json")
    stale = first.patch(f"/api/enterprises/{enterprise.pk}/", {"phone": "0577-5", "version": 1}, format="json")

    assert (saved.status_code, saved.data["version"]) == (200, 2)
    assert stale.status_code == 409
    assert stale.data["current_version"] == 2
    assert stale.data["changes"] == [{"field": "phone", "label": "联系电话", "theirs": "0577-2", "yours": "0577-5"}]
    assert "药械科员" in stale.data["detail"]
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.version) == ("0577-2", 2)


def test_an_api_update_must_carry_the_version(district, enterprise):
    api = APIClient()
    api.force_authenticate(district.inspector_a)

    patch = api.patch(f"/api/enterprises/{enterprise.pk}/", {"phone": "0577-2"}, format="json")
    put = api.put(f"/api/enterprises/{enterprise.pk}/", {**api.get(f"/api/enterprises/{enterprise.pk}/").data,
                                                          "version": None, "phone": "0577-2"}, format="json")

    assert patch.status_code == 400
    assert patch.data["version"] == ["修改时须提交读取时的版本号 version"]
    assert put.status_code == 400
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.version) == ("0577-1", 1)


def test_a_status_change_makes_an_open_edit_stale(district, enterprise):
    enterprise_change_status(enterprise=enterprise, to_status="business_suspended", reason="装修",
                             by=district.inspector_a)

    with pytest.raises(EditConflict) as info:
        enterprise_update(enterprise=Enterprise.objects.get(pk=enterprise.pk), by=district.inspector_a,
                          version=1, phone="0577-7")

    assert info.value.changes == []
    assert info.value.current_version == 2
    enterprise.refresh_from_db()
    assert enterprise.phone == "0577-1"


def test_two_users_edit_the_same_licence_through_the_pages_and_the_api(district, enterprise):
    licence = LicenceFactory(enterprise=enterprise, issuer="温州市局")
    page, api = Client(), APIClient()
    page.force_login(district.inspector_a)
    api.force_authenticate(district.section_user)
    form = page.get(reverse("enterprises:licence_edit", args=[licence.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}

    saved = api.patch(f"/api/licences/{licence.pk}/", {"issuer": "鹿城区局", "version": 1}, format="json")
    stale = page.post(reverse("enterprises:licence_edit", args=[licence.pk]), {**data, "scope": "第二类"})

    assert saved.status_code == 200
    assert stale.status_code == 200
    assert "发证机关：鹿城区局 → 温州市局" in stale.content.decode()
    licence.refresh_from_db()
    assert (licence.issuer, licence.scope, licence.version) == ("鹿城区局", "", 2)
    assert Licence.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_truly_concurrent_saves_from_one_version_is_refused(district):
    """Needs PostgreSQL (row locks across connections); SQLite serialises whole transactions."""
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL (set DATABASE_URL)")
    enterprise = EnterpriseFactory(subdistrict=district.sub_a, phone="0577-1")
    first_user = UserFactory(unit=enterprise.owning_unit)
    second_user = UserFactory(unit=enterprise.owning_unit)
    first_saved, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                enterprise_update(enterprise=enterprise, by=first_user, version=1, phone="0577-2")
                first_saved.set()
                release.wait(10)  # still uncommitted while the second save starts
            outcome["first"] = "saved"
        finally:
            connections.close_all()

    def second():
        try:
            first_saved.wait(10)
            enterprise_update(enterprise=Enterprise.objects.get(pk=enterprise.pk), by=second_user, version=1,
                              phone="0577-3")
            outcome["second"] = "saved"
        except EditConflict as exc:
            outcome["second"] = exc.changes[0].as_dict()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    threads[1].join(1)  # the second save is blocked on the first one's row lock
    assert threads[1].is_alive()
    release.set()
    for thread in threads:
        thread.join(10)

    assert outcome == {"first": "saved", "second": {
        "field": "phone", "label": "联系电话", "theirs": "0577-2", "yours": "0577-3"}}
    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.version) == ("0577-2", 2)


def test_every_save_raises_the_version_and_unchecked_internal_writes_still_lock(district, enterprise):
    enterprise.phone = "0577-8"
    enterprise.save()
    enterprise_update(enterprise=enterprise, by=district.inspector_a, phone="0577-9")  # importer-style, no version

    enterprise.refresh_from_db()
    assert (enterprise.phone, enterprise.version) == ("0577-9", 3)
    assert list(enterprise.history.order_by("history_id").values_list("version", flat=True)) == [1, 2, 3]


def test_saving_a_record_deleted_meanwhile_says_so(district, enterprise):
    stale = Enterprise.objects.get(pk=enterprise.pk)
    Enterprise.objects.filter(pk=enterprise.pk).delete()

    with pytest.raises(ValidationError) as info:
        enterprise_update(enterprise=stale, by=district.inspector_a, version=1, phone="0577-9")

    assert info.value.messages == ["该记录已被删除，修改未保存"]
