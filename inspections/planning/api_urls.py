from rest_framework.routers import DefaultRouter

from inspections.planning.api import ConflictViewSet, DrawViewSet, PlanItemViewSet, PlanViewSet, TargetViewSet

router = DefaultRouter(trailing_slash=True)
router.register("plans", PlanViewSet, basename="plan")
router.register("plan-items", PlanItemViewSet, basename="plan-item")
router.register("draws", DrawViewSet, basename="draw")
router.register("conflicts", ConflictViewSet, basename="conflict")
router.register("targets", TargetViewSet, basename="target")

urlpatterns = router.urls
