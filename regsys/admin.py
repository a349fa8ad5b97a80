"""Admin pieces shared by the apps: locked records are read-only in the Django admin.

A finalised inspection, a closed case, a filed or approved return … change only through their own
service (the amendment with its reason, 退回 …), never by editing the row in the admin. These mixins
make such a record, its inline rows and its child records read-only (view permission only) and
refuse adding a child row to a locked parent.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LockedRecordAdminMixin:
    """A ModelAdmin whose record, once ``is_locked(obj)``, can be viewed but not changed or deleted.

    ``lock_parent_field``: for a child record (a finding of an inspection …), the field holding the
    parent; the child is locked with its parent and cannot be added to a locked parent.
    """

    lock_parent_field: str = ""
    locked_message: str = ""

    def is_locked(self, obj) -> bool:
        target = getattr(obj, self.lock_parent_field) if self.lock_parent_field else obj
        return target is not None and self.record_locked(target)

    def record_locked(self, record) -> bool:
        return bool(getattr(record, "is_locked", False))

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and self.is_locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self.is_locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not self.lock_parent_field:
            return form
        admin = self

        class ParentNotLockedForm(form):
            def clean(self):
                data = super().clean()
                parent = data.get(admin.lock_parent_field)
                if parent is not None and admin.record_locked(parent):
                    raise ValidationError(admin.locked_message or _("所属记录已锁定，不能在此修改"))
                return data

        return ParentNotLockedForm


class LockedParentInlineMixin:
    """An inline that is read-only while its parent record is locked (``parent_locked``)."""

    def parent_locked(self, parent) -> bool:
        return bool(getattr(parent, "is_locked", False))

    def _parent_locked(self, obj) -> bool:
        return obj is not None and self.parent_locked(obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._parent_locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._parent_locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._parent_locked(obj) and super().has_delete_permission(request, obj)
