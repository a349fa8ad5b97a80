import pytest
from django.test import override_settings

from enterprises.tests.factories import EnterpriseFactory, UserFactory


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_refused_page_explains_in_chinese(client):
    client.force_login(UserFactory(unit=None, role="auditor"))

    response = client.get("/enterprises/new/")

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_another_units_record_is_not_found_in_chinese(client):
    other = EnterpriseFactory()
    client.force_login(UserFactory())

    response = client.get(f"/enterprises/{other.pk}/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_unmatched_api_path_answers_json_404(client):
    client.force_login(UserFactory())

    response = client.get("/api/enterprises/not.a.number/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}
