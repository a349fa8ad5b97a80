from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .complaints import ComplaintViewSet
from .disposal import SampleControlViewSet, SampleDisposalViewSet  # disposal
from .leads import OnlineLeadViewSet
from .risks import RiskMeetingViewSet, RiskViewSet
from .views import AEReportViewSet

router = DefaultRouter(trailing_slash=True)
router.register("ae-reports", AEReportViewSet, basename="ae-report")  # aeimport
router.register("complaints", ComplaintViewSet, basename="complaint")  # complaints
router.register("online-leads", OnlineLeadViewSet, basename="online-lead")  # leads
router.register("risk-meetings", RiskMeetingViewSet, basename="risk-meeting")  # risk
router.register("risks", RiskViewSet, basename="risk")  # risk
router.register("sample-controls", SampleControlViewSet, basename="sample-control")  # disposal
router.register("sample-disposals", SampleDisposalViewSet, basename="sample-disposal")  # disposal

urlpatterns = router.urls
urlpatterns += [path("", include("monitoring.api.sampling"))]  # sampling: sampling-tasks, samples
