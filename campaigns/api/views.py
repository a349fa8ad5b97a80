from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from campaigns import services
from campaigns.filters import CampaignFilter
from campaigns.models import Campaign, FormTemplate
from regsys.api import AdministratorWritePermission
from regsys.versioning import with_conflict

from .serializers import CampaignSerializer, CampaignWriteSerializer, FormTemplateSerializer


@extend_schema_view(
    create=extend_schema(request=CampaignWriteSerializer, responses={201: CampaignSerializer}),
    update=extend_schema(request=CampaignWriteSerializer, responses=with_conflict({200: CampaignSerializer})),
    partial_update=extend_schema(request=CampaignWriteSerializer,
                                 responses=with_conflict({200: CampaignSerializer})),
)
class CampaignViewSet(viewsets.ModelViewSet):
    """专项整治：所有用户可读；只有系统管理员可以通过 API 新增、修改（参加单位、报送报表、报送截止日期）和删除。"""

    queryset = Campaign.objects.prefetch_related("due_dates", "units", "forms")
    serializer_class = CampaignSerializer
    filterset_class = CampaignFilter
    permission_classes = [AdministratorWritePermission]

    def create(self, request, *args, **kwargs):
        campaign = self._save(Campaign(), partial=False)
        return Response(self._read(campaign), status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial: bool = False, **kwargs):
        campaign = self._save(self.get_object(), partial=partial)
        return Response(self._read(campaign))

    def perform_destroy(self, instance):
        services.campaign_delete(campaign=instance, by=self.request.user)

    def _save(self, campaign: Campaign, *, partial: bool) -> Campaign:
        new = campaign.pk is None
        payload = CampaignWriteSerializer(None if new else campaign, data=self.request.data, partial=partial,
                                          context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        version = data.pop("version", None)
        units = data.pop("units", None if new else campaign.units.all())
        forms = data.pop("forms", None if new else campaign.forms.all())
        due_dates = data.pop("due_dates", None)
        if due_dates is None:
            due_dates = [] if new else list(campaign.due_dates.values_list("due_on", flat=True))
        for name, value in data.items():
            setattr(campaign, name, value)
        return services.campaign_save(campaign=campaign, units=units or [], forms=forms or [],
                                      due_dates=sorted(set(due_dates)), by=self.request.user, version=version)

    def _read(self, campaign: Campaign) -> dict:
        campaign = self.get_queryset().get(pk=campaign.pk)
        return CampaignSerializer(campaign, context=self.get_serializer_context()).data


class FormTemplateViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = FormTemplate.objects.prefetch_related("rows", "columns", "cells__row", "cells__column")
    serializer_class = FormTemplateSerializer
    filterset_fields = ["code", "year", "is_active"]
