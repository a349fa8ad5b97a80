from rest_framework.routers import DefaultRouter

from .cockpit import urlpatterns as cockpit_urlpatterns
from .views import ExportJobViewSet, ReturnViewSet

router = DefaultRouter(trailing_slash=True)
router.register("returns", ReturnViewSet, basename="return")
router.register("export-jobs", ExportJobViewSet, basename="export-job")

urlpatterns = router.urls + cockpit_urlpatterns
