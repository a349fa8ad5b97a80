from rest_framework.routers import DefaultRouter

from enterprises.duties.zombie_api import ZombieCaseViewSet

router = DefaultRouter(trailing_slash=True)
router.register("zombie-cases", ZombieCaseViewSet, basename="zombie-case")

urlpatterns = router.urls
