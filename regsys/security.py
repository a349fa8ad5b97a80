"""Access security shared by pages and API: session timeouts, expiring API tokens, login lockout.

The limits are settings (see the security block of ``regsys/settings.py``): ``SESSION_IDLE_TIMEOUT``,
``SESSION_ABSOLUTE_TIMEOUT``, ``API_TOKEN_TTL``, ``AXES_FAILURE_LIMIT`` and ``AXES_COOLOFF_TIME``.
"""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

SESSION_LOGIN_AT = "regsys_login_at"
SESSION_SEEN_AT = "regsys_seen_at"
# The last-seen time is written at most this often, so that not every request saves the session.
SEEN_RESOLUTION = 30


def lockout_minutes() -> int:
    cool_off = settings.AXES_COOLOFF_TIME
    return max(1, int(cool_off.total_seconds() // 60)) if isinstance(cool_off, timedelta) else 0


def lockout_message() -> str:
    return _("登录失败次数过多，该账号已暂时锁定，请 %(minutes)s 分钟后再试；如忘记密码请联系系统管理员。") % {
        "minutes": lockout_minutes()
    }


def is_api_request(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes lockout answer: JSON for the API, the Chinese lockout page for the login form."""
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    if is_api_request(request):
        return JsonResponse({"detail": lockout_message()}, status=status)
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=status)


def session_expired(request: HttpRequest, now: float) -> bool:
    """True when the signed-in session has been idle too long or has lasted too long."""
    session = request.session
    login_at = session.get(SESSION_LOGIN_AT)
    seen_at = session.get(SESSION_SEEN_AT)
    if login_at is None or seen_at is None:
        return False
    return now - seen_at > settings.SESSION_IDLE_TIMEOUT or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT idle seconds or SESSION_ABSOLUTE_TIMEOUT seconds in all.

    Pages redirect to the login page with a Chinese message; API calls then count as anonymous.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            if session_expired(request, now):
                logout(request)
                if is_api_request(request):
                    return self.get_response(request)
                messages.info(request, _("登录已超时，请重新登录。"))
                response = redirect_to_login(request.get_full_path())
                if request.headers.get("HX-Request") == "true":  # htmx: reload the whole page at login
                    response = HttpResponse(status=204, headers={"HX-Redirect": response.url})
                return response
            session = request.session
            session.setdefault(SESSION_LOGIN_AT, now)
            if now - session.get(SESSION_SEEN_AT, 0) >= SEEN_RESOLUTION:
                session[SESSION_SEEN_AT] = now
        return self.get_response(request)


def token_expired(token: Token) -> bool:
    return token.created < timezone.now() - timedelta(seconds=settings.API_TOKEN_TTL)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF token authentication that refuses tokens older than API_TOKEN_TTL seconds."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise AuthenticationFailed(_("API 令牌已过期，请重新获取（POST /api/auth/token/）。"))
        return user, token


def token_issue(*, user) -> Token:
    """The user's current API token; an expired one is replaced by a new key."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


def tokens_revoke(*, user) -> int:
    """Delete every API token of the user (on logout)."""
    deleted, _detail = Token.objects.filter(user=user).delete()
    return deleted
