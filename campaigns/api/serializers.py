from rest_framework import serializers

from campaigns.help import column_help_texts
from campaigns.models import Campaign, CampaignDueDate, FormCell, FormColumn, FormRow, FormTemplate
from regsys.api import ScopedModelSerializer
from regsys.versioning import VersionedSerializerMixin


class DueDateSerializer(ScopedModelSerializer):
    class Meta:
        model = CampaignDueDate
        fields = ["id", "due_on", "label", "is_closed", "reopened"]


CAMPAIGN_FIELDS = ["name", "doc_number", "year", "start_date", "end_date", "units", "forms", "description",
                   "is_active"]


class CampaignSerializer(ScopedModelSerializer):
    """A campaign as read: its participating units, form templates and due dates."""

    due_dates = DueDateSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", *CAMPAIGN_FIELDS, "due_dates", "version"]


class CampaignWriteSerializer(VersionedSerializerMixin, ScopedModelSerializer):
    """Create or change a campaign (system administrators); checked by ``services.campaign_check``.

    ``due_dates`` is the whole list of due dates: dates not in it are removed (refused when a return was
    filed for one), new ones added. A PATCH without it keeps the dates. PUT/PATCH carry ``version``.
    """

    forms = serializers.PrimaryKeyRelatedField(
        many=True, queryset=FormTemplate.objects.filter(is_active=True), required=False, label="报送报表",
    )
    due_dates = serializers.ListField(
        child=serializers.DateField(), max_length=100, label="报送截止日期",
        help_text="全部报送截止日期（YYYY-MM-DD）：至少一个，不早于开始日期，不晚于专项结束的次年",
    )

    class Meta:
        model = Campaign
        fields = [*CAMPAIGN_FIELDS, "due_dates", "version"]


class FormRowSerializer(ScopedModelSerializer):
    class Meta:
        model = FormRow
        fields = ["id", "order", "key", "path", "label_cells", "link", "tag_codes", "exclude_tag_codes", "parent"]


class FormColumnSerializer(ScopedModelSerializer):
    definition = serializers.SerializerMethodField()

    class Meta:
        model = FormColumn
        fields = ["id", "order", "key", "label", "unit", "decimals", "width", "help_text", "definition",
                  "kind", "metric", "formula", "min_value", "max_value", "required"]

    def get_definition(self, column) -> str:
        return column_help_texts([column])[column.pk]


class FormCellSerializer(ScopedModelSerializer):
    """One cell set otherwise than its column, named by its row and column codes."""

    row = serializers.CharField(source="row.key", read_only=True)
    column = serializers.CharField(source="column.key", read_only=True)

    class Meta:
        model = FormCell
        fields = ["row", "column", "kind", "metric", "formula", "min_value", "max_value", "required", "note"]


class FormTemplateSerializer(ScopedModelSerializer):
    rows = FormRowSerializer(many=True, read_only=True)
    columns = FormColumnSerializer(many=True, read_only=True)
    cells = FormCellSerializer(many=True, read_only=True)
    title = serializers.SerializerMethodField()

    class Meta:
        model = FormTemplate
        fields = ["id", "code", "year", "version", "title", "title_template", "preamble_fields", "header_label",
                  "label_columns", "footer_template", "case_count_date", "interview_count_mode", "record_scope",
                  "is_active", "rows", "columns", "cells"]

    def get_title(self, template) -> str:
        return template.title_for()
