from rest_framework import serializers

from campaigns.help import column_help_texts
from campaigns.models import Campaign, CampaignDueDate, FormColumn, FormRow, FormTemplate
from regsys.api import ScopedModelSerializer


class DueDateSerializer(ScopedModelSerializer):
    class Meta:
        model = CampaignDueDate
        fields = ["id", "due_on", "label", "is_closed", "reopened"]


class CampaignSerializer(ScopedModelSerializer):
    due_dates = DueDateSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "doc_number", "year", "start_date", "end_date", "units", "forms", "description",
                  "is_active", "due_dates"]


class FormRowSerializer(ScopedModelSerializer):
    class Meta:
        model = FormRow
        fields = ["id", "order", "key", "path", "label_cells", "link", "tag_codes", "exclude_tag_codes", "parent"]


class FormColumnSerializer(ScopedModelSerializer):
    definition = serializers.SerializerMethodField()

    class Meta:
        model = FormColumn
        fields = ["id", "order", "metric", "label", "unit", "decimals", "width", "help_text", "definition"]

    def get_definition(self, column) -> str:
        return column_help_texts([column])[column.pk]


class FormTemplateSerializer(ScopedModelSerializer):
    rows = FormRowSerializer(many=True, read_only=True)
    columns = FormColumnSerializer(many=True, read_only=True)
    title = serializers.SerializerMethodField()

    class Meta:
        model = FormTemplate
        fields = ["id", "code", "year", "version", "title", "title_template", "preamble_fields", "header_label",
                  "label_columns", "footer_template", "case_count_date", "interview_count_mode", "is_active",
                  "rows", "columns"]

    def get_title(self, template) -> str:
        return template.title_for()
