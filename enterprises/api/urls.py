from rest_framework.routers import DefaultRouter

from enterprises.suspension_api import SuspensionViewSet  # disposal

from .views import (
    EnterpriseViewSet,
    LicenceViewSet,
    OwnershipRuleViewSet,
    SubdistrictViewSet,
    TagViewSet,
    UnitViewSet,
    UserViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("licences", LicenceViewSet, basename="licence")
router.register("units", UnitViewSet, basename="unit")
router.register("subdistricts", SubdistrictViewSet, basename="subdistrict")
router.register("tags", TagViewSet, basename="tag")
router.register("ownership-rules", OwnershipRuleViewSet, basename="ownership-rule")
router.register("users", UserViewSet, basename="user")
router.register("suspensions", SuspensionViewSet, basename="suspension")  # disposal

urlpatterns = router.urls
