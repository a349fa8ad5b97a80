"""HTML forms of the yearly filings: input shape only (rules in filing_services)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import FilingKind, Sector
from enterprises.duties.settings import SETTINGS_FIELDS
from regsys.forms import ScopedForm
from regsys.validators import MAX_YEAR, MIN_YEAR
from regsys.versioning import VersionedFormMixin

DATE_WIDGET = {"type": "date", "class": "form-control"}


class FilingForm(VersionedFormMixin, ScopedForm):
    sector = forms.ChoiceField(label=_("环节"), choices=Sector.choices, widget=forms.Select(attrs={"class": "form-select"}))
    submitted_on = forms.DateField(label=_("提交/签订日期"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    file = forms.FileField(label=_("报告/责任书文件"), required=False,
                           help_text=_("PDF、Word 文档或 JPG、PNG 扫描件，不超过 20 MB"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control",
                                                                  "accept": ".pdf,.doc,.docx,.jpg,.jpeg,.png"}))
    note = forms.CharField(label=_("备注"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, sectors: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [(s, Sector(s).label) for s in sectors]


class FilingImportForm(ScopedForm):
    year = forms.IntegerField(label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(label=_("类别"), choices=FilingKind.choices, widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(label=_("提交名单（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("请上传 .xlsx 格式的Excel文件（可先下载导入模板）"))
        limit = settings.REGSYS_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(_("文件过大（%(size)s），上传的文件不能超过 %(limit)s，请分批导入") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return upload


class DutyYearForm(ScopedForm):
    self_report_due = forms.DateField(label=_("年度自查报告截止日期"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    responsibility_due = forms.DateField(label=_("质量安全责任书签订截止日期"),
                                         widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    long_suspension_days = forms.IntegerField(label=_("停业/停产视为长期的天数"), min_value=1, max_value=3650,
                                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    renewal_window_start = forms.IntegerField(label=_("续证提醒起（到期前工作日）"), min_value=1, max_value=500,
                                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    renewal_window_end = forms.IntegerField(label=_("续证提醒止（到期前工作日）"), min_value=0, max_value=500,
                                            widget=forms.NumberInput(attrs={"class": "form-control"}))
    udi_target_on = forms.DateField(label=_("三甲医院UDI全覆盖目标日期"), required=False,
                                    widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def changes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in (*SETTINGS_FIELDS, "notes")}

