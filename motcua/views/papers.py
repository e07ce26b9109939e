"""Staff side of the papers' files: a download checked against the dossier's (or the online
submission's) visibility and written to the access log; the counter's scan upload."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.once import once_per_token
from thutuc.accounts.audit import log_access
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import can_see_agency, restrict_to_visible
from thutuc.models import AccessAction

from ..forms_citizen import ScanForm
from ..models import OnlineSubmission, PaperFile
from ..selectors_processing import openable_dossiers
from ..services.dossier_papers import dossier_scan_add
from .citizen import _file_response
from .dossier import _get_dossier
from .intake import staff_required


@never_cache
@staff_required
def paper_download(request, pk):
    paper = get_object_or_404(PaperFile.objects.select_related("filing__submission"), pk=pk)
    owner = None
    if paper.dossier_id and openable_dossiers(request.user).filter(pk=paper.dossier_id).exists():
        owner = paper.dossier
    elif paper.filing_id and paper.filing.submission_id:
        owner = (
            restrict_to_visible(OnlineSubmission.objects.all(), request.user, field="agency")
            .filter(pk=paper.filing.submission_id)
            .first()
        )
    if owner is None:
        raise Http404
    response = _file_response(paper)
    log_access(request, action=AccessAction.DOWNLOAD, obj=owner, label=paper.original_name)
    return response


@require_POST
@staff_required
@once_per_token
def dossier_scan(request, code):
    dossier = _get_dossier(request, code)
    if not (
        has_role(request.user, Role.RECEPTION) and can_see_agency(request.user, dossier.receiving_agency_id)
    ):
        raise PermissionDenied
    form = ScanForm(request.POST, request.FILES, documents=dossier.documents.all())
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("motcua:dossier_detail", code=dossier.code)
    try:
        dossier_scan_add(
            dossier=dossier,
            actor=request.user,
            uploads=[form.upload()],
            purpose=form.cleaned_data["purpose"],
            valid_until=form.cleaned_data["valid_until"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã lưu bản quét vào hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect("motcua:dossier_detail", code=dossier.code)
