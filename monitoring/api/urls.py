from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .views import AEReportViewSet

router = DefaultRouter(trailing_slash=True)
router.register("ae-reports", AEReportViewSet, basename="ae-report")  # aeimport

urlpatterns = router.urls
urlpatterns += [path("", include("monitoring.api.sampling"))]  # sampling: sampling-tasks, samples
