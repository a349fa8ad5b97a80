from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from regsys import auth_views as regsys_auth_views
from regsys import views

api_patterns = [
    path("", include("enterprises.api.urls")),
    path("", include("enterprises.grading.api_urls")),
    path("", include("campaigns.api.urls")),
    path("", include("inspections.api.urls")),
    path("", include("inspections.planning.api_urls")),
    path("", include("monitoring.api.quotas")),
    path("", include("reporting.api.urls")),
    path("", include("monitoring.api.evaluations")),
    path("", include("monitoring.api.registry")),
    path("", include("monitoring.api.urls")),
    path("", include("enterprises.duties.filing_api_urls")),
    path("", include("enterprises.duties.warehouses_api")),
    path("", include("enterprises.duties.zombie_api_urls")),
    path("", include("enterprises.duties.udi_api_urls")),  # UDI rollout
    path("", include("regsys.notification_api")),
    path("auth/token/", regsys_auth_views.TokenObtainView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from static files (sidecar); the split view keeps its init script out of the page (CSP).
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]

# The admin is the 系统管理 of the navigation bar: titled so, not "Django 站点管理员".
admin.site.site_header = _("医疗器械监管系统 · 系统管理")
admin.site.site_title = _("系统管理")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", regsys_auth_views.LogoutView.as_view(), name="logout"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("enterprises/", include("enterprises.urls")),
    path("grading/", include(("enterprises.grading.urls", "grading"))),
    path("campaigns/", include("campaigns.urls")),
    path("inspections/", include("inspections.urls")),
    path("planning/", include(("inspections.planning.urls", "planning"))),
    path("monitoring/", include("monitoring.urls")),
    path("reporting/", include("reporting.urls")),
    path("notifications/", include("regsys.notification_urls")),
    path("api/", include(api_patterns)),
]

handler404 = "regsys.views.not_found"
