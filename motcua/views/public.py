from django.shortcuts import render

from thutuc.models import Agency


def home(request):
    """Public home: search a procedure, track a dossier, send feedback, hotline numbers."""
    hotlines = (
        Agency.objects.filter(is_active=True)
        .exclude(hotline="")
        .only("name", "hotline", "phone")
        .order_by("level", "name")[:12]
    )
    return render(request, "home.html", {"hotlines": hotlines})


def bad_request(request, exception=None):
    """400: a query parameter (or another part of the request) the page cannot use; the
    reasons of a core.params.InvalidQuery are listed (handler400 in motcua/urls.py)."""
    reasons = getattr(exception, "messages", None) or []
    return render(request, "400.html", {"reasons": reasons}, status=400)
