"""Shared API pieces: the exception handler, scoped serializers and the scoped viewset base."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, relations, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from regsys.scoping import can_edit, is_administrator, referable, scope_for, scoped
from regsys.versioning import EditConflict

OTHER_UNIT_ID = _("对象 {pk_value} 不存在或不在你的权限范围内")


def _request_user(context: dict):
    request = context.get("request")
    return getattr(request, "user", None) if request is not None else context.get("user")


class ScopedRelationsMixin:
    """Every writable related id of the serializer is limited to ``regsys.scoping.referable``.

    The user comes from ``context["request"]`` (or ``context["user"]``); without one no id is
    accepted at all. Nested serializers with this mixin read the root's context, so officer rows
    inside an inspection payload are scoped too.
    """

    def get_fields(self):
        fields = super().get_fields()
        user = _request_user(self.context)
        for field in fields.values():
            related = field.child_relation if isinstance(field, relations.ManyRelatedField) else field
            if isinstance(related, relations.RelatedField) and related.queryset is not None:
                related.queryset = referable(related.queryset, user)
                related.error_messages["does_not_exist"] = OTHER_UNIT_ID
        return fields


class ScopedSerializer(ScopedRelationsMixin, serializers.Serializer):
    """Base of every input serializer of the project."""


class ScopedModelSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """Base of every model serializer of the project."""


class ChoiceLabelField(serializers.CharField):
    """A choice's label, read-only: ``ChoiceLabelField(source="get_kind_display")``.

    Calls the model's ``get_FOO_display`` directly: DRF's generic lookup inspects the signature of every
    callable it meets, on every row.
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.source)()


def exception_handler(exc, context):
    """Turn Django's ValidationError into a 400 with its messages (and PermissionDenied into 403).

    A stale edit (``EditConflict``) is a 409 with the current version and the other person's changes.
    """
    if isinstance(exc, EditConflict):
        return Response(exc.as_data(), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class ScopedWritePermission(permissions.BasePermission):
    """Reads for any signed-in user (already scoped); writes only within the user's unit."""

    message = "无权修改其他单位的记录"

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return scope_for(request.user).can_write

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit(request.user, obj)


class AdministratorWritePermission(permissions.BasePermission):
    """Reads for any signed-in user (the viewset scopes them); writes only for a system administrator.

    For what sets up the district: campaigns, units, 街道/镇, 事权划分 rules and user accounts.
    """

    message = "只有系统管理员可以修改此项设置"

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return request.method in permissions.SAFE_METHODS or is_administrator(request.user)


class ScopedQuerysetMixin:
    """For viewsets: every queryset goes through ``regsys.scoping.scoped``."""

    permission_classes = [ScopedWritePermission]

    def get_queryset(self):
        return scoped(super().get_queryset(), self.request.user)


def read_only_choice(choices, *, label: str, blank_label: str = "未填") -> serializers.ChoiceField:
    """A read-only choice field whose model field may be blank: the schema lists "" among its values.

    (A model field's choices leave "" out, so a blank value would contradict the documented enum.)
    """
    return serializers.ChoiceField(choices=[("", blank_label), *choices], read_only=True, label=label)
