from rest_framework.routers import DefaultRouter

from enterprises.grading.api import CreditRecordViewSet, GradeViewSet

router = DefaultRouter(trailing_slash=True)
router.register("grades", GradeViewSet, basename="grade")
router.register("credit-records", CreditRecordViewSet, basename="credit-record")

urlpatterns = router.urls
