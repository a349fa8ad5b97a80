"""Django admin for the registry: reference data, users, rules; enterprises and licences with history."""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from enterprises.models import (
    CalendarDay,
    CalendarDayKind,
    Enterprise,
    EnterpriseStatusChange,
    Licence,
    LoginLockout,
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


# The apps whose permissions an administrator grants (history tables, sessions and the like are left out).
PERMISSION_APPS = ("enterprises", "campaigns", "inspections", "reporting", "auth")
PERMISSION_ACTIONS = {"add": _("可增加"), "change": _("可修改"), "delete": _("可删除"), "view": _("可查看")}


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """Permissions named in Chinese: Django stores their names in English ("Can add 企业")."""

    def label_from_instance(self, obj: Permission) -> str:
        model = obj.content_type.model_class()
        action = obj.codename.split("_", 1)[0]
        if model is None or action not in PERMISSION_ACTIONS:
            return obj.name
        return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {PERMISSION_ACTIONS[action]}"


def permission_field(db_field, request, **kwargs) -> PermissionChoiceField:
    queryset = Permission.objects.filter(content_type__app_label__in=PERMISSION_APPS).exclude(
        content_type__model__startswith="historical").select_related("content_type")
    return PermissionChoiceField(
        queryset=queryset, required=False, label=db_field.verbose_name, help_text=db_field.help_text,
        widget=admin.widgets.FilteredSelectMultiple(db_field.verbose_name, is_stacked=False),
    )


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            return permission_field(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(LoginLockout)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Wrong-password records; deleting one unlocks that user name from that address at once."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "locked"]
    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    fields = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info", "user_agent"]
    readonly_fields = fields

    @admin.display(description=_("已锁定"), boolean=True)
    def locked(self, obj: LoginLockout) -> bool:
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "user_permissions":
            return permission_field(db_field, request, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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

class CalendarDayAdminForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "source"]

    def clean(self):
        data = super().clean()
        if data.get("kind") == CalendarDayKind.WORKDAY and data.get("date") and data["date"].weekday() < 5:
            self.add_error("kind", _("调休上班日应为周六或周日（周一至周五本来就是工作日）"))
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    """节假日与调休 (the calendar page is the usual place; a change here is the same change)."""

    form = CalendarDayAdminForm
    list_display = ["date", "kind", "name", "is_default", "source", "updated_by", "updated_at"]
    list_filter = ["kind", "is_default"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        obj.is_default = False
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


from enterprises.grading import admin as _grading_admin  # noqa: E402, F401  (grading models' admin)
