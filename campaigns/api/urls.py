from rest_framework.routers import DefaultRouter

from .views import CampaignViewSet, FormTemplateViewSet

router = DefaultRouter(trailing_slash=True)
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register("form-templates", FormTemplateViewSet, basename="form-template")

urlpatterns = router.urls
