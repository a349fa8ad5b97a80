"""Shared form pieces: every model choice a form accepts is limited to what the user may name."""

from __future__ import annotations

from django import forms

from regsys.scoping import referable


class ScopedChoicesMixin:
    """Every ``ModelChoiceField``/``ModelMultipleChoiceField`` accepts only ``regsys.scoping.referable`` rows.

    Pass ``user=``; without a user no choice is accepted. The querysets are narrowed when the form
    validates (after the form's own ``__init__`` has chosen them) and can be narrowed for display with
    ``scope_choices()``. A tampered id (another unit's plan item, officer, enterprise …) is an invalid
    choice: the form shows an error and the view saves nothing.
    """

    def __init__(self, *args, user=None, **kwargs):
        self.scoped_user = user
        super().__init__(*args, **kwargs)

    def scope_choices(self) -> None:
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField included
                field.queryset = referable(field.queryset, self.scoped_user)

    def full_clean(self):
        self.scope_choices()
        super().full_clean()


class ScopedForm(ScopedChoicesMixin, forms.Form):
    """Base of the project's plain forms."""


class ScopedModelForm(ScopedChoicesMixin, forms.ModelForm):
    """Base of the project's model forms."""
