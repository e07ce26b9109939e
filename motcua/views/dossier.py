"""One dossier for staff: data, papers, history, the actions this user may take, and the
printable forms 02 (supplement), 04 (apology), 05 (stop notice), the refusal after appraisal
and the control sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.once import once_per_token
from core.pdf import pdf_response, render_pdf
from thutuc.accounts.audit import log_access
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import can_see_agency
from thutuc.models import AccessAction

from ..forms_processing import ACTION_FORMS, action_look
from ..models import Apology, EventAction, Rating, Status, SupplementRequest
from ..selectors_processing import (
    control_sheet_rows,
    dossier_events,
    is_staff_member,
    openable_dossiers,
    sees_by_agency,
    with_deadline_text,
)
from ..services.rating import RATEABLE_STATUSES
from ..services.transitions import SERVICES, TransitionError, available_actions


def _get_dossier(request, code):
    if not is_staff_member(request.user):
        raise PermissionDenied
    # Whoever acted on the dossier keeps reading it after handing it on (openable_dossiers).
    queryset = openable_dossiers(request.user).select_related(
        "procedure",
        "case",
        "case_version",
        "receiving_agency",
        "receiving_agency__parent",
        "competent_agency__parent",
        "applicant_commune",
        "current_unit",
        "assignee",
        "received_by",
        "current_step",
        "apology",
        "rating__recorded_by",
    )
    return get_object_or_404(queryset, code=code)


def _render_detail(request, dossier, *, bound=None, status=200, error=""):
    actions = available_actions(request.user, dossier)
    forms = []
    for transition in actions:
        form_class = ACTION_FORMS[transition.action]
        if bound is not None and bound.prefix == transition.action:
            form = bound
        else:
            form = form_class(dossier=dossier, prefix=transition.action)
        look, confirm = action_look(transition.action, dossier.code)
        forms.append((transition, form, look, confirm))
    events = dossier_events(dossier)
    with_deadline_text([dossier])
    context = {
        "dossier": dossier,
        "action_forms": forms,
        "events": events,
        "documents": list(dossier.documents.all()),
        "supplements": list(
            dossier.supplement_requests.select_related("requested_by").order_by("requested_at")
        ),
        "apology": getattr(dossier, "apology", None) if _has_apology(dossier) else None,
        "stopped": _has_stop_notice(dossier),
        "transfer_late": dossier.transfer_due_at is not None
        and dossier.handed_over_at is None
        and timezone.now() > dossier.transfer_due_at,
        "rating": _rating(dossier),
        **_counter_links(request.user, dossier),
        "open_form": bound.prefix if bound is not None else "",
        "action_error": error,
        # opened only because the user acted on it: it is now in another agency's hands
        "read_only_elsewhere": not sees_by_agency(request.user, dossier),
    }
    return render(request, "motcua/dossier_detail.html", context, status=status)


def _rating(dossier):
    try:
        return dossier.rating
    except Rating.DoesNotExist:
        return None


def _counter_links(user, dossier) -> dict:
    """The counter's pages for this dossier: the receipt (and a new PIN) and the rating
    recorded on the citizen's behalf, shown to those the counter's views let in."""
    at_counter = can_see_agency(user, dossier.receiving_agency_id)
    reception = at_counter and has_role(user, Role.RECEPTION)
    return {
        "can_print_receipt": at_counter,
        "can_reissue_pin": reception,
        "can_rate_on_behalf": reception
        and user.has_perm("motcua.add_rating")
        and dossier.status in RATEABLE_STATUSES
        and _rating(dossier) is None,
    }


def _has_stop_notice(dossier) -> bool:
    """Form 05 exists for a stop decided by the agency and for a stop at the applicant's
    request (NĐ 118/2025 Điều 21), not for a dossier closed for want of a supplement."""
    return bool(dossier.stop_notice_number) and dossier.status in (Status.STOPPED, Status.WITHDRAWN)


def _has_apology(dossier) -> bool:
    try:
        return dossier.apology is not None
    except Apology.DoesNotExist:
        return False


@login_required
def dossier_detail(request, code):
    dossier = _get_dossier(request, code)
    log_access(request, action=AccessAction.VIEW, obj=dossier)
    return _render_detail(request, dossier)


@login_required
@require_POST
@once_per_token
def dossier_action(request, code, action):
    dossier = _get_dossier(request, code)
    if action not in SERVICES:
        raise Http404
    form = ACTION_FORMS[action](request.POST, dossier=dossier, prefix=action)
    if not form.is_valid():
        return _render_detail(request, dossier, bound=form, status=400)
    try:
        result = form.call(SERVICES[action], dossier=dossier, actor=request.user)
    except TransitionError as exc:
        form.add_error(None, str(exc))
        # The status may have changed under us (another officer): show the fresh dossier, the
        # message above the actions (the form itself may no longer be offered).
        return _render_detail(request, _get_dossier(request, code), bound=form, status=409, error=str(exc))
    updated = getattr(result, "dossier", result)
    messages.success(request, f"{EventAction(action).label}: {dossier.code}.")
    for warning in getattr(updated, "transition_warnings", []):
        messages.warning(request, warning)
    return redirect("motcua:dossier_detail", code=dossier.code)


# --- printable forms ---------------------------------------------------------------------------


def _pdf_context(dossier, *, issuer=None, **extra):
    """What every printed form of a dossier gets: the dossier, the body that issues the act
    (`issuer`, on the letterhead: the competent agency for form 02, form 04 and the refusal
    after appraisal — NĐ 118/2025 Điều 19 khoản 3, 5, 6 —, else the receiving counter) and
    the one-stop counter it goes through (`one_stop`)."""
    one_stop = dossier.receiving_agency
    issuer = issuer or one_stop
    return {
        "dossier": dossier,
        "issuer": issuer,
        "one_stop": one_stop,
        "agency_name": issuer.name,
        "parent_agency_name": issuer.parent.name if issuer.parent_id else "",
        "today": timezone.localtime(),
        **extra,
    }


@login_required
def supplement_pdf(request, code, pk):
    dossier = _get_dossier(request, code)
    request_ = get_object_or_404(
        SupplementRequest.objects.select_related("requested_by", "issuing_agency__parent"),
        dossier=dossier,
        pk=pk,
    )
    log_access(
        request,
        action=AccessAction.PRINT,
        obj=dossier,
        label=_("Mẫu 02 số %(number)s") % {"number": request_.number},
    )
    context = _pdf_context(
        dossier,
        issuer=request_.issuing_agency or dossier.competent_agency,
        number=request_.number,
        supplement=request_,
        items=request_.item_rows,
    )
    pdf = render_pdf("motcua/pdf/form02_supplement.html", context, request=request)
    return pdf_response(pdf, f"phieu-bo-sung-{dossier.code}.pdf")


@login_required
def apology_pdf(request, code):
    dossier = _get_dossier(request, code)
    if not _has_apology(dossier):
        raise Http404
    apology = dossier.apology
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=_("Mẫu 04 (xin lỗi, hẹn lại)"))
    context = _pdf_context(
        dossier,
        issuer=apology.issuing_agency or dossier.competent_agency,
        number=apology.number,
        apology=apology,
    )
    pdf = render_pdf("motcua/pdf/form04_apology.html", context, request=request)
    return pdf_response(pdf, f"xin-loi-{dossier.code}.pdf")


@login_required
def stop_notice_pdf(request, code):
    dossier = _get_dossier(request, code)
    if not _has_stop_notice(dossier):
        raise Http404
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=_("Thông báo dừng giải quyết"))
    context = _pdf_context(
        dossier,
        number=dossier.stop_notice_number,
        at_applicant_request=dossier.status == Status.WITHDRAWN,
        fees_to_refund=dossier.fee_refund_amount,
        refund_note=dossier.fee_refund_note,
    )
    pdf = render_pdf("motcua/pdf/form05_stop.html", context, request=request)
    return pdf_response(pdf, f"thong-bao-dung-{dossier.code}.pdf")


@login_required
def refusal_pdf(request, code):
    """The refusal after appraisal (NĐ 118/2025 Điều 19 khoản 3, "Phiếu từ chối giải quyết hồ
    sơ"): issued by the competent agency, sent through the one-stop, the dossier's result."""
    dossier = _get_dossier(request, code)
    if not dossier.refusal_notice_number:
        raise Http404
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=_("Phiếu từ chối giải quyết hồ sơ"))
    context = _pdf_context(
        dossier,
        issuer=dossier.competent_agency,
        number=dossier.refusal_notice_number,
        refused_at=timezone.localtime(dossier.finished_at),
        reason=dossier.outcome_reason,
    )
    pdf = render_pdf("motcua/pdf/refusal_after_appraisal.html", context, request=request)
    return pdf_response(pdf, f"phieu-tu-choi-giai-quyet-{dossier.code}.pdf")


@login_required
def control_sheet_pdf(request, code):
    dossier = _get_dossier(request, code)
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=_("Phiếu kiểm soát (Mẫu 05)"))
    rows = control_sheet_rows(dossier, dossier_events(dossier))
    context = _pdf_context(dossier, rows=rows)
    pdf = render_pdf("motcua/pdf/control_sheet.html", context, request=request)
    return pdf_response(pdf, f"phieu-kiem-soat-{dossier.code}.pdf")
