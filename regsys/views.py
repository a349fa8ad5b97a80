from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static


@login_required
def home(request):
    """Start page: what needs the user's attention, with links into each part of the system."""
    return render(request, "home.html")


def favicon(request):
    """Browsers ask for /favicon.ico on their own; point them at the static icon."""
    return redirect(static("regsys/favicon.svg"))
