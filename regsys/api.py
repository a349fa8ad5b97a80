"""Shared API pieces: the exception handler and the scoped viewset base."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from regsys.scoping import can_edit, scope_for, scoped
from regsys.versioning import EditConflict


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


class ScopedQuerysetMixin:
    """For viewsets: every queryset goes through ``regsys.scoping.scoped``."""

    permission_classes = [ScopedWritePermission]

    def get_queryset(self):
        return scoped(super().get_queryset(), self.request.user)
