"""templates/django/forms/widgets/ (select and input with their includes written out) render Django's HTML."""

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer


class SampleForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & 乙"), ("b", "丙")], required=False)
    grouped = forms.ChoiceField(choices=[("组一", [("1", "一"), ("2", "二")]), ("3", "三")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")])
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"class": "form-control", "readonly": True}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(min_value=0)
    flag = forms.BooleanField(required=False)
    secret = forms.CharField(widget=forms.HiddenInput)


def test_project_widgets_render_the_same_html_as_djangos():
    form = SampleForm(data={"kind": "a", "grouped": "2", "many": ["x", "z"], "name": "<b>", "day": "2026-01-02",
                            "count": "3", "flag": "on", "secret": "s"})
    django_renderer = DjangoTemplates()
    assert type(get_default_renderer()).__name__ == "TemplatesSetting"
    for field in form:
        ours = field.as_widget(attrs={"class": "form-select"})
        theirs = field.field.widget.render(field.html_name, field.value(), attrs={**field.build_widget_attrs(
            {"class": "form-select"}), "id": field.auto_id}, renderer=django_renderer)
        assert ours == theirs, field.name
