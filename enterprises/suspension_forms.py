"""HTML forms of production suspensions (停产/复产): input shape only; ``enterprises.suspensions`` holds the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.forms import DATE_INPUT
from enterprises.models import SuspensionKind
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin

RESUME_REPORT_TYPES = (".pdf", ".doc", ".docx", ".jpg", ".jpeg", ".png")
RESUME_REPORT_MAX_BYTES = 20 * 1024 * 1024


def _style(form: forms.Form) -> None:
    if "version" in form.fields:
        form.fields["version"].label = _("版本号")
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
            widget.attrs.setdefault("class", "form-control")
        else:
            widget.attrs.setdefault("class", "form-control")


class SuspensionStartForm(ScopedForm):
    kind = forms.ChoiceField(label=_("停产类型"), choices=SuspensionKind.choices)
    started_on = forms.DateField(label=_("停产日期"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("停产原因"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class RectificationForm(VersionedFormMixin, ScopedForm):
    cause = forms.CharField(label=_("原因分析"), widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("查明的不合格/停产原因"))
    rectification = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 3}))
    recorded_on = forms.DateField(label=_("记录日期"), widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ResumeForm(VersionedFormMixin, ScopedForm):
    resumed_on = forms.DateField(label=_("复产日期"), widget=DATE_INPUT)
    resume_report = forms.FileField(
        label=_("书面复产报告"), required=False,
        help_text=_("连续停产一年以上的必须上传（PDF、Word 或图片，不超过20MB）"),
    )
    note = forms.CharField(label=_("复产说明"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_resume_report(self):
        upload = self.cleaned_data.get("resume_report")
        if not upload:
            return None
        if not upload.name.lower().endswith(RESUME_REPORT_TYPES):
            raise forms.ValidationError(_("复产报告只能是 PDF、Word 或图片文件"))
        if upload.size > RESUME_REPORT_MAX_BYTES:
            raise forms.ValidationError(_("复产报告不能超过20MB"))
        return upload
