"""HTML forms of the 委托生产 pairs and the 异地设库 warehouses: input shape only (the services decide)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import ExchangeKind
from enterprises.duties.warehouses_services import MAX_FILE_BYTES, PairInput, WarehouseInput
from enterprises.models import Enterprise, Subdistrict
from regsys.forms import ScopedForm
from regsys.scoping import scope_for
from regsys.uploads import OFFICE_FILES
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def enterprise_option(enterprise: Enterprise) -> str:
    """How an enterprise reads in the chooser: its code first (what the form reads back), then its name."""
    return f"{enterprise.credit_code} {enterprise.name}"


class EnterpriseByCodeField(forms.ModelChoiceField):
    """A registry entry typed or picked (from a datalist) by its 统一社会信用代码 and name."""

    default_error_messages = {"invalid_choice": _("请从列表中选择本区企业（按名称或统一社会信用代码），区外企业请填写名称")}

    def __init__(self, *, datalist: str, **kwargs):
        kwargs.setdefault("queryset", Enterprise.objects.all())
        kwargs.setdefault("to_field_name", "credit_code")
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "list": datalist, "autocomplete": "off", "placeholder": _("输入名称或信用代码后从列表选择")}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().split(" ")[0].upper()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Enterprise):
            return enterprise_option(value)
        if isinstance(value, int):
            found = Enterprise.objects.filter(pk=value).first()
            return enterprise_option(found) if found else value
        return super().prepare_value(value)


class PairForm(VersionedFormMixin, ScopedForm):
    registrant = EnterpriseByCodeField(label=_("本区注册人/备案人"), required=False, datalist="registrant-options",
                                       help_text=_("在本区登记的，从列表选择"))
    registrant_name = forms.CharField(label=_("区外注册人/备案人名称"), max_length=200, required=False,
                                      help_text=_("注册人/备案人不在本区时填写"))
    manufacturer = EnterpriseByCodeField(label=_("本区受托生产企业"), required=False, datalist="manufacturer-options",
                                         help_text=_("在本区登记的，从列表选择"))
    manufacturer_name = forms.CharField(label=_("区外受托生产企业名称"), max_length=200, required=False,
                                        help_text=_("受托生产企业不在本区时填写"))
    product = forms.CharField(label=_("产品名称"), max_length=200)
    registration_number = forms.CharField(label=_("注册证编号/备案编号"), max_length=100, required=False)
    agreement_signed_on = forms.DateField(label=_("委托协议签订日期"), required=False, widget=DATE)
    agreement_expires_on = forms.DateField(label=_("委托协议到期日期"), required=False, widget=DATE)
    cross_region = forms.BooleanField(label=_("跨区域委托"), required=False)
    other_region = forms.CharField(label=_("对方所在地"), max_length=100, required=False,
                                   help_text=_("如：浙江省杭州市、江苏省苏州市"))
    is_active = forms.BooleanField(label=_("委托关系有效"), required=False, initial=True)
    ended_on = forms.DateField(label=_("终止日期"), required=False, widget=DATE, help_text=_("委托关系终止时填写"))
    note = forms.CharField(label=_("备注"), max_length=300, required=False)

    def to_input(self) -> PairInput:
        d = self.cleaned_data
        return PairInput(
            registrant=d.get("registrant"), registrant_name="" if d.get("registrant") else d.get("registrant_name", ""),
            manufacturer=d.get("manufacturer"),
            manufacturer_name="" if d.get("manufacturer") else d.get("manufacturer_name", ""),
            product=d["product"], registration_number=d.get("registration_number", ""),
            agreement_signed_on=d.get("agreement_signed_on"), agreement_expires_on=d.get("agreement_expires_on"),
            cross_region=d.get("cross_region", False), other_region=d.get("other_region", ""),
            is_active=d.get("is_active", False), ended_on=d.get("ended_on"), note=d.get("note", ""))


class WarehouseForm(VersionedFormMixin, ScopedForm):
    enterprise = EnterpriseByCodeField(
        label=_("库房登记企业"), datalist="warehouse-options",
        queryset=Enterprise.objects.filter(is_remote_warehouse=True),
        help_text=_("企业名录中标注为“异地设库”的库房登记记录"))
    home_enterprise = EnterpriseByCodeField(label=_("本区的设库企业"), required=False, datalist="home-options",
                                            help_text=_("设库企业在本区登记的，从列表选择"))
    home_name = forms.CharField(label=_("设库企业名称"), max_length=200, required=False,
                                help_text=_("设库企业不在本区时填写"))
    home_licence_no = forms.CharField(label=_("设库企业许可/备案编号"), max_length=100, required=False)
    home_bureau = forms.CharField(label=_("许可/备案部门"), max_length=100,
                                  help_text=_("设库企业许可所在地监管部门，如：杭州市市场监督管理局"))
    address = forms.CharField(label=_("库房地址"), max_length=200)
    subdistrict = forms.ModelChoiceField(label=_("库房所在街道/镇"), queryset=Subdistrict.objects.all(),
                                         help_text=_("日常监管单位为该街道/镇所属的监管所"))
    area_sqm = forms.IntegerField(label=_("库房面积（平方米）"), required=False, min_value=1, max_value=1000000)
    remote_monitoring = forms.BooleanField(label=_("已建立计算机远程监控体系"), required=False)
    is_active = forms.BooleanField(label=_("在用"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subdistrict"].widget.attrs["class"] = "form-select"
        scope = scope_for(self.scoped_user)
        if not scope.district_wide:  # a 所 registers warehouses in its own 街道/镇 only
            self.fields["subdistrict"].queryset = Subdistrict.objects.filter(unit_id=scope.unit_id)
            self.fields["subdistrict"].error_messages["invalid_choice"] = _(
                "只能选择本所辖区的街道/镇；其他辖区的库房请由该所或药械科登记")

    def to_input(self) -> WarehouseInput:
        d = self.cleaned_data
        return WarehouseInput(
            enterprise=d["enterprise"], home_enterprise=d.get("home_enterprise"),
            home_name="" if d.get("home_enterprise") else d.get("home_name", ""),
            home_licence_no=d.get("home_licence_no", ""), home_bureau=d["home_bureau"], address=d["address"],
            subdistrict=d["subdistrict"], area_sqm=d.get("area_sqm"), remote_monitoring=d.get("remote_monitoring", False),
            is_active=d.get("is_active", False))


class AcceptanceForm(VersionedFormMixin, ScopedForm):
    accepted_on = forms.DateField(label=_("验收检查日期"), required=False, widget=DATE,
                                  help_text=_("药械科验收检查的日期；清空即撤销"))


class ExchangeForm(ScopedForm):
    kind = forms.ChoiceField(label=_("类型"), choices=ExchangeKind.choices)
    on = forms.DateField(label=_("日期"), widget=DATE)
    counterpart = forms.CharField(label=_("对方单位"), max_length=100,
                                  help_text=_("如：杭州市市场监督管理局"))
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(
        label=_("附件"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(OFFICE_FILES)}),
        help_text=_("PDF、图片、Word 或 Excel，不超过 %(mb)d MB") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(v, label) for v, label in ExchangeKind.choices if v in kinds]
        self.fields["kind"].widget.attrs["class"] = "form-select"
        self.initial.setdefault("on", timezone.localdate())
