from rest_framework import viewsets

from campaigns.filters import CampaignFilter
from campaigns.models import Campaign, FormTemplate

from .serializers import CampaignSerializer, FormTemplateSerializer


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """Campaigns are district reference data: every signed-in user may read them."""

    queryset = Campaign.objects.prefetch_related("due_dates", "units", "forms")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter


class FormTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FormTemplate.objects.prefetch_related("rows", "columns")
    serializer_class = FormTemplateSerializer
    filterset_fields = ["code", "year", "is_active"]
