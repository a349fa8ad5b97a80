"""API of the notification centre: the caller's own notifications only (another user's id is a 404)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from regsys.api import ChoiceLabelField, ScopedModelSerializer, ScopedSerializer
from regsys.choices import NotificationKind
from regsys.models import Notification
from regsys.notifications import notification_mark_read, notifications_mark_all_read, notifications_of
from regsys.scoping import scope_for


class OwnInboxPermission(permissions.BasePermission):
    """Reads for any signed-in user; marking read for users who may write (the auditor only reads)."""

    message = _("只读账号不能修改通知状态")

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or scope_for(request.user).can_write


class NotificationSerializer(ScopedModelSerializer):
    kind_display = ChoiceLabelField(source="get_kind_display", label=_("类别名称"))
    is_read = serializers.BooleanField(read_only=True, label=_("已读"))
    read_at = serializers.DateTimeField(read_only=True, allow_null=True, label=_("阅读时间"))

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_display", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class MarkAllReadSerializer(ScopedSerializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices, required=False, label=_("只标记此类别"))


class MarkedSerializer(ScopedSerializer):
    marked = serializers.IntegerField(label=_("标为已读的条数"))


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """我的通知：未读在前；可按类别（kind）与是否已读（unread=1）筛选。"""

    serializer_class = NotificationSerializer
    permission_classes = [OwnInboxPermission]
    queryset = Notification.objects.none()  # for the schema; the real queryset is the caller's own
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        rows = notifications_of(self.request.user)
        if self.action == "list":
            kind = self.request.query_params.get("kind", "")
            if kind in NotificationKind.values:
                rows = rows.filter(kind=kind)
            if self.request.query_params.get("unread") == "1":
                rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(parameters=[
        OpenApiParameter("kind", str, enum=NotificationKind.values, description="类别"),
        OpenApiParameter("unread", str, enum=["1"], description="只看未读"),
    ])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"], url_path="mark-read")
    def mark_read(self, request, pk=None):
        """标为已读。"""
        notification = notification_mark_read(notification=self.get_object(), by=request.user)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=MarkAllReadSerializer, responses={200: MarkedSerializer})
    @action(detail=False, methods=["post"], url_path="mark-all-read", pagination_class=None, filter_backends=[])
    def mark_all_read(self, request):
        """全部标为已读（可只标记一个类别）。"""
        data = MarkAllReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        count = notifications_mark_all_read(user=request.user, kind=data.validated_data.get("kind", ""))
        return Response({"marked": count})


router = DefaultRouter(trailing_slash=True)
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
