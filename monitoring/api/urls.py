from rest_framework.routers import DefaultRouter

from .complaints import ComplaintViewSet
from .views import AEReportViewSet

router = DefaultRouter(trailing_slash=True)
router.register("ae-reports", AEReportViewSet, basename="ae-report")  # aeimport
router.register("complaints", ComplaintViewSet, basename="complaint")  # complaints

urlpatterns = router.urls
