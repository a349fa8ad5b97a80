"""HTML forms of the disposal of a failed sample: input shape only (the rules are in monitoring.services.disposal)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from inspections.choices import CaseProcedure, InspectionKind
from inspections.models import Case
from monitoring.choices import ControlMeasure
from monitoring.evaluation_forms import DATE, StyledMixin
from regsys.forms import ScopedForm

FOLLOW_UP_KIND_CHOICES = [
    (InspectionKind.FOR_CAUSE, _("有因检查")),
    (InspectionKind.FULL, _("体系检查（全项目检查）")),
]


class _Form(StyledMixin, ScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ControlForm(_Form):
    """Without a prefix: the enterprise is picked by search (``inspections/_enterprise_picker``'s ids and script)."""

    enterprise = forms.ModelChoiceField(
        label=_("相关单位"), queryset=Enterprise.objects.all(), widget=forms.HiddenInput,
        error_messages={"required": _("请搜索并选择相关单位"),
                        "invalid_choice": _("该单位不存在或不在你的监管范围内")},
    )
    measure = forms.ChoiceField(label=_("控制措施"), choices=[("", "---------"), *ControlMeasure.choices])
    done_on = forms.DateField(label=_("实施日期"), widget=DATE)
    quantity = forms.CharField(label=_("涉及数量"), max_length=60, required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class _ManufacturerForm(_Form):
    enterprise = forms.ModelChoiceField(label=_("本区生产企业/注册人"), queryset=Enterprise.objects.none(),
                                        empty_label=None)

    def __init__(self, *args, manufacturers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.filter(pk__in=[e.pk for e in manufacturers])


class InspectionDraftForm(_ManufacturerForm):
    kind = forms.ChoiceField(label=_("检查类型"), choices=FOLLOW_UP_KIND_CHOICES)
    start_date = forms.DateField(label=_("检查日期"), widget=DATE,
                                 help_text=_("建立的是草稿，由抽样单位和抽样人员在检查记录中补全并完成"))


class SuspensionStartForm(_ManufacturerForm):
    started_on = forms.DateField(label=_("停产日期"), widget=DATE)
    reason = forms.CharField(label=_("停产原因"), max_length=300, required=False,
                             help_text=_("留空则按抽检不合格情况自动填写"))


class CaseLinkForm(_Form):
    case = forms.ModelChoiceField(label=_("已立案件"), queryset=Case.objects.none())

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases


class CaseOpenForm(_ManufacturerForm):
    """立案: the party is the sampled enterprise or the local registrant."""

    filed_on = forms.DateField(label=_("立案日期"), widget=DATE)
    procedure = forms.ChoiceField(label=_("程序"), choices=CaseProcedure.choices, initial=CaseProcedure.ORDINARY)
    violation = forms.CharField(label=_("违法事实"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("留空则按抽检不合格情况自动填写"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].label = _("当事企业")


class DisposalNoteForm(_Form):
    note = forms.CharField(label=_("处置情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
