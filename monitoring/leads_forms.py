"""HTML forms of online-sales leads: input shape only; ``monitoring.services.leads`` validates and saves."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from enterprises.forms import DATE_INPUT
from enterprises.models import Enterprise, Unit
from inspections.models import Case
from monitoring.leads_choices import LeadResult
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin


class LeadImportForm(ScopedForm):
    file = forms.FileField(
        label=_("网络销售监测平台导出的线索清单（.xlsx）"),
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


class LeadDisposeForm(VersionedFormMixin, ScopedForm):
    """核查结果、措施、反馈 of one lead (one column on a phone)."""

    result = forms.ChoiceField(label=_("核查结果"), required=False,
                               choices=[("", _("尚未核查")), *LeadResult.choices])
    checked_on = forms.DateField(label=_("核查日期"), required=False, widget=DATE_INPUT)
    check_note = forms.CharField(label=_("核查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    correction_ordered_on = forms.DateField(label=_("责令改正日期"), required=False, widget=DATE_INPUT)
    correction_note = forms.CharField(label=_("责令改正内容"), required=False, max_length=300)
    case = forms.ModelChoiceField(label=_("立案（关联案件）"), required=False, queryset=Case.objects.none(),
                                  empty_label=_("不关联"))
    refer_telecom = forms.BooleanField(label=_("移交通信管理部门"), required=False,
                                       widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                                       help_text=_("保存时生成一条移交通信管理部门的移送记录"))
    feedback_on = forms.DateField(label=_("反馈日期"), required=False, widget=DATE_INPUT,
                                  help_text=_("填写后线索办结"))

    def __init__(self, *args, cases=None, referred: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if cases is not None:
            self.fields["case"].queryset = cases
        if referred:  # the referral exists (it is a record of its own): shown, not asked again
            field = self.fields["refer_telecom"]
            field.initial, field.disabled = True, True
            field.label = _("已移交通信管理部门")
            field.help_text = _("移送记录已生成，可在“移送/移交”中查看")
        for name, field in self.fields.items():
            if name != "refer_telecom" and not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ChoiceField)
                                              else "form-control")


class LeadAssignForm(VersionedFormMixin, ScopedForm):
    """The 药械科 routes an unmatched lead: to a registry enterprise (its 所), or to a unit."""

    enterprise = forms.ModelChoiceField(label=_("对应企业"), queryset=Enterprise.objects.all(), required=False,
                                        widget=forms.HiddenInput)
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.order_by("name"), required=False,
                                  empty_label=_("按对应企业的所属监管所"),
                                  widget=forms.Select(attrs={"class": "form-select"}))
