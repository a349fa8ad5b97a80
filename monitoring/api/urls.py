from rest_framework.routers import DefaultRouter

from .risks import RiskMeetingViewSet, RiskViewSet
from .views import AEReportViewSet

router = DefaultRouter(trailing_slash=True)
router.register("ae-reports", AEReportViewSet, basename="ae-report")  # aeimport
router.register("risk-meetings", RiskMeetingViewSet, basename="risk-meeting")  # risk
router.register("risks", RiskViewSet, basename="risk")  # risk

urlpatterns = router.urls
