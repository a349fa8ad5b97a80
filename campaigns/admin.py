from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import Campaign, CampaignDueDate, FormCell, FormColumn, FormRow, FormTemplate
from campaigns.services import form_template_copy


class DueDateInline(admin.TabularInline):
    model = CampaignDueDate
    extra = 0
    fields = ["due_on", "label", "is_closed", "reopened"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "doc_number", "year", "start_date", "end_date", "is_active"]
    list_filter = ["year", "is_active"]
    search_fields = ["name", "doc_number"]
    filter_horizontal = ["units", "forms"]
    inlines = [DueDateInline]


class FormRowInline(admin.TabularInline):
    model = FormRow
    extra = 0
    fk_name = "template"
    fields = ["order", "key", "path", "label_cells", "link", "tag_codes", "exclude_tag_codes", "parent"]


def _metric_choices(year: int):
    from reporting.form_metrics import metric_choices  # campaigns reads reporting only at call time

    return [("", "—")] + [(str(group), items) for group, items in metric_choices(year)]


class CellDefinitionAdminForm(forms.ModelForm):
    """A column's or a cell's definition; the metric is a grouped choice, needed only by computed cells."""

    metric = forms.ChoiceField(label=_("指标"), choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        template = getattr(self.instance, "template", None) if self.instance.template_id else None
        self.fields["metric"].choices = _metric_choices(template.year if template else 2023)


class FormColumnForm(CellDefinitionAdminForm):
    class Meta:
        model = FormColumn
        fields = ["order", "key", "label", "unit", "decimals", "width", "help_text", "kind", "metric", "formula",
                  "min_value", "max_value", "required"]


class FormColumnInline(admin.TabularInline):
    model = FormColumn
    form = FormColumnForm
    extra = 0


class FormCellForm(CellDefinitionAdminForm):
    class Meta:
        model = FormCell
        fields = ["row", "column", "kind", "metric", "formula", "min_value", "max_value", "required", "note"]


class FormCellInline(admin.TabularInline):
    model = FormCell
    form = FormCellForm
    extra = 0


@admin.register(FormTemplate)
class FormTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "code", "year", "version", "is_active", "case_count_date", "interview_count_mode"]
    list_filter = ["year", "code", "is_active"]
    inlines = [FormRowInline, FormColumnInline, FormCellInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("复制到下一年度（新版本，可再修改行和列）"))
    def copy_to_next_year(self, request, queryset):
        for template in queryset:
            copy = form_template_copy(template=template, year=template.year + 1, by=request.user)
            self.message_user(request, _("已复制：%(t)s") % {"t": copy}, messages.SUCCESS)
