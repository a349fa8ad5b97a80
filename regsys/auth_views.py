"""Sign-in and sign-out for pages and the API: lockout-aware token endpoint, logout that revokes tokens."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from regsys.security import lockout_message, token_issue, tokens_revoke


class LogoutView(auth_views.LogoutView):
    """Sign out of the pages and revoke the user's API tokens."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)


class TokenObtainView(ObtainAuthToken):
    """POST user name and password, get an API token (valid for API_TOKEN_TTL seconds).

    Wrong passwords count toward the login lockout (django-axes); a locked-out user gets 429.
    """

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                    "password": serializers.CharField()}),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="用户名或密码不正确"),
            429: OpenApiResponse(description="登录失败次数过多，已暂时锁定"),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        if getattr(request, "axes_locked_out", False):
            return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        if not valid:
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        token = token_issue(user=serializer.validated_data["user"])
        return Response({"token": token.key})
