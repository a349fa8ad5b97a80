from rest_framework.routers import DefaultRouter

from enterprises.duties.filing_api import AnnualFilingViewSet

router = DefaultRouter(trailing_slash=True)
router.register("annual-filings", AnnualFilingViewSet, basename="annual-filing")

urlpatterns = router.urls
