"""Forms of the clean-up steps (input shape only; the rules are in ``zombie_services``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enterprises.duties.choices import ClearanceKind, NoticeKind, ZombieStage
from regsys.forms import ScopedForm
from regsys.versioning import VersionedFormMixin


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))


class VerifyForm(VersionedFormMixin, ScopedForm):
    verified_on = _date(_("核查日期"))
    verification = forms.CharField(label=_("核查情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoticeForm(VersionedFormMixin, ScopedForm):
    notice_kind = forms.ChoiceField(label=_("告知方式"), choices=NoticeKind.choices)
    notice_on = _date(_("告知/公告日期"))
    notice_ref = forms.CharField(label=_("告知书/公告编号"), max_length=100)


class ClearForm(VersionedFormMixin, ScopedForm):
    clearance_kind = forms.ChoiceField(label=_("处理方式"), choices=ClearanceKind.choices)
    decision_no = forms.CharField(label=_("决定文号"), max_length=100)
    decision_on = _date(_("决定日期"))
    evidence = forms.FileField(label=_("佐证材料"), required=False)


OUTCOME_CHOICES = [(s.value, s.label) for s in (ZombieStage.REGULARISED, ZombieStage.UPGRADED, ZombieStage.NOT_ZOMBIE)]


class ConcludeForm(VersionedFormMixin, ScopedForm):
    outcome = forms.ChoiceField(label=_("办结结果"), choices=OUTCOME_CHOICES)
    decided_on = _date(_("办结日期"))
    note = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
