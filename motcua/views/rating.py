"""The counter records a citizen's rating on their behalf (reception role, own agency)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.once import once_per_token
from thutuc.accounts.visibility import restrict_to_visible

from ..models import Dossier, Rating
from ..services.rating import RATEABLE_STATUSES, dossier_rate
from ..tracking.forms import RatingForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@once_per_token
def rating_on_behalf(request, code):
    if not request.user.has_perm("motcua.add_rating"):
        raise PermissionDenied
    dossier = get_object_or_404(
        restrict_to_visible(
            Dossier.objects.select_related("procedure", "receiving_agency"),
            request.user,
            field="receiving_agency",
        ),
        code=code,
    )
    rating = Rating.objects.filter(dossier=dossier).select_related("recorded_by").first()
    form = RatingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            dossier_rate(
                dossier=dossier,
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
                recorded_by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Đã ghi nhận đánh giá của công dân cho hồ sơ %(code)s.") % {"code": code}
            )
            return redirect("motcua:rating_on_behalf", code=dossier.code)
    return render(
        request,
        "motcua/rating_on_behalf.html",
        {
            "dossier": dossier,
            "rating": rating,
            "form": form,
            "can_rate": rating is None and dossier.status in RATEABLE_STATUSES,
        },
        status=200 if not form.errors else 400,
    )
