"""The portal's URLs plus the floor: a bare view behind the same middleware."""

from django.http import HttpResponse
from django.urls import path

from motcua.urls import urlpatterns as portal_patterns


def floor_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/floor", floor_view), *portal_patterns]
