"""Forms of a return's cells: the hand-entered values (填写手填数据) and a correction of a computed cell (修正).

Input shape only: the checks of a value (number, decimals, range) and the required reason of a correction are
rules of ``reporting.return_cells`` / ``reporting.form_cells``; the views put that service's errors back on
the fields here.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reporting.form_cells import CellSpec


def _plain(value) -> str:
    return format(value.normalize(), "f")


def _hint(spec: CellSpec) -> str:
    parts = [str(_("整数")) if spec.decimals == 0 else str(_("最多 %(n)s 位小数")) % {"n": spec.decimals}]
    if spec.min_value is not None:
        parts.append(f"≥ {_plain(spec.min_value)}")
    if spec.max_value is not None:
        parts.append(f"≤ {_plain(spec.max_value)}")
    if spec.required:
        parts.append(str(_("上报前必填")))
    return "，".join(parts)


def _number_input(spec: CellSpec | None = None) -> forms.TextInput:
    """A text box that opens the phone's number keyboard (a plain text box keeps what was typed on an error)."""
    integer = spec is not None and spec.decimals == 0 and spec.min_value is not None and spec.min_value >= 0
    return forms.TextInput(attrs={"inputmode": "numeric" if integer else "decimal", "autocomplete": "off",
                                  "class": "form-control form-control-sm"})


class ManualCellsForm(forms.Form):
    """One text field per hand-entered cell of a return, labelled 行 × 列 (in form order)."""

    def __init__(self, *args, specs: list[CellSpec], values: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        values = values or {}
        self.cell_fields: dict[str, CellSpec] = {}
        for index, spec in enumerate(specs):
            name = f"cell_{index}"
            self.cell_fields[name] = spec
            self.fields[name] = forms.CharField(
                label=spec.label, required=False, max_length=40, help_text=_hint(spec), widget=_number_input(spec),
                initial=values.get(spec.row, {}).get(spec.column, ""),
            )

    def values(self) -> dict[str, dict[str, str]]:
        """``{row: {column: text}}`` as typed (the service checks and converts)."""
        out: dict[str, dict[str, str]] = {}
        for name, spec in self.cell_fields.items():
            out.setdefault(spec.row, {})[spec.column] = self.cleaned_data.get(name, "")
        return out

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put the service's errors (keyed ``"row.column"``, each message prefixed with the cell's label) on the
        fields; anything else on the form."""
        by_key = {f"{s.row}.{s.column}": (name, s) for name, s in self.cell_fields.items()}
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        for key, messages in exc.message_dict.items():
            name, spec = by_key.get(key, (None, None))
            for message in messages:
                if spec is not None:
                    message = message.removeprefix(f"{spec.label}：")
                self.add_error(name, message)


class OverrideForm(forms.Form):
    """A hand correction of one computed cell: the new value and why."""

    row = forms.CharField(widget=forms.HiddenInput)
    column = forms.CharField(widget=forms.HiddenInput)
    value = forms.CharField(label=_("修正后的数值"), required=False, max_length=40, widget=_number_input())
    reason = forms.CharField(
        label=_("修正原因"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        help_text=_("必填：说明计算值为何与实际不符，记入流转记录和校验提示"),
    )

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            for message in exc.messages:
                self.add_error(None, message)
            return
        for key, messages in exc.message_dict.items():
            for message in messages:
                self.add_error(key if key in ("value", "reason") else None, message)


class CellForm(forms.Form):
    """Which cell a 再次确认 / 撤销修正 button is about."""

    row = forms.CharField()
    column = forms.CharField()
