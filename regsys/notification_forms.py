from django import forms
from django.utils.translation import gettext_lazy as _

from regsys.choices import REMINDER_DAYS, NotificationKind
from regsys.forms import ScopedChoicesMixin


class NotificationPreferenceForm(ScopedChoicesMixin, forms.Form):
    """The notification settings page: the daily digest and the reminder days."""

    digest_enabled = forms.BooleanField(label=_("每天早上发送邮件摘要"), required=False)
    digest_kinds = forms.MultipleChoiceField(
        label=_("摘要包含的类别"), choices=NotificationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reminder_days = forms.TypedMultipleChoiceField(
        label=_("期限提醒"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(d, _("到期前 %(d)s 天") % {"d": d}) for d in REMINDER_DAYS],
    )
