"""HTML forms of the UDI rollout: input shape only; ``udi_services`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import UdiBatch, UdiCoding, UdiStatus
from enterprises.duties.udi_services import MAX_EVIDENCE_BYTES, ManufacturerUdiInput
from enterprises.models import Enterprise
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HospitalUdiForm(VersionedFormMixin, ScopedForm):
    status = forms.ChoiceField(label=_("UDI应用状态"), choices=UdiStatus.choices, widget=forms.RadioSelect)
    status_on = forms.DateField(label=_("状态日期"), required=False, widget=DATE,
                                help_text=_("开始部署或实现应用的日期；部署中、已应用时必填"))
    evidence = forms.FileField(
        label=_("佐证材料"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        help_text=_("UDI系统应用截图、验收文件等 PDF、JPG 或 PNG，不超过 %(mb)d MB；已应用时必须有；上传新文件即替换原文件")
        % {"mb": MAX_EVIDENCE_BYTES // (1024 * 1024)},
    )
    clear_evidence = forms.BooleanField(label=_("删除已上传的佐证材料"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ManufacturerUdiForm(VersionedFormMixin, ScopedForm):
    enterprise = forms.ModelChoiceField(label=_("生产企业/注册人"), queryset=Enterprise.objects.none(),
                                        empty_label=_("请选择"))
    batch = forms.ChoiceField(label=_("实施批次"), choices=[("", _("请选择")), *UdiBatch.choices])
    coding = forms.ChoiceField(label=_("赋码情况"), choices=UdiCoding.choices)
    products = forms.CharField(label=_("涉及产品"), max_length=300, required=False)
    checked_on = forms.DateField(label=_("核查日期"), required=False, widget=DATE)
    note = forms.CharField(label=_("说明"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, enterprises=None, fixed_enterprise: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if enterprises is not None:
            self.fields["enterprise"].queryset = enterprises
        if fixed_enterprise:
            del self.fields["enterprise"]

    def to_input(self, enterprise: Enterprise | None = None) -> ManufacturerUdiInput:
        data = self.cleaned_data
        return ManufacturerUdiInput(
            enterprise=enterprise or data["enterprise"], batch=data["batch"], coding=data["coding"],
            products=data.get("products") or "", checked_on=data.get("checked_on"), note=data.get("note") or "")
