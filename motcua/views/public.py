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
