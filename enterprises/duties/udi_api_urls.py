from rest_framework.routers import DefaultRouter

from enterprises.duties.udi_api import HospitalUdiViewSet, ManufacturerUdiViewSet

router = DefaultRouter(trailing_slash=True)
router.register("hospital-udi", HospitalUdiViewSet, basename="hospital-udi")
router.register("manufacturer-udi", ManufacturerUdiViewSet, basename="manufacturer-udi")

urlpatterns = router.urls
