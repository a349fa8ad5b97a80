"""HTML forms of the inspections app: input shape only; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.db.models import Case, Q, Value, When
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from enterprises.choices import Role
from enterprises.models import Enterprise, Licence, User
from inspections.choices import (
    CaseProcedure,
    CaseStatus,
    CertKind,
    Conclusion,
    InspectionKind,
    ReferralTarget,
    Severity,
)
from inspections.models import Attachment, ChecklistItem, ChecklistTemplate
from inspections.reference import default_template_code
from inspections.services import (
    AMENDABLE_FIELDS,
    BY_RULE,
    MAX_ATTACHMENT_BYTES,
    OfficerInput,
    PenalisedPersonInput,
    checklist_item_severity,
    validate_upload,
)
from regsys.forms import ScopedForm
from regsys.scoping import referable, scoped
from regsys.validators import MAX_AMOUNT, MAX_STAFF_COUNT
from regsys.versioning import VersionedFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once (the service checks each)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def officer_users(user: User):
    """Users that may be chosen as officers: certificate holders, the user's own unit first.

    Read-only auditors and accounts without an 执法证/检查员证 cannot be officers on site; a 监管所
    names its own staff and those of the district units that join it (``regsys.scoping.referable``).
    """
    own_unit_first = Case(When(unit_id=user.unit_id, then=Value(0)), default=Value(1))
    users = (
        User.objects.filter(is_active=True).exclude(role=Role.AUDITOR)
        .exclude(enforcement_cert_no="", inspector_cert_no="")
        .select_related("unit").order_by(own_unit_first, "unit__sort_order", "full_name")
    )
    return referable(users, user)


class UnitGroupedChoices(forms.models.ModelChoiceIterator):
    """Officers grouped by unit, in the queryset's order (``officer_users``: the user's own unit first)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            unit = obj.unit.display_name if obj.unit_id else str(_("未分配单位"))
            groups.setdefault(unit, []).append(self.choice(obj))
        yield from groups.items()


class OfficerChoiceField(forms.ModelChoiceField):
    """An officer picked within the group of their unit, so colleagues of other units (联合检查) are told apart."""

    iterator = UnitGroupedChoices

    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}（{obj.cert_no or _('无证号')}）"


class BootstrapMixin:
    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class EnterpriseChoiceMixin:
    """The enterprise field limited to what the user may see (looked up by id from the search)."""

    def _enterprise_field(self, user: User, required: bool = True) -> forms.ModelChoiceField:
        return forms.ModelChoiceField(
            label=_("被检查企业"), queryset=scoped(Enterprise.objects.all(), user), required=required,
            widget=forms.HiddenInput, error_messages={"required": _("请先搜索并选择企业"),
                                                      "invalid_choice": _("该企业不在你的监管范围内")},
        )


def _ids(text: str) -> set[int]:
    return {int(part) for part in (text or "").split(",") if part.strip().isdigit()}


class CampaignChoiceMixin:
    """所属专项整治, pre-selected with the campaigns the record falls in (``services.campaigns_default``).

    The hidden ``campaigns_default`` carries the ids pre-selected when the field was drawn. A submitted
    choice equal to it means the user left the field alone: ``cleaned_data["campaigns_by_rule"]`` is
    then True and the view lets the service link the default for the submitted enterprise and date
    (so the default applies even when the page could not redraw the field after a change).
    """

    def _add_campaign_fields(self, user: User, linked=()) -> None:
        linked_ids = [c.pk for c in linked]
        campaigns = Campaign.objects.filter(Q(is_active=True) | Q(pk__in=linked_ids)).order_by("-start_date", "pk")
        self.fields["campaigns"] = forms.ModelMultipleChoiceField(
            label=_("所属专项整治"), queryset=referable(campaigns, user), required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_("按企业和日期自动勾选进行中的专项整治，记录才会计入其报表；不属于该专项的请取消勾选"),
        )
        self.fields["campaigns_default"] = forms.CharField(required=False, widget=forms.HiddenInput)

    def preselect_campaigns(self, campaigns) -> None:
        """Show ``campaigns`` ticked, as the default the user may change."""
        ids = [c.pk for c in campaigns]
        self.initial["campaigns"] = ids
        self.initial["campaigns_default"] = ",".join(map(str, ids))

    def campaigns_touched(self, chosen_ids, shown: str) -> bool:
        return set(chosen_ids) != _ids(shown)

    def campaigns_arg(self):
        """What the service is given: BY_RULE when the user left the field alone, else the ticked campaigns."""
        data = self.cleaned_data
        return BY_RULE if data.get("campaigns_by_rule") else list(data.get("campaigns") or [])

    def _clean_campaigns(self, data: dict) -> None:
        chosen = [c.pk for c in data.get("campaigns") or []]
        data["campaigns_by_rule"] = not self.campaigns_touched(chosen, data.get("campaigns_default") or "")


