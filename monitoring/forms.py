"""HTML forms of the monitoring app: input shape only; the services validate and save."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from enterprises.forms import DATE_INPUT, _ModelFieldsForm
from enterprises.models import Enterprise, Subdistrict
from monitoring.models import AdverseEventReport
from monitoring.services.reports import REPORT_FIELDS
from regsys.forms import ScopedForm

# --- AE reports (aeimport) ---
REPORT_FIELD_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    (_("报告"), ("code", "reported_on", "outcome", "occurred_on", "learned_on")),
    (_("报告单位"), ("reporter_kind", "reporter_name", "reporter_credit_code", "subdistrict")),
    (_("产品"), ("product_name", "registration_number", "registrant_name", "model_spec", "batch")),
    (_("事件陈述"), ("description",)),
]


class ReportForm(_ModelFieldsForm):
    """Enter or edit an AE report by hand (phone-friendly: one column on a phone, dates as date pickers)."""

    model = AdverseEventReport
    field_names = REPORT_FIELDS
    widgets = {"reported_on": DATE_INPUT, "occurred_on": DATE_INPUT, "learned_on": DATE_INPUT,
               "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].queryset = Subdistrict.objects.select_related("unit").order_by("code")
        self.fields["subdistrict"].required = False
        self.fields["subdistrict"].empty_label = _("不填（按报告单位确定所属监管所）")
        self.fields["reporter_credit_code"].widget.attrs.update({"autocapitalize": "characters"})
        self.fields["reporter_name"].help_text = _("与企业名录中的名称或信用代码一致时自动关联企业")

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in REPORT_FIELD_GROUPS]


class ReportImportForm(ScopedForm):
    file = forms.FileField(
        label=_("国家监测系统导出的 Excel 文件（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的 Excel 文件"))
        if upload.size > settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件不能超过 %(size)s") % {
                "size": filesizeformat(settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES)})
        return upload


class ReporterResolveForm(ScopedForm):
    """The 药械科 picks the registry enterprise of an unmatched reporting unit (search box on the page)."""

    enterprise = forms.ModelChoiceField(label=_("对应企业"), queryset=Enterprise.objects.all(),
                                        widget=forms.HiddenInput,
                                        error_messages={"required": _("请搜索并选择对应的企业")})
# --- end AE reports ---
