from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    """Start page: what needs the user's attention, with links into each part of the system."""
    return render(request, "home.html")