class CampaignChoiceForm(BootstrapMixin, CampaignChoiceMixin, ScopedForm):
    """The 所属专项整治 field alone, redrawn (htmx) when a page's enterprise or date changes."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._add_campaign_fields(user)
        self._style()


class CampaignLinkForm(BootstrapMixin, CampaignChoiceMixin, VersionedFormMixin, ScopedForm):
    """所属专项整治 of a saved record alone (a locked inspection, a 约谈, a 移送): ``services.campaigns_relink``."""

    def __init__(self, *args, user: User, record, **kwargs):
        super().__init__(*args, user=user, versioned=record if hasattr(record, "version") else None, **kwargs)
        linked = list(record.campaigns.all())
        self._add_campaign_fields(user, linked)
        del self.fields["campaigns_default"]  # nothing to follow: the user sets the links here
        self.fields["campaigns"].help_text = _("勾选的专项整治才会计入其报表；记录日期须在专项整治起止日期内")
        self.initial["campaigns"] = [c.pk for c in linked]
        self._style()


class QuickInspectionForm(BootstrapMixin, EnterpriseChoiceMixin, CampaignChoiceMixin, ScopedForm):
    """The common case on a phone: enterprise, kind, date, officers, the checklist with photos, conclusion,
    责令改正 yes/no. Colleagues of other units and staff without an account come through ``OfficerFormSet``."""

    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices, initial=InspectionKind.ROUTINE)
    start_date = forms.DateField(label=_("检查日期"), widget=DATE)
    officers = forms.ModelMultipleChoiceField(
        label=_("本单位检查人员"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    checklist = forms.ModelChoiceField(
        label=_("检查表"), queryset=ChecklistTemplate.objects.filter(is_active=True), required=False,
    )
    photos = MultipleFileField(
        label=_("现场照片"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment", "multiple": True}),
        help_text=_("用手机相机直接拍摄，可多张；JPG 或 PNG，单张不超过 %(mb)d MB")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )
    conclusion = forms.ChoiceField(label=_("检查结论"), choices=[("", "—")] + Conclusion.choices, required=False)
    summary = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    finding_severity = forms.ChoiceField(
        label=_("检查表以外的缺陷"), choices=[("", _("无"))] + Severity.choices, required=False
    )
    finding_text = forms.CharField(label=_("缺陷内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    order_rectification = forms.BooleanField(label=_("责令改正"), required=False)
    rectification_deadline = forms.DateField(label=_("整改期限"), required=False, widget=DATE)
    rectification_requirements = forms.CharField(
        label=_("整改内容"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    finalise = forms.BooleanField(label=_("完成并锁定"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"] = self._enterprise_field(user)
        unit_users = officer_users(user).filter(unit=user.unit) if user.unit_id else officer_users(user)
        self.fields["officers"].queryset = unit_users
        self.fields["officers"].label_from_instance = lambda u: f"{u.display_name}（{u.cert_no or '无证号'}）"
        self._add_campaign_fields(user)
        if not self.is_bound:
            self.initial.setdefault("start_date", timezone.localdate())
            self.initial.setdefault("officers", [user.pk])
        self._style()
        self.fields["photos"].widget.attrs["class"] = "visually-hidden"  # inside a 拍照 button

    def clean_photos(self):
        photos = self.cleaned_data.get("photos") or []
        for photo in photos:
            validate_upload(photo)
        return photos

    def clean(self):
        data = super().clean()
        self._clean_campaigns(data)
        if data.get("finding_severity") and not (data.get("finding_text") or "").strip():
            self.add_error("finding_text", _("请填写缺陷内容"))
        if data.get("order_rectification"):
            if not data.get("rectification_deadline"):
                self.add_error("rectification_deadline", _("责令改正须填写整改期限"))
            if not (data.get("rectification_requirements") or "").strip():
                self.add_error("rectification_requirements", _("责令改正须填写整改内容"))
        data["officer_inputs"] = [OfficerInput(user=u) for u in data.get("officers") or []]
        if not data.get("checklist") and data.get("enterprise"):
            data["checklist"] = ChecklistTemplate.objects.filter(
                code=default_template_code(data["enterprise"]), is_active=True).first()
        data["answers"], data["item_photos"] = self._checklist_answers(data.get("checklist"))
        return data

    def _checklist_answers(self, template: ChecklistTemplate | None) -> tuple[dict, dict]:
        """The answered items {item_id: (result, note)} and their photos {item_id: [files]}."""
        answers, photos = {}, {}
        if template is None:
            return answers, photos
        for item in template.items.all():
            result = self.data.get(f"result_{item.pk}", "")
            note = self.data.get(f"note_{item.pk}", "")
            files = self.files.getlist(f"photos_{item.pk}") if self.files else []
            if result:
                answers[item.pk] = (result, note)
            if files:
                if not result:
                    self.add_error(None, _("%(code)s 有照片，请先选择检查结果") % {"code": item.code})
                try:
                    for upload in files:
                        validate_upload(upload)
                except forms.ValidationError as exc:
                    self.add_error(None, exc)
                photos[item.pk] = files
        return answers, photos

    def checklist_rows(self) -> list[dict]:
        """The chosen checklist with what was entered (to show the form again after an error)."""
        if not self.is_bound:
            return []
        template = self.cleaned_data.get("checklist") if hasattr(self, "cleaned_data") else None
        return checklist_rows(template, self.data) if template else []


def checklist_rows(template: ChecklistTemplate, data=None) -> list[dict]:
    """Rows of the quick-entry checklist: the item, what a 不符合 becomes, and any entered result/note."""
    data = data or {}
    return [
        {"item": item, "result": data.get(f"result_{item.pk}", ""), "note": data.get(f"note_{item.pk}", ""),
         "severity": Severity(checklist_item_severity(item)).label}
        for item in template.items.all()
    ]


class InspectionForm(BootstrapMixin, EnterpriseChoiceMixin, CampaignChoiceMixin, VersionedFormMixin, ScopedForm):
    """The full form's main part."""

    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    start_date = forms.DateField(label=_("检查日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    announced = forms.BooleanField(label=_("预先告知"), required=False)
    staff_count = forms.IntegerField(
        label=_("出动人员人次"), required=False, min_value=0, max_value=MAX_STAFF_COUNT,
        help_text=_("留空则等于现场检查人员数"),
    )
    conclusion = forms.ChoiceField(label=_("检查结论"), choices=[("", "—")] + Conclusion.choices, required=False)
    summary = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    checklist = forms.ModelChoiceField(
        label=_("检查表"), queryset=ChecklistTemplate.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args, user: User, linked_campaigns=(), **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["enterprise"] = self._enterprise_field(user)
        self._add_campaign_fields(user, linked_campaigns)
        self._style()

    def clean(self):
        data = super().clean()
        self._clean_campaigns(data)
        return data


class OfficerForm(BootstrapMixin, ScopedForm):
    user = OfficerChoiceField(label=_("检查人员"), queryset=User.objects.none(), required=False,
                              empty_label=_("（无系统账号）"))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    cert_kind = forms.ChoiceField(label=_("证件类型"), choices=CertKind.choices)
    cert_no = forms.CharField(label=_("证件号"), max_length=40, required=False,
                              help_text=_("有账号的人员留空则取其登记的证号"))

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else User.objects.none()
        self._style()

    def to_input(self) -> OfficerInput | None:
        data = self.cleaned_data
        if not data or (not data.get("user") and not data.get("name")):
            return None
        return OfficerInput(user=data.get("user"), name=data.get("name") or "",
                            cert_kind=data.get("cert_kind") or "", cert_no=data.get("cert_no") or "")


# No blank rows: the page offers the user first and an "add officer" action (static/regsys/inspection-entry.js).
OfficerFormSet = formset_factory(OfficerForm, extra=0, can_delete=True)


class FindingForm(BootstrapMixin, ScopedForm):
    severity = forms.ChoiceField(label=_("缺陷等级"), choices=Severity.choices)
    text = forms.CharField(label=_("缺陷内容"), widget=forms.Textarea(attrs={"rows": 2}))
    checklist_item = forms.ModelChoiceField(label=_("对应检查项目"), queryset=ChecklistItem.objects.none(),
                                            required=False)

    def __init__(self, *args, template: ChecklistTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if template is not None:
            self.fields["checklist_item"].queryset = template.items.all()
        else:
            del self.fields["checklist_item"]
        self._style()


class AttachmentForm(BootstrapMixin, ScopedForm):
    kind = forms.ChoiceField(label=_("类型"), choices=Attachment.Kind.choices)
    files = MultipleFileField(
        label=_("文件"), help_text=_("JPG、PNG 或 PDF，单个不超过 %(mb)d MB，可多选")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if locked:
            # a locked inspection takes only 整改完成证据 (inspections.services.attachments_add)
            self.fields["kind"].choices = [(Attachment.Kind.EVIDENCE, Attachment.Kind.EVIDENCE.label)]
            self.fields["kind"].initial = Attachment.Kind.EVIDENCE
        self._style()


class AmendForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    kind = forms.ChoiceField(label=_("检查类型"), choices=InspectionKind.choices)
    start_date = forms.DateField(label=_("检查日期"), widget=DATE)
    end_date = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    announced = forms.BooleanField(label=_("预先告知"), required=False)
    staff_count = forms.IntegerField(label=_("出动人员人次"), min_value=0, max_value=MAX_STAFF_COUNT)
    conclusion = forms.ChoiceField(label=_("检查结论"), choices=Conclusion.choices)
    summary = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    provincial_entry_date = forms.DateField(label=_("录入省局系统日期"), required=False, widget=DATE)
    reason = forms.CharField(label=_("更正理由"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写更正理由")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in AMENDABLE_FIELDS}


class ProvincialEntryForm(BootstrapMixin, ScopedForm):
    entered_on = forms.DateField(label=_("录入省局系统日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RectificationForm(BootstrapMixin, VersionedFormMixin, ScopedForm):
    ordered_on = forms.DateField(label=_("责令改正日期"), widget=DATE)
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)
    requirements = forms.CharField(label=_("整改内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RectificationCompleteForm(BootstrapMixin, ScopedForm):
    completed_on = forms.DateField(label=_("完成整改日期"), widget=DATE)
    evidence = forms.CharField(label=_("整改完成情况/证据"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("证据文件"), required=False,
                              help_text=_("整改照片或报告扫描件，可多选"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class InterviewForm(BootstrapMixin, CampaignChoiceMixin, ScopedForm):
    held_on = forms.DateField(label=_("约谈日期"), widget=DATE)
    persons = forms.CharField(label=_("被约谈人员"), max_length=200)
    record = forms.CharField(label=_("约谈记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._add_campaign_fields(user)
        self._style()

    def clean(self):
        data = super().clean()
        self._clean_campaigns(data)
        return data


class CaseForm(BootstrapMixin, EnterpriseChoiceMixin, VersionedFormMixin, ScopedForm):
    number = forms.CharField(label=_("案件编号"), max_length=60, required=False,
                             help_text=_("留空自动编号"))
    procedure = forms.ChoiceField(label=_("程序"), choices=CaseProcedure.choices)
    filed_on = forms.DateField(label=_("立案日期"), widget=DATE)
    violation = forms.CharField(label=_("违法事实"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label=_("处罚依据"), max_length=200, required=False,
                                  help_text=_("如：《医疗器械监督管理条例》第八十六条"))
    handlers = forms.ModelMultipleChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    campaigns = forms.ModelMultipleChoiceField(
        label=_("所属专项整治"), queryset=Campaign.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user: User, editing: bool = False, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not editing:
            self.fields["enterprise"] = self._enterprise_field(user)
            self.fields["enterprise"].label = _("当事企业")
        else:
            del self.fields["number"]
        users = officer_users(user)
        self.fields["handlers"].queryset = users.filter(unit=user.unit) if user.unit_id else users
        self._style()


class CaseAdvanceForm(BootstrapMixin, ScopedForm):
    to_status = forms.ChoiceField(label=_("下一环节"), choices=CaseStatus.choices)
    on_date = forms.DateField(label=_("日期"), widget=DATE)

    def __init__(self, *args, options: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, CaseStatus(s).label) for s in options]
        self._style()


class CaseDecisionForm(BootstrapMixin, ScopedForm):
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE)
    decision_number = forms.CharField(label=_("处罚决定书文号"), max_length=100, required=False)
    fine_amount = forms.DecimalField(label=_("罚款（元）"), min_value=0, max_value=MAX_AMOUNT, max_digits=14,
                                     decimal_places=2, initial=0)
    confiscation_amount = forms.DecimalField(label=_("没收违法所得及非法财物（元）"), min_value=0, max_value=MAX_AMOUNT,
                                             max_digits=14, decimal_places=2, initial=0)
    suspension_ordered = forms.BooleanField(label=_("责令停产停业"), required=False)
    revoked_licence = forms.ModelChoiceField(label=_("吊销许可证"), queryset=Licence.objects.none(),
                                             required=False, empty_label=_("（不吊销）"))
    listed_serious_dishonest = forms.BooleanField(label=_("列入严重违法失信名单"), required=False)

    def __init__(self, *args, enterprise: Enterprise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoked_licence"].queryset = Licence.objects.filter(enterprise=enterprise)
        self._style()


class PenalisedPersonForm(BootstrapMixin, ScopedForm):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    fine_amount = forms.DecimalField(label=_("罚款（元）"), min_value=0, max_value=MAX_AMOUNT, max_digits=14,
                                     decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        data = super().clean()
        if not (data.get("name") or "").strip() and ((data.get("position") or "").strip() or data.get("fine_amount")):
            self.add_error("name", _("填写了职务或罚款，请填写责任人姓名"))
        return data

    def to_input(self) -> PenalisedPersonInput | None:
        data = self.cleaned_data
        if not data or not (data.get("name") or "").strip():
            return None
        return PenalisedPersonInput(name=data["name"], position=data.get("position") or "",
                                    fine_amount=data.get("fine_amount") or 0)


PenalisedPersonFormSet = formset_factory(PenalisedPersonForm, extra=2)


class ReferralForm(BootstrapMixin, CampaignChoiceMixin, ScopedForm):
    target = forms.ChoiceField(label=_("移送对象"), choices=ReferralTarget.choices)
    referred_on = forms.DateField(label=_("移送日期"), widget=DATE)
    note = forms.CharField(label=_("移送内容"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._add_campaign_fields(user)
        self._style()

    def clean(self):
        data = super().clean()
        self._clean_campaigns(data)
        return data
