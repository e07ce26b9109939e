from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from thutuc.access import visible_agencies
from thutuc.roles import user_roles


@login_required
def staff_home(request):
    """The staff landing page: who you are, where you work, what you can reach."""
    return render(
        request,
        "motcua/staff_home.html",
        {
            "roles": sorted(user_roles(request.user)),
            "agency_count": visible_agencies(request.user).count(),
        },
    )
