"""HTML forms of the registry: input shape only; the services validate and save."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model, model_to_dict
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import EnterpriseStatus
from enterprises.models import Enterprise, Licence, Tag, Unit
from enterprises.services import ENTERPRISE_FIELDS, LICENCE_FIELDS, OWNERSHIP_FIELDS
from enterprises.validators import validate_credit_code
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The groups the enterprise form is laid out in (template iterates over these).
ENTERPRISE_FIELD_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    (_("基本信息"), (
        "name", "credit_code", "legal_representative", "person_in_charge", "quality_manager", "phone",
        "established_on",
    )),
    (_("地址与辖区"), (
        "registered_address", "business_address", "warehouse_address", "subdistrict",
    )),
    (_("生产"), (
        "is_manufacturer", "is_registrant", "entrusts_production", "is_contract_manufacturer",
        "max_device_class",
    )),
    (_("经营"), (
        "is_operator", "operation_mode", "operates_class2", "operates_class3", "provides_logistics",
        "is_vbp_distributor",
    )),
    (_("使用"), ("is_user_unit", "institution_type", "hospital_grade")),
    (_("网络销售与异地设库"), ("is_online_seller", "is_platform", "is_remote_warehouse", "home_licence_info")),
    (_("产品领域"), ("tags",)),
    (_("监管单位"), OWNERSHIP_FIELDS),
]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class _ModelFieldsForm(VersionedFormMixin, ScopedForm):
    """A plain form whose fields are taken from a model (labels, choices, lengths).

    Editing an ``instance`` carries its version (optimistic locking, regsys.versioning).
    """

    model: type = Enterprise
    field_names: tuple[str, ...] = ()
    widgets: dict = {}

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(instance, fields=self.field_names)
        super().__init__(*args, versioned=instance, **kwargs)
        model_fields = fields_for_model(self.model, fields=self.field_names, widgets=self.widgets)
        self.fields.update({name: model_fields[name] for name in self.field_names if name in model_fields})
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class EnterpriseForm(_ModelFieldsForm):
    model = Enterprise
    field_names = ENTERPRISE_FIELDS + ("tags",) + OWNERSHIP_FIELDS
    widgets = {
        "established_on": DATE_INPUT,
        "tags": forms.CheckboxSelectMultiple,
    }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None and not instance.owning_unit_override_reason:
            # Without an override the unit follows the rules; leave the choice empty.
            self.initial["owning_unit"] = None
        self.fields["credit_code"].widget.attrs.update({"maxlength": 18, "autocapitalize": "characters"})
        self.fields["tags"].queryset = Tag.objects.filter(is_active=True).select_related("parent")
        self.fields["tags"].required = False
        self.fields["owning_unit"].required = False
        self.fields["owning_unit"].queryset = Unit.objects.all()
        self.fields["owning_unit"].empty_label = _("按事权划分规则自动确定")
        self.fields["owning_unit"].help_text = _("一般留空；如需调整，选择单位并填写调整理由")

    def clean_credit_code(self) -> str:
        """The credit code is checked on its own (length, characters, GB 32100 check digit, already registered),
        so its error shows together with the other fields' errors, not only once they all pass."""
        code = (self.cleaned_data.get("credit_code") or "").strip().upper()
        validate_credit_code(code)
        taken = Enterprise.objects.filter(credit_code=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("该统一社会信用代码已登记，请勿重复登记"), code="unique")
        return code

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["owning_unit_override_reason"] = data.get("owning_unit_override_reason") or ""
        return data

    def groups(self):
        """(title, [bound fields]) for the template."""
        return [(title, [self[name] for name in names]) for title, names in ENTERPRISE_FIELD_GROUPS]


class LicenceForm(_ModelFieldsForm):
    model = Licence
    field_names = LICENCE_FIELDS
    widgets = {
        "issued_on": DATE_INPUT,
        "expires_on": DATE_INPUT,
        "scope": forms.Textarea(attrs={"rows": 3}),
    }


class StatusChangeForm(ScopedForm):
    to_status = forms.ChoiceField(label=_("新状态"), choices=EnterpriseStatus.choices,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    effective_on = forms.DateField(label=_("生效日期"), initial=timezone.localdate,
                                   widget=forms.DateInput(attrs={"type": "date", "class": "form-control"},
                                                          format="%Y-%m-%d"))
    reason = forms.CharField(label=_("原因"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class ImportForm(ScopedForm):
    file = forms.FileField(
        label=_("Excel文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 .xlsx 格式的Excel文件（可先下载导入模板）"))
        limit = settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(_("文件过大（%(size)s），上传的文件不能超过 %(limit)s，请分批导入") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return upload
