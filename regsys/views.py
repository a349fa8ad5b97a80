from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import defaults


@login_required
def home(request):
    """Start page: what needs the user's attention, with links into each part of the system."""
    return render(request, "home.html")


def favicon(request):
    """Browsers ask for /favicon.ico on their own; point them at the static icon."""
    return redirect(static("regsys/favicon.svg"))


def not_found(request, exception):
    """404: JSON under /api/ (as the API documents it), the Chinese error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)
