from rest_framework.routers import DefaultRouter

from .views import (
    CaseViewSet,
    FindingViewSet,
    InspectionViewSet,
    InterviewViewSet,
    RectificationViewSet,
    ReferralViewSet,
)

router = DefaultRouter(trailing_slash=True)
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("findings", FindingViewSet, basename="finding")
router.register("rectifications", RectificationViewSet, basename="rectification")
router.register("interviews", InterviewViewSet, basename="interview")
router.register("cases", CaseViewSet, basename="case")
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns = router.urls
