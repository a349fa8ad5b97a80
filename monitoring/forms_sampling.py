"""HTML forms of the sampling pages: input shape only (the rules are in ``monitoring.services.sampling``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Unit, User
from inspections.forms import BootstrapMixin, UnitGroupedChoices, officer_users
from inspections.services.attachments import MAX_ATTACHMENT_BYTES
from monitoring.choices import RetestStatus, SampleConclusion, SampledLink, SampleStepKind, SamplingLevel
from monitoring.models import SamplingTask
from monitoring.sampling_selectors import task_choices
from regsys.forms import ScopedForm
from regsys.scoping import scope_for, scoped
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SamplingTaskForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    level = forms.ChoiceField(label=_("抽检级别"), choices=SamplingLevel.choices)
    year = forms.IntegerField(label=_("计划年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("任务名称"), max_length=200)
    plan_document = forms.CharField(label=_("计划文件"), max_length=200, required=False,
                                    help_text=_("如《2024年浙江省医疗器械质量监督抽检计划》"))
    quota = forms.IntegerField(label=_("任务批次数"), min_value=0)
    unit = forms.ModelChoiceField(label=_("承担单位"), queryset=Unit.objects.all(), required=False,
                                  empty_label=_("药械科统筹（全区各所均可录入样品）"))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class OfficersField(forms.ModelMultipleChoiceField):
    iterator = UnitGroupedChoices
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.cert_no or _('无证号')}）"


class SampleForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    """A sample: the enterprise comes from the search (hidden id); officers of the sample's unit."""

    task = forms.ModelChoiceField(label=_("抽检任务"), queryset=SamplingTask.objects.none())
    sample_no = forms.CharField(label=_("抽样单号"), max_length=60)
    link = forms.ChoiceField(label=_("抽样环节"), choices=SampledLink.choices)
    unit = forms.ModelChoiceField(label=_("抽样单位"), queryset=Unit.objects.all(), required=False,
                                  empty_label=_("被抽样单位所属监管所"))
    product_name = forms.CharField(label=_("产品名称"), max_length=200)
    registrant_name = forms.CharField(label=_("注册人/备案人"), max_length=200, required=False)
    registration_number = forms.CharField(label=_("注册证编号/备案编号"), max_length=100, required=False)
    model_spec = forms.CharField(label=_("规格型号"), max_length=200, required=False)
    batch = forms.CharField(label=_("批号/编号"), max_length=100)
    quantity = forms.CharField(label=_("抽样数量"), max_length=60, help_text=_("如“200支”“3台”"))
    sampled_on = forms.DateField(label=_("抽样日期"), widget=DATE)
    officers = OfficersField(label=_("抽样人员（不少于两名）"), queryset=User.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"] = forms.ModelChoiceField(
            label=_("被抽样单位"), queryset=scoped(Enterprise.objects.all(), user), widget=forms.HiddenInput,
            error_messages={"required": _("请先搜索并选择被抽样单位"),
                            "invalid_choice": _("该企业不在你的监管范围内")})
        self.fields["task"].queryset = task_choices(user).order_by("-year", "level", "name")
        officers = officer_users(user)
        if not scope_for(user).district_wide:
            officers = officers.filter(unit_id=user.unit_id)
            del self.fields["unit"]
        self.fields["officers"].queryset = officers
        if not self.is_bound:
            self.initial.setdefault("sampled_on", timezone.localdate())
            self.initial.setdefault("officers", [user.pk])
        self._style()


class StepForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    """Record one step: its date and note; 收到检验报告 adds the result, 送达回执上传 the file."""

    step = forms.ChoiceField(label=_("环节"), choices=SampleStepKind.choices, widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("完成日期"), widget=DATE)
    lab = forms.CharField(label=_("检验机构"), max_length=200)
    report_no = forms.CharField(label=_("检验报告编号"), max_length=100)
    conclusion = forms.ChoiceField(label=_("检验结论"), choices=[
        ("", "—"), (SampleConclusion.PASSED, SampleConclusion.PASSED.label),
        (SampleConclusion.FAILED, SampleConclusion.FAILED.label)])
    failed_items = forms.CharField(label=_("不合格项目"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("结论为不合格时必填"))
    file = forms.FileField(label=_("送达回执"), help_text=_("JPG、PNG 照片或 PDF 扫描件，不超过 %(mb)d MB") % {
        "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}, widget=forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,application/pdf"}))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    RESULT_FIELDS = ("lab", "report_no", "conclusion", "failed_items")

    def __init__(self, *args, step: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("step", step)
        self.initial.setdefault("done_on", timezone.localdate())
        if step != SampleStepKind.REPORT_RECEIVED:
            for name in self.RESULT_FIELDS:
                del self.fields[name]
        if step != SampleStepKind.RECEIPT_UPLOADED:
            del self.fields["file"]
        self._style()


class RetestRequestForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    requested_on = forms.DateField(label=_("复检申请日期"), widget=DATE)
    note = forms.CharField(label=_("复检情况"), max_length=300, required=False,
                           help_text=_("如申请人、受理部门、复检机构"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "retest")  # shares the detail page with the step form
        super().__init__(*args, **kwargs)
        self.initial.setdefault("requested_on", timezone.localdate())
        self._style()


class RetestResultForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    result = forms.ChoiceField(label=_("复检结论"), choices=[
        (RetestStatus.UPHELD, RetestStatus.UPHELD.label), (RetestStatus.OVERTURNED, RetestStatus.OVERTURNED.label)])
    note = forms.CharField(label=_("复检情况"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "result")
        super().__init__(*args, **kwargs)
        self._style()


class StepRuleForm(BootstrapMixin, ScopedForm):
    step = forms.ChoiceField(label=_("环节"), choices=SampleStepKind.choices, widget=forms.HiddenInput)
    days = forms.IntegerField(label=_("时限（天）"), min_value=1, max_value=365)
    working_days = forms.BooleanField(label=_("按工作日计算"), required=False)
    basis = forms.CharField(label=_("依据"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


StepRuleFormSet = forms.formset_factory(StepRuleForm, extra=0)
