from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults

from regsys import page_parts


@login_required
def home(request):
    """Start page by role (``reporting.landing``): what needs the user's attention first, then every part of
    the system."""
    from reporting.landing import landing_for  # regsys imports no app at module level

    body = page_parts.rendered(request, "home", "home/_body.html",
                               lambda: landing_for(request.user, today=timezone.localdate()))
    return render(request, "home.html", {"body": body})


def favicon(request):
    """Browsers ask for /favicon.ico on their own; point them at the static icon."""
    return redirect(static("regsys/favicon.svg"))


def not_found(request, exception):
    """404: JSON under /api/ (as the API documents it), the Chinese error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404)
    return defaults.page_not_found(request, exception)
