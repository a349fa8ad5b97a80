from rest_framework.routers import DefaultRouter

from .disposal import SampleControlViewSet, SampleDisposalViewSet  # disposal
from .views import AEReportViewSet

router = DefaultRouter(trailing_slash=True)
router.register("ae-reports", AEReportViewSet, basename="ae-report")  # aeimport
router.register("sample-controls", SampleControlViewSet, basename="sample-control")  # disposal
router.register("sample-disposals", SampleDisposalViewSet, basename="sample-disposal")  # disposal

urlpatterns = router.urls
