"""HTML forms of the form designer: input shape only (the rules are in ``campaigns.designer``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.designer import path_from_text
from campaigns.models import CellKind, FormRow, FormTemplate
from enterprises.choices import Link
from enterprises.models import Tag
from regsys.forms import ScopedForm


class TemplateSettingsForm(forms.ModelForm):
    class Meta:
        model = FormTemplate
        fields = ["code", "year", "title_template", "header_label", "footer_template", "record_scope",
                  "case_count_date", "interview_count_mode", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


def _tag_choices() -> list[tuple[str, str]]:
    return [(code, f"{name}（{code}）") for code, name in Tag.objects.order_by("code").values_list("code", "name")]


class RowForm(ScopedForm):
    key = forms.CharField(label=_("行代码"), max_length=100,
                          help_text=_("公式中用它指本行，如 {生产.检查}；字母、数字、下划线、“-”或汉字"))
    path_text = forms.CharField(label=_("项目"), max_length=300,
                                help_text=_("多级项目用“/”分隔，如：集中带量采购中选产品 / 生产（最多 3 级）"))
    link = forms.ChoiceField(label=_("环节"), required=False, choices=[("", _("任意"))] + list(Link.choices))
    tag_codes = forms.MultipleChoiceField(label=_("产品领域标签"), required=False,
                                          widget=forms.SelectMultiple(attrs={"size": 6}))
    exclude_tag_codes = forms.MultipleChoiceField(label=_("排除标签"), required=False,
                                                  widget=forms.SelectMultiple(attrs={"size": 4}))
    parent = forms.ModelChoiceField(label=_("“其中”所属行"), required=False, queryset=FormRow.objects.none())

    def __init__(self, *args, template: FormTemplate, row: FormRow | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        tags = _tag_choices()
        self.fields["tag_codes"].choices = tags
        self.fields["exclude_tag_codes"].choices = tags
        self.fields["parent"].queryset = template.rows.exclude(pk=getattr(row, "pk", None)).order_by("order")
        if row is not None and not self.is_bound:
            self.initial.update(key=row.key, path_text=" / ".join(row.path), link=row.link,
                                tag_codes=row.tag_codes, exclude_tag_codes=row.exclude_tag_codes, parent=row.parent)

    def scope_choices(self) -> None:  # the parent choice is limited to the template's rows, not by unit
        pass

    def clean_path_text(self):
        try:
            return path_from_text(self.cleaned_data["path_text"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None

    def values(self) -> dict:
        data = self.cleaned_data
        return {"key": data["key"].strip(), "path": data["path_text"], "link": data["link"],
                "tag_codes": data["tag_codes"], "exclude_tag_codes": data["exclude_tag_codes"],
                "parent": data["parent"]}


class CellDefinitionForm(ScopedForm):
    """What a cell holds: the fields shared by a column's default and one cell."""

    kind = forms.ChoiceField(label=_("单元格类型"), choices=CellKind.choices)
    metric = forms.ChoiceField(label=_("指标"), required=False)
    formula = forms.CharField(label=_("公式"), max_length=500, required=False,
                              help_text=_("如 {生产.检查} + {经营.检查}；省略行或列代码表示本行、本列，如 {.完成数} / {.应完成数} * 100；"
                                          "可用 SUM、MIN、MAX、ROUND、ABS"))
    min_value = forms.DecimalField(label=_("最小值"), required=False, max_digits=18, decimal_places=4)
    max_value = forms.DecimalField(label=_("最大值"), required=False, max_digits=18, decimal_places=4)
    required = forms.BooleanField(label=_("必填"), required=False, help_text=_("手填单元格：上报前必须填写"))

    DEFINITION = ("kind", "metric", "formula", "min_value", "max_value", "required")

    def __init__(self, *args, year: int, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        from reporting.form_metrics import metric_choices

        self.fields["metric"].choices = [("", "—")] + [(str(g), items) for g, items in metric_choices(year)]
        if source is not None and not self.is_bound:
            self.initial.update({f: getattr(source, f) for f in self.DEFINITION})

    def values(self) -> dict:
        data = self.cleaned_data
        values = {f: data[f] for f in self.DEFINITION}
        values["formula"] = (values["formula"] or "").strip()
        return values


class ColumnForm(CellDefinitionForm):
    key = forms.CharField(label=_("列代码"), max_length=80,
                          help_text=_("公式中用它指本列，如 {.检查}；字母、数字、下划线、“-”或汉字"))
    label = forms.CharField(label=_("列标题"), max_length=60)
    unit = forms.CharField(label=_("计量单位"), max_length=20, required=False)
    decimals = forms.IntegerField(label=_("小数位数"), min_value=0, max_value=4, initial=0)
    width = forms.IntegerField(label=_("列宽"), min_value=4, max_value=60, initial=10)
    help_text = forms.CharField(label=_("口径说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                help_text=_("留空时显示指标的标准口径"))

    field_order = ["key", "label", "unit", "decimals", "width", "help_text", "kind", "metric", "formula",
                   "min_value", "max_value", "required"]
    OWN = ("key", "label", "unit", "decimals", "width", "help_text")

    def __init__(self, *args, column=None, **kwargs):
        super().__init__(*args, source=column, **kwargs)
        if column is not None and not self.is_bound:
            self.initial.update({f: getattr(column, f) for f in self.OWN})

    def values(self) -> dict:
        values = super().values()
        values.update({f: self.cleaned_data[f] for f in self.OWN})
        values["key"] = values["key"].strip()
        values["help_text"] = values["help_text"] or ""
        values["unit"] = values["unit"] or ""
        return values


class CellForm(CellDefinitionForm):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, cell=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cell is not None and not self.is_bound:
            self.initial["note"] = cell.note

    def values(self) -> dict:
        values = super().values()
        values["note"] = self.cleaned_data["note"] or ""
        return values
