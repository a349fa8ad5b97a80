"""Access security: login lockout (form and API token), password rules, session timeouts, expiring and
revoked API tokens, API docs behind login, CSP."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from enterprises.tests.factories import UserFactory
from regsys.security import SESSION_LOGIN_AT, SESSION_SEEN_AT

PASSWORD = "pw-test-12345"


def login_form(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- lockout -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_login_form_locks_out_after_the_failure_limit_even_with_the_right_password(client):
    user = UserFactory()
    limit = settings.AXES_FAILURE_LIMIT

    for _ in range(limit - 1):
        response = login_form(client, user.username, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    locked = login_form(client, user.username, "wrong-password")
    after = login_form(client, user.username, PASSWORD)

    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert after.status_code == 429
    assert "登录失败次数过多" in after.content.decode()
    assert not signed_in(client)
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == limit + 1


@pytest.mark.django_db
def test_failures_below_the_limit_are_forgotten_after_a_successful_login(client):
    user = UserFactory()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login_form(client, user.username, "wrong-password")
    response = login_form(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username=user.username).exists()


@pytest.mark.django_db
def test_lockout_is_per_user_name(client):
    victim, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_form(client, victim.username, "wrong-password")

    response = login_form(client, other.username, PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_lockout_ends_after_the_cool_off(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_form(client, user.username, "wrong-password")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    response = login_form(client, user.username, PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_api_token_endpoint_locks_out_with_a_json_error(client):
    user = UserFactory()
    limit = settings.AXES_FAILURE_LIMIT

    for _ in range(limit - 1):
        response = client.post("/api/auth/token/", {"username": user.username, "password": "wrong"})
        assert response.status_code == 400
    locked = client.post("/api/auth/token/", {"username": user.username, "password": "wrong"})
    after = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD})

    assert locked.status_code == 429
    assert after.status_code == 429
    assert after["Content-Type"] == "application/json"
    assert "登录失败次数过多" in after.json()["detail"]
    assert not Token.objects.exists()


@pytest.mark.django_db
def test_api_token_failures_also_lock_the_login_form(client):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/auth/token/", {"username": user.username, "password": "wrong"})

    response = login_form(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)


# --- passwords -----------------------------------------------------------------------------------

@pytest.mark.parametrize("weak", ["12345678", "password", "87654321987"])
def test_common_and_numeric_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_demo_password_is_accepted():
    assert validate_password("demo12345") is None


# --- session timeouts ----------------------------------------------------------------------------

def age_session(client, *, login_ago: float, seen_ago: float) -> None:
    session = client.session
    now = time.time()
    session[SESSION_LOGIN_AT] = now - login_ago
    session[SESSION_SEEN_AT] = now - seen_ago
    session.save()


@pytest.mark.django_db
def test_session_within_both_timeouts_stays_signed_in(client):
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200
    age_session(client, login_ago=settings.SESSION_ABSOLUTE_TIMEOUT - 60,
                seen_ago=settings.SESSION_IDLE_TIMEOUT - 60)

    response = client.get("/")

    assert response.status_code == 200
    assert time.time() - client.session[SESSION_SEEN_AT] < 5


@pytest.mark.django_db
def test_idle_session_is_signed_out(client):
    client.force_login(UserFactory())
    client.get("/")
    age_session(client, login_ago=settings.SESSION_IDLE_TIMEOUT + 60, seen_ago=settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/enterprises/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/enterprises/"
    assert not signed_in(client)
    assert "登录已超时" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_idle_htmx_request_sends_the_whole_page_to_login(client):
    client.force_login(UserFactory())
    client.get("/")
    age_session(client, login_ago=10, seen_ago=settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/enterprises/", HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/login/?next=/enterprises/"
    assert not signed_in(client)


@pytest.mark.django_db
def test_session_is_signed_out_after_the_absolute_timeout_even_when_active(client):
    client.force_login(UserFactory())
    client.get("/")
    age_session(client, login_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 1, seen_ago=1)

    response = client.get("/")

    assert response.status_code == 302
    assert not signed_in(client)


@pytest.mark.django_db
def test_idle_session_is_anonymous_for_the_api(client):
    client.force_login(UserFactory())
    client.get("/")
    age_session(client, login_ago=10, seen_ago=settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/api/enterprises/")

    assert response.status_code in {401, 403}
    assert not signed_in(client)


@pytest.mark.django_db
def test_session_timeouts_come_from_settings(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 100
    client.force_login(UserFactory())
    client.get("/")
    age_session(client, login_ago=101, seen_ago=101)

    assert client.get("/").status_code == 302


# --- API tokens ----------------------------------------------------------------------------------

def api_get(token_key: str):
    return Client().get("/api/enterprises/", HTTP_AUTHORIZATION=f"Token {token_key}")


@pytest.mark.django_db
def test_fresh_token_is_accepted_and_an_expired_one_refused_in_chinese():
    token = Token.objects.create(user=UserFactory())
    assert api_get(token.key).status_code == 200

    Token.objects.filter(pk=token.pk).update(
        created=timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL + 1))
    response = api_get(token.key)

    # 403, not 401: session authentication comes first and sends no WWW-Authenticate challenge
    assert response.status_code == 403
    assert response.json()["detail"] == "API 令牌已过期，请重新获取（POST /api/auth/token/）。"


@pytest.mark.django_db
def test_token_endpoint_issues_a_new_token_in_place_of_an_expired_one(client):
    user = UserFactory()
    old = Token.objects.create(user=user)
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL + 1))

    response = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 200
    new_key = response.json()["token"]
    assert new_key != old.key
    assert list(Token.objects.values_list("key", flat=True)) == [new_key]
    assert api_get(new_key).status_code == 200


@pytest.mark.django_db
def test_token_endpoint_returns_the_same_valid_token(client):
    user = UserFactory()
    token = Token.objects.create(user=user)

    response = client.post("/api/auth/token/", {"username": user.username, "password": PASSWORD})

    assert response.json() == {"token": token.key}


@pytest.mark.django_db
def test_logout_revokes_the_users_api_token(client):
    user, other = UserFactory(), UserFactory()
    token = Token.objects.create(user=user)
    other_token = Token.objects.create(user=other)
    client.force_login(user)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert list(Token.objects.values_list("key", flat=True)) == [other_token.key]
    refused = api_get(token.key)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "认证令牌无效。"


# --- API docs ------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_api_schema_and_docs_require_login(client):
    assert client.get("/api/schema/").status_code in {401, 403}
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/api/docs/"


@pytest.mark.django_db
def test_api_docs_are_served_locally_without_inline_script(client):
    client.force_login(UserFactory())

    page = client.get("/api/docs/").content.decode()
    script = client.get("/api/docs/?script=")

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page
    assert '<script src="/api/docs/?script="' in page
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


# --- CSP -----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_script(client):
    client.force_login(UserFactory())

    policy = client.get("/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
