"""HTML forms of the consultation pages: input shape only (the rules are in ``monitoring.services.risks``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Unit
from inspections.services.attachments import MAX_ATTACHMENT_BYTES
from monitoring.choices import RiskLevel, RiskSource
from monitoring.evaluation_forms import StyledMixin
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_HELP = _("PDF 扫描件或 JPG、PNG 照片，不超过 %(mb)d MB") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
ACCEPT = {"accept": ".pdf,.jpg,.jpeg,.png"}
QUARTERS = [(q, f"第{q}季度") for q in (1, 2, 3, 4)]


def _units():
    return Unit.objects.order_by("sort_order", "code")


class MeetingForm(StyledMixin, VersionedFormMixin, ScopedForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=QUARTERS, coerce=int)
    held_on = forms.DateField(label=_("会商日期"), widget=DATE)
    chair = forms.CharField(label=_("主持人"), max_length=50)
    units = forms.ModelMultipleChoiceField(label=_("参会单位"), queryset=Unit.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    other_participants = forms.CharField(label=_("其他参会单位/人员"), max_length=300, required=False)
    summary = forms.CharField(label=_("会商情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    next_steps = forms.CharField(label=_("下一步工作"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.FileField(label=_("会议纪要"), required=False, help_text=FILE_HELP,
                              widget=forms.ClearableFileInput(attrs=ACCEPT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()
        self._style()
        self.fields["units"].widget.attrs.pop("class", None)


class RiskForm(StyledMixin, VersionedFormMixin, ScopedForm):
    """纳入风险清单 (prefilled from a candidate), a manual 上级通报 risk, or the 药械科's correction."""

    source_kind = forms.ChoiceField(label=_("风险来源"), choices=[
        (RiskSource.NOTICE, RiskSource.NOTICE.label), (RiskSource.OTHER, RiskSource.OTHER.label)])
    source_label = forms.CharField(label=_("来源摘要"), max_length=300, required=False,
                                   help_text=_("如上级通报的文号和标题"))
    risk_point = forms.CharField(label=_("风险点"), max_length=300)
    level = forms.ChoiceField(label=_("风险等级"), choices=[("", "---------"), *RiskLevel.choices])
    enterprise = forms.ModelChoiceField(label=_("涉及企业"), queryset=Enterprise.objects.all(), required=False,
                                        widget=forms.HiddenInput)
    product = forms.CharField(label=_("涉及产品"), max_length=200, required=False)
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    measures = forms.CharField(label=_("管控措施"), widget=forms.Textarea(attrs={"rows": 4}))
    due_on = forms.DateField(label=_("完成时限"), widget=DATE)
    escalated = forms.BooleanField(label=_("上报一级（报市局）"), required=False)
    key_supervision = forms.BooleanField(
        label=_("列入重点监管"), required=False,
        help_text=_("企业列入重点监管，并自动记入一条“风险会商点名”信用记录（保存后不能撤销）"))

    def __init__(self, *args, manual: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = _units()
        if not manual:
            del self.fields["source_kind"], self.fields["source_label"]
        self._style()


class FollowUpForm(StyledMixin, ScopedForm):
    on = forms.DateField(label=_("日期"), widget=DATE)
    text = forms.CharField(label=_("进展情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("附件"), required=False, help_text=FILE_HELP,
                           widget=forms.ClearableFileInput(attrs=ACCEPT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ClosureRequestForm(StyledMixin, VersionedFormMixin, ScopedForm):
    closure_note = forms.CharField(label=_("销号说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("说明风险如何消除、措施落实情况"))
    closure_evidence = forms.FileField(label=_("销号佐证材料"), help_text=FILE_HELP,
                                       widget=forms.ClearableFileInput(attrs=ACCEPT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ClosureApproveForm(StyledMixin, VersionedFormMixin, ScopedForm):
    closed_on = forms.DateField(label=_("销号日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ClosureReturnForm(StyledMixin, VersionedFormMixin, ScopedForm):
    reason = forms.CharField(label=_("退回理由"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class DismissForm(StyledMixin, ScopedForm):
    identity = forms.CharField(widget=forms.HiddenInput, max_length=200)
    reason = forms.CharField(label=_("不纳入理由"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
