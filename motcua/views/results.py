"""The electronic result: the officer attaches it (dossier page), staff and the citizen
(tracking session) download it through these views only, and anyone verifies it on the
public page its QR code opens (/xac-minh/<token>/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.once import once_per_token
from thutuc.accounts.audit import log_access
from thutuc.models import AccessAction

from ..forms_fees import ElectronicResultForm
from ..models import Dossier, ElectronicResult
from ..services.results import ResultError, result_attach
from ..tracking.masking import mask_name
from ..tracking.selectors import normalise_code
from ..tracking.session import is_tracked
from .dossier import _get_dossier, _render_detail
from .fees import may_record_fees
from .payments import session_expired


def verification_url(result: ElectronicResult) -> str:
    from django.conf import settings

    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("result_verify", args=[result.token])


def electronic_result_of(dossier: Dossier) -> ElectronicResult | None:
    """The dossier's electronic result (read with it when selected with
    "electronic_result"), or None."""
    try:
        return dossier.electronic_result
    except ElectronicResult.DoesNotExist:
        return None


def result_file_response(result: ElectronicResult) -> FileResponse:
    response = FileResponse(
        result.file.open("rb"),
        as_attachment=True,
        filename=f"ket-qua-{result.dossier.code}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
@once_per_token
def result_upload(request, code):
    dossier = _get_dossier(request, code)
    if not may_record_fees(request.user, dossier):
        raise PermissionDenied
    form = ElectronicResultForm(request.POST, request.FILES, prefix="ket-qua")
    if not form.is_valid():
        return _render_detail(request, dossier, status=400, result_form=form)
    data = form.cleaned_data
    try:
        result_attach(
            dossier=dossier,
            actor=request.user,
            number=data["number"],
            issued_on=data["issued_on"],
            upload=data["file"],
        )
    except ResultError as exc:
        form.add_error(None, str(exc))
        return _render_detail(request, dossier, status=409, result_form=form)
    messages.success(request, _("Đã đính kèm kết quả điện tử: %s.") % dossier.code)
    return redirect("motcua:dossier_detail", code=dossier.code)


@login_required
@require_GET
def result_download_staff(request, code):
    dossier = _get_dossier(request, code)
    result = ElectronicResult.objects.filter(dossier=dossier).select_related("dossier").first()
    if result is None:
        raise Http404
    log_access(
        request, action=AccessAction.DOWNLOAD, obj=dossier, label=_("Kết quả điện tử %s") % result.number
    )
    return result_file_response(result)


@never_cache
@require_GET
def result_download_citizen(request, code):
    code = normalise_code(code)[:40]
    if not is_tracked(request, code):
        return session_expired(request)
    result = ElectronicResult.objects.filter(dossier__code=code).select_related("dossier").first()
    if result is None:
        raise Http404
    log_access(
        request,
        action=AccessAction.DOWNLOAD,
        obj=result.dossier,
        label=_("Kết quả điện tử %s (công dân tải khi tra cứu)") % result.number,
    )
    return result_file_response(result)


@require_GET
def result_verify(request, token):
    """Public: what the result itself shows, nothing more (docs/fees.md, "Xác minh")."""
    result = (
        ElectronicResult.objects.select_related("dossier__case_version", "dossier__competent_agency")
        .filter(token=token[:64])
        .first()
    )
    if result is None:
        return render(request, "motcua/results/verify.html", {"result": None}, status=404)
    dossier: Dossier = result.dossier
    return render(
        request,
        "motcua/results/verify.html",
        {
            "result": result,
            "procedure_name": dossier.procedure_name,
            "agency": dossier.competent_agency.name,
            "holder": mask_name(dossier.organisation_name or dossier.applicant_name),
        },
    )
