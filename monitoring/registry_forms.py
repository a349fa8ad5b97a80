"""HTML forms of the registry-side AE inputs: input shape only; ``monitoring.services.registry`` decides."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise, Subdistrict
from inspections.services.attachments import MAX_ATTACHMENT_BYTES
from monitoring.choices import DistrictRule
from monitoring.services.registry import MAX_POPULATION, AttendanceInput, PopulationRow
from regsys.forms import ScopedForm
from regsys.validators import MAX_STAFF_COUNT
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = ((True, _("已注册")), (False, _("未注册")))


class RegistrationForm(VersionedFormMixin, ScopedForm):
    registered = forms.TypedChoiceField(label=_("国家不良事件监测系统注册情况"), choices=YES_NO,
                                        coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect)
    registered_on = forms.DateField(label=_("注册日期"), required=False, widget=DATE,
                                    help_text=_("已注册时必填，不能晚于今天"))
    evidence = forms.FileField(
        label=_("佐证材料"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=_("系统注册页面截图或证明的 JPG、PNG 或 PDF，不超过 %(mb)d MB；上传新文件即替换原文件")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )
    clear_evidence = forms.BooleanField(label=_("删除已上传的佐证材料"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class PopulationForm(ScopedForm):
    """One 街道/镇's row of the year's population table."""

    subdistrict = forms.ModelChoiceField(queryset=Subdistrict.objects.all(), widget=forms.HiddenInput)
    population = forms.IntegerField(
        label=_("常住人口"), required=False, min_value=0, max_value=MAX_POPULATION,
        error_messages={"min_value": _("常住人口不能为负数")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    source = forms.CharField(label=_("数据来源"), max_length=200, required=False)
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("population") is not None and not (data.get("source") or "").strip():
            self.add_error("source", _("请填写数据来源"))
        if data.get("population") is None and (data.get("source") or "").strip() and "population" not in self.errors:
            self.add_error("population", _("填写了数据来源，请同时填写常住人口"))
        return data

    def to_row(self) -> PopulationRow:
        data = self.cleaned_data
        return PopulationRow(subdistrict=data["subdistrict"], population=data.get("population"),
                             source=data.get("source") or "", version=data.get("version"))


PopulationFormSet = formset_factory(PopulationForm, extra=0)


class SettingsForm(VersionedFormMixin, ScopedForm):
    district_rule = forms.ChoiceField(label=_("计入本区的报告"), choices=DistrictRule.choices,
                                      widget=forms.RadioSelect)
    per_million_target = forms.DecimalField(label=_("每百万人口报告数目标"), min_value=0, max_value=100000,
                                            max_digits=8, decimal_places=1)
    registration_target = forms.DecimalField(label=_("注册人注册率目标（%）"), min_value=0, max_value=100,
                                             max_digits=5, decimal_places=1)
    coverage_target = forms.DecimalField(label=_("二级以上医疗机构报告覆盖率目标（%）"), min_value=0, max_value=100,
                                         max_digits=5, decimal_places=1)
    death_limit_days = forms.IntegerField(label=_("死亡事件报告时限（日）"), min_value=1, max_value=366)
    serious_limit_days = forms.IntegerField(label=_("严重伤害事件报告时限（日）"), min_value=1, max_value=366)
    evaluation_due_days = forms.IntegerField(label=_("评价期限（日）"), min_value=1, max_value=366,
                                             help_text=_("死亡、严重伤害报告和聚集性信号立项后须完成评价的天数"))
    cluster_min_reports = forms.IntegerField(label=_("聚集性信号：报告数不少于"), min_value=2, max_value=1000,
                                             help_text=_("同一产品同一批号在时间窗内的报告数"))
    cluster_window_days = forms.IntegerField(label=_("聚集性信号：时间窗（日）"), min_value=1, max_value=366)
    late_report_counts_in_grading = forms.BooleanField(
        label=_("超时限报告计入分级/信用"), required=False,
        help_text=_("开启后，报告单位的超时限报告作为分级监管与信用评价的依据"),
    )

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


class TrainingForm(VersionedFormMixin, ScopedForm):
    held_on = forms.DateField(label=_("培训日期"), widget=DATE)
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EnterpriseByCodeField(forms.ModelChoiceField):
    """An enterprise typed or picked by its 统一社会信用代码 (the page offers a list to pick from)."""

    default_error_messages = {"invalid_choice": _("请从列表中选择企业（按名称或统一社会信用代码）")}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().split(" ")[0].upper()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Enterprise):
            return enterprise_option(value)
        return super().prepare_value(value)


def enterprise_option(enterprise: Enterprise) -> str:
    """How an enterprise reads in the chooser: its code first (what the form reads back), then its name."""
    return f"{enterprise.credit_code} {enterprise.name}"


class AttendanceForm(ScopedForm):
    enterprise = EnterpriseByCodeField(
        label=_("参训企业"), queryset=Enterprise.objects.all(), to_field_name="credit_code",
        widget=forms.TextInput(attrs={"list": "enterprise-options", "autocomplete": "off",
                                      "placeholder": _("输入企业名称或信用代码选择")}),
    )
    people = forms.IntegerField(label=_("参训人数"), min_value=1, max_value=MAX_STAFF_COUNT, initial=1)
    names = forms.CharField(label=_("参训人员"), max_length=300, required=False,
                            help_text=_("姓名用顿号分隔"))

    def to_input(self) -> AttendanceInput:
        data = self.cleaned_data
        return AttendanceInput(enterprise=data["enterprise"], people=data["people"], names=data.get("names") or "")


AttendanceFormSet = formset_factory(AttendanceForm, extra=0, can_delete=True)
