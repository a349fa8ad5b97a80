"""Django admin for the registry: reference data, users, rules; enterprises and licences with history."""

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from enterprises.models import (
    Enterprise,
    EnterpriseStatusChange,
    Licence,
    OwnershipRule,
    Subdistrict,
    Tag,
    Unit,
    User,
)
from enterprises.organisation import ownership_rule_check, subdistrict_check, unit_check, user_check
from regsys.scoping import is_administrator


def checked_form(base: type[forms.ModelForm], check: Callable) -> type[forms.ModelForm]:
    """``base`` whose record, once the form's own checks pass, goes through ``check`` too: the admin
    and the API (``enterprises.organisation``) apply the same rules."""

    class CheckedForm(base):
        def _post_clean(self):
            super()._post_clean()
            if self._errors:
                return
            try:
                check(self.instance)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(field if field in self.fields else None, message)

    CheckedForm.__name__ = base.__name__
    return CheckedForm


class CheckedChangelistMixin:
    """The changelist's inline edits (``list_editable``) go through the same checked form."""

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", self.form)
        return super().get_changelist_form(request, **kwargs)


@admin.register(Unit)
class UnitAdmin(CheckedChangelistMixin, admin.ModelAdmin):
    form = checked_form(forms.ModelForm, unit_check)
    list_display = ["name", "short_name", "kind", "parent", "code", "phone", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    list_editable = ["sort_order"]


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    form = checked_form(forms.ModelForm, subdistrict_check)
    list_display = ["name", "kind", "code", "unit", "population"]
    list_filter = ["kind", "unit"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = checked_form(BaseUserAdmin.form, user_check)
    add_form = checked_form(BaseUserAdmin.add_form, user_check)
    list_display = ["username", "full_name", "unit", "role", "is_active", "is_staff"]
    list_filter = ["role", "unit", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "enforcement_cert_no", "inspector_cert_no"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("监管岗位"), {"fields": ("full_name", "unit", "role", "phone", "enforcement_cert_no",
                                    "inspector_cert_no")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("监管岗位"), {"fields": ("full_name", "unit", "role")}),
    )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "sort_order", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "code"]
    list_editable = ["sort_order", "is_active"]


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0
    fields = ["kind", "number", "issuer", "issued_on", "expires_on", "status"]


class StatusChangeInline(admin.TabularInline):
    model = EnterpriseStatusChange
    extra = 0
    fields = ["effective_on", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = ["changed_by"]


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "subdistrict", "owning_unit", "status", "updated_at"]
    list_filter = ["status", "owning_unit", "subdistrict", "is_manufacturer", "is_operator", "is_user_unit",
                   "is_online_seller", "tags"]
    search_fields = ["name", "credit_code"]
    list_select_related = ["subdistrict", "owning_unit"]
    filter_horizontal = ["tags"]
    inlines = [LicenceInline, StatusChangeInline]
    readonly_fields = ["created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """Only administrators delete enterprises (and never one with protected records: PROTECT)."""
        return is_administrator(request.user) and super().has_delete_permission(request, obj)


@admin.register(EnterpriseStatusChange)
class EnterpriseStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "from_status", "to_status", "effective_on", "changed_by", "created_at"]
    list_filter = ["to_status"]
    search_fields = ["enterprise__name", "reason"]
    list_select_related = ["enterprise", "changed_by"]
    raw_id_fields = ["enterprise"]


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "enterprise", "issued_on", "expires_on", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["number", "enterprise__name", "enterprise__credit_code"]
    list_select_related = ["enterprise"]
    raw_id_fields = ["enterprise"]
    date_hierarchy = "expires_on"


@admin.register(OwnershipRule)
class OwnershipRuleAdmin(CheckedChangelistMixin, admin.ModelAdmin):
    form = checked_form(forms.ModelForm, ownership_rule_check)
    list_display = ["priority", "role", "target", "unit", "note"]
    list_editable = ["role", "target", "unit", "note"]
    list_display_links = ["priority"]
    ordering = ["priority"]

from enterprises.grading import admin as _grading_admin  # noqa: E402, F401  (grading models' admin)
