"""One dossier for staff: data, papers, history, the actions this user may take, and the
printable forms numbered as TT 03/2025/TT-VPCP: 02 (supplement), 03 (refusal after appraisal),
04 (apology), 05 (stop notice), 06 (control sheet)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.once import once_per_token
from core.pdf import pdf_response, qr_svg, render_pdf
from thutuc.accounts.audit import log_access
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import can_see_agency
from thutuc.models import AccessAction

from .. import printed_forms
from ..forms_citizen import ScanForm
from ..forms_processing import ACTION_FORMS, action_look
from ..models import Apology, DossierEvent, EventAction, Outcome, Rating, Status, SupplementRequest
from ..selectors_processing import (
    control_sheet_rows,
    dossier_events,
    first_late_step,
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


def _render_detail(request, dossier, *, bound=None, status=200, error="", fee_forms=None, result_form=None):
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
    documents = list(dossier.documents.all())
    with_deadline_text([dossier])
    late_step = None
    if dossier.deadline_css == "status-bad":  # overdue now, or finished late
        late_step = first_late_step(control_sheet_rows(dossier, events), now=timezone.now())
    context = {
        "late_step": late_step,
        "dossier": dossier,
        "action_forms": forms,
        "events": events,
        "documents": documents,
        "paper_files": list(dossier.paper_files.select_related("added_by").order_by("added_at", "pk")),
        "scan_form": ScanForm(documents=dossier.documents.all())
        if _can_scan(request.user, dossier)
        else None,
        "supplements": list(
            dossier.supplement_requests.select_related("requested_by").order_by("requested_at")
        ),
        "apology": getattr(dossier, "apology", None) if _has_apology(dossier) else None,
        "stopped": _has_stop_notice(dossier),
        "refused": dossier.outcome == Outcome.REFUSED,
        "transfer_late": dossier.transfer_due_at is not None
        and dossier.handed_over_at is None
        and timezone.now() > dossier.transfer_due_at,
        "forms": printed_forms.FORMS,
        "rating": _rating(dossier),
        **_counter_links(request.user, dossier),
        "open_form": bound.prefix if bound is not None else "",
        "action_error": error,
        # opened only because the user acted on it: it is now in another agency's hands
        "read_only_elsewhere": not sees_by_agency(request.user, dossier),
        **_fees_and_result(request.user, dossier, fee_forms or {}, result_form),
    }
    return render(request, "motcua/dossier_detail.html", context, status=status)


def _can_scan(user, dossier) -> bool:
    """The counter of the receiving agency attaches scans (at intake, at the return)."""
    return has_role(user, Role.RECEPTION) and can_see_agency(user, dossier.receiving_agency_id)


def _fees_and_result(user, dossier, fee_forms, result_form) -> dict:
    """The fee ledger with the forms of whoever may write it, and the electronic result
    (its QR code to the public verification page) or its upload form."""
    from ..forms_fees import ElectronicResultForm
    from ..services import results
    from ..services.fees import ledger_of
    from .fees import FEE_ACTIONS, may_record_fees
    from .results import verification_url

    ledger = ledger_of(dossier)
    writer = may_record_fees(user, dossier)
    forms = []
    if writer:
        for what, (form_class, _service, _done) in FEE_ACTIONS.items():
            offered = {
                "nop": ledger.balance > 0,
                "mien-giam": ledger.balance > 0,
                "hoan-tra": ledger.refundable > 0,
            }
            if offered[what] or what in fee_forms:
                forms.append((what, fee_forms.get(what) or form_class(prefix=f"fee-{what}")))
    result = results.result_of(dossier)
    return {
        "ledger": ledger,
        "fee_forms": forms,
        "fee_form_open": next(iter(fee_forms), ""),
        # the form sent back with its errors (fee or result), for the bad-input tests
        "bound_form": next(iter(fee_forms.values()), None) or result_form,
        "electronic_result": result,
        "result_qr": qr_svg(verification_url(result)) if result else "",
        "result_verify_url": verification_url(result) if result else "",
        "result_form": (result_form or ElectronicResultForm(prefix="ket-qua"))
        if writer and result is None and results.can_attach(dossier)
        else None,
    }


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
        # the register (Mẫu số 07) of the counter, for whoever the register's pages let in
        "can_print_register": at_counter
        and (user.is_superuser or has_role(user, Role.RECEPTION, Role.LEADER, Role.HOME_AFFAIRS)),
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


# The history event behind form 05: a stop decided by the agency, or one at the applicant's
# request (NĐ 118/2025 Điều 21), recorded as a withdrawal.
_STOP_ACTIONS = {Status.STOPPED: EventAction.STOP, Status.WITHDRAWN: EventAction.WITHDRAW}


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


# --- printable forms (TT 03/2025/TT-VPCP, Phụ lục I; motcua/printed_forms.py) ----------------------


def _print(request, dossier, form, template, context, filename):
    number = context.get("number")
    label = f"{form} số {number}" if number else str(form)
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=label)
    pdf = render_pdf(template, context, request=request)
    return pdf_response(pdf, f"{filename}-{dossier.code}.pdf")


def _last_event(dossier, action):
    return (
        DossierEvent.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


@login_required
def supplement_pdf(request, code, pk):
    """Mẫu số 02 after acceptance, by the competent agency (NĐ 118/2025/NĐ-CP Điều 19 khoản 5)."""
    dossier = _get_dossier(request, code)
    request_ = get_object_or_404(
        SupplementRequest.objects.select_related("requested_by", "issuing_agency__parent"),
        dossier=dossier,
        pk=pk,
    )
    context = printed_forms.supplement_after_acceptance(dossier, request_)
    return _print(
        request,
        dossier,
        printed_forms.SUPPLEMENT,
        "motcua/pdf/form02_supplement.html",
        context,
        "phieu-bo-sung",
    )


@login_required
def refusal_pdf(request, code):
    """Mẫu số 03 after appraisal, by the competent agency (NĐ 118/2025/NĐ-CP Điều 19 khoản 3)."""
    dossier = _get_dossier(request, code)
    event = _last_event(dossier, EventAction.REFUSE)
    if dossier.outcome != Outcome.REFUSED or event is None:
        raise Http404
    context = printed_forms.refusal_after_appraisal(dossier, event)
    return _print(request, dossier, printed_forms.REFUSAL, "motcua/pdf/refusal_slip.html", context, "tu-choi")


@login_required
def apology_pdf(request, code):
    """Mẫu số 04, by the competent agency (NĐ 118/2025/NĐ-CP Điều 19 khoản 6)."""
    dossier = _get_dossier(request, code)
    if not _has_apology(dossier):
        raise Http404
    context = printed_forms.apology_context(dossier, dossier.apology)
    return _print(
        request, dossier, printed_forms.APOLOGY, "motcua/pdf/form04_apology.html", context, "xin-loi"
    )


@login_required
def stop_notice_pdf(request, code):
    """Mẫu số 05, by the competent agency (NĐ 118/2025/NĐ-CP Điều 21)."""
    dossier = _get_dossier(request, code)
    if not _has_stop_notice(dossier):
        raise Http404
    context = printed_forms.stop_notice_context(dossier, _last_event(dossier, _STOP_ACTIONS[dossier.status]))
    return _print(
        request, dossier, printed_forms.STOP_NOTICE, "motcua/pdf/form05_stop.html", context, "thong-bao-dung"
    )


@login_required
def control_sheet_pdf(request, code):
    """Mẫu số 06, kept by the one-stop with the receipt."""
    dossier = _get_dossier(request, code)
    rows = control_sheet_rows(dossier, dossier_events(dossier))
    context = printed_forms.control_sheet_context(dossier, rows)
    return _print(
        request,
        dossier,
        printed_forms.CONTROL_SHEET,
        "motcua/pdf/control_sheet.html",
        context,
        "phieu-kiem-soat",
    )
