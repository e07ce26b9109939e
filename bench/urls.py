"""The portal's URLs plus the floors: a bare view, and a minimal page extending base.html,
behind the same middleware."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from motcua.urls import urlpatterns as portal_patterns


def floor_view(request):
    return HttpResponse("ok", content_type="text/plain")


def base_floor_view(request):
    """The floor of a page: a minimal template extending base.html (navigation, context
    processors, the logged-in header when there is a user)."""
    return render(request, "bench/floor.html")


urlpatterns = [
    path("__bench__/floor", floor_view),
    path("__bench__/base", base_floor_view),
    *portal_patterns,
]
