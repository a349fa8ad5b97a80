from django import forms
from django.contrib import admin, messages
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.models import Campaign, CampaignDueDate, FormColumn, FormRow, FormTemplate
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


def _metric_choices():
    return import_string("reporting.metrics.METRIC_CHOICES")


class FormColumnForm(forms.ModelForm):
    metric = forms.ChoiceField(label=_("指标"), choices=())

    class Meta:
        model = FormColumn
        fields = ["order", "metric", "label", "unit", "decimals", "width", "help_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = _metric_choices()


class FormColumnInline(admin.TabularInline):
    model = FormColumn
    form = FormColumnForm
    extra = 0


@admin.register(FormTemplate)
class FormTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "code", "year", "version", "is_active", "case_count_date", "interview_count_mode"]
    list_filter = ["year", "code", "is_active"]
    inlines = [FormRowInline, FormColumnInline]
    actions = ["copy_to_next_year"]

    @admin.action(description=_("复制到下一年度（新版本，可再修改行和列）"))
    def copy_to_next_year(self, request, queryset):
        for template in queryset:
            copy = form_template_copy(template=template, year=template.year + 1, by=request.user)
            self.message_user(request, _("已复制：%(t)s") % {"t": copy}, messages.SUCCESS)
