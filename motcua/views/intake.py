"""Intake at the counter: search the procedure, fill one form, accept / incomplete /
refuse; then the receipt (form 01) or the slip (form 02 / 03) as A5 PDFs."""

from __future__ import annotations

import uuid
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import pins
from core.once import once_per_token
from core.params import IdField, QueryForm, choice_field
from core.pdf import pdf_response, qr_svg, render_pdf
from thutuc.accounts.audit import log_access
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import restrict_to_visible
from thutuc.catalogue.rules import receipt_fee_line
from thutuc.catalogue.versions import not_receivable_reason
from thutuc.competence import propose_competent_agency
from thutuc.models import AccessAction, ProcedureCase

from .. import printed_forms
from ..intake_forms import IntakeForm, receivable_procedures, search_procedures
from ..models import Channel, Dossier, IntakeAttempt, IntakeOutcome, OnlineSource
from ..selectors_processing import is_staff_member
from ..services.intake import AlreadySubmitted, dossier_receive, dossier_reissue_pin, intake_attempt_record
from ..services.online import online_submission_record
from ..tracking import links
from ..tracking.selectors import appointment_summary

# The plain PIN exists only at intake (and at a reissue). The officer's session keeps it
# *sealed* (core.pins.seal: encrypted, bound to the code, readable for one working day),
# for the receipts printed in that session only; it is never written anywhere in clear.
SESSION_PINS = "counter_receipt_pins"
SESSION_PINS_KEPT = 30


def reception_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not has_role(request.user, Role.RECEPTION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def remember_pin(request, code: str, pin: str) -> None:
    kept = dict(request.session.get(SESSION_PINS, {}))
    kept.pop(code, None)
    kept[code] = pins.seal(code, pin)
    request.session[SESSION_PINS] = dict(list(kept.items())[-SESSION_PINS_KEPT:])


def remembered_pin(request, dossier: Dossier) -> str:
    """The PIN this session printed for the dossier, if it is still the dossier's PIN: after
    a reissue (in this tab or another officer's) the old one is dead and never printed again
    (issue 13 §2): the receipt is then a reprint without PIN."""
    sealed = request.session.get(SESSION_PINS, {}).get(dossier.code, "")
    pin = pins.unseal(dossier.code, sealed, max_age=settings.SESSION_COOKIE_AGE)
    return pin if pin and pins.check_pin(dossier.code, pin, dossier.pin_hash) else ""


def _parse_token(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def _redirect_to(obj):
    if isinstance(obj, Dossier):
        return redirect("motcua:intake_done", code=obj.code)
    return redirect("motcua:intake_attempt", number=obj.number)


class IntakeQuery(QueryForm):
    """?q= (search) &partial=1 (results only) &thu_tuc= (procedure code) &truong_hop= (case
    id); the procedure and case also come with the POST of the form."""

    q = forms.CharField(label=gettext_lazy("Tìm thủ tục"), max_length=200, required=False)
    partial = choice_field(["1"], label=gettext_lazy("Chỉ kết quả"))
    thu_tuc = forms.CharField(label=gettext_lazy("Mã thủ tục"), max_length=64, required=False)
    truong_hop = IdField(label=gettext_lazy("Trường hợp"))


@reception_required
def intake(request):
    agency = request.user.agency
    if agency is None or not agency.can_receive_dossiers:
        return render(request, "motcua/intake/unavailable.html", {"agency": agency}, status=403)
    source = request.POST if request.method == "POST" else request.GET
    params = IntakeQuery.parse(source)
    query = params["q"] if request.method == "GET" else ""
    procedure_code = params["thu_tuc"]
    context = {"agency": agency, "query": query}
    if not procedure_code:
        results = list(search_procedures(agency, query)) if query else []
        if len(results) == 1 and params["partial"] != "1":
            return redirect(f"{request.path}?thu_tuc={results[0].code}")
        context["results"] = results
        if params["partial"] == "1":
            return render(request, "motcua/intake/_results.html", context)
        context["attempts"] = IntakeAttempt.objects.filter(
            agency=agency, at__date=timezone.localdate()
        ).select_related("procedure")[:10]
        return render(request, "motcua/intake/search.html", context)

    procedure = get_object_or_404(
        receivable_procedures(agency).select_related("field", "competent_agency"), code=procedure_code
    )
    # Only the cases in force: a case withdrawn from the catalogue receives nothing new.
    cases = list(procedure.cases.filter(is_active=True))
    if params["truong_hop"]:
        case = get_object_or_404(ProcedureCase, pk=params["truong_hop"], procedure=procedure, is_active=True)
    elif len(cases) == 1:
        case = cases[0]
    else:
        return render(
            request, "motcua/intake/cases.html", {**context, "procedure": procedure, "cases": cases}
        )
    case = ProcedureCase.objects.prefetch_related("documents", "fees", "channels").get(pk=case.pk)

    action = request.POST.get("action", "accept")
    token = _parse_token(source.get("token")) or uuid.uuid4()
    if request.method == "POST":
        form = IntakeForm(request.POST, case=case, action=action)
        if form.is_valid():
            try:
                return _submit(request, form, procedure=procedure, case=case, agency=agency, token=token)
            except AlreadySubmitted as done:
                messages.info(
                    request, _("Biểu mẫu này đã được gửi trước đó: không lập thêm hồ sơ, phiếu nào.")
                )
                return _redirect_to(done.obj)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
    else:
        form = IntakeForm(case=case)
    # A case without a stated time cannot be received (no appointment can be promised): say
    # so before the officer fills the form; the service refuses it anyway.
    context["not_receivable"] = not_receivable_reason(case, form_channel(form))
    return render(
        request,
        "motcua/intake/form.html",
        {
            **context,
            "procedure": procedure,
            "case": case,
            "cases": cases,
            "form": form,
            "token": token,
            "proposed_competent": propose_competent_agency(procedure=procedure, receiving_agency=agency),
        },
    )


def form_channel(form) -> str:
    """The channel the intake form says (the direct counter until the officer chooses one;
    read through the form, and only one of the known channels)."""
    channel = form["channel"].value() if "channel" in form.fields else ""
    return channel if channel in Channel.values else Channel.DIRECT


def _submit(request, form, *, procedure, case, agency, token):
    common = {
        "procedure": procedure,
        "case": case,
        "agency": agency,
        "actor": request.user,
        "applicant": form.applicant(),
        "channel": form.cleaned_data["channel"],
        "intake_token": token,
    }
    if form.action == "online":
        submission = online_submission_record(
            agency=agency,
            procedure=procedure,
            case=case,
            applicant=form.applicant(),
            documents=form.received_documents(),
            national_portal_code=form.cleaned_data["national_portal_code"],
            source=OnlineSource.COUNTER,
            recorded_by=request.user,
            submitted_at=form.cleaned_data.get("submitted_at"),
            summary=form.cleaned_data["summary"],
            number_of_sets=form.cleaned_data["number_of_sets"],
            result_delivery=form.cleaned_data["result_delivery"],
            delivery_address=form.cleaned_data["delivery_address"],
        )
        messages.success(
            request,
            _("Đã đưa hồ sơ %(code)s vào danh sách hồ sơ trực tuyến chờ kiểm tra.")
            % {"code": submission.national_portal_code},
        )
        return redirect("motcua:online_detail", pk=submission.pk)
    if form.action == "accept":
        # The same form may have been recorded as incomplete first and completed on the spot.
        dossier, pin = dossier_receive(
            **common,
            documents=form.received_documents(),
            national_portal_code=form.cleaned_data["national_portal_code"],
            summary=form.cleaned_data["summary"],
            number_of_sets=form.cleaned_data["number_of_sets"],
            result_delivery=form.cleaned_data["result_delivery"],
            delivery_address=form.cleaned_data["delivery_address"],
            competent_agency=form.cleaned_data["competent_agency"],
            applicant_commune=form.cleaned_data["applicant_commune"],
        )
        remember_pin(request, dossier.code, pin)
        messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
        return redirect("motcua:intake_done", code=dossier.code)
    if Dossier.objects.filter(intake_token=token).exists():
        raise AlreadySubmitted(Dossier.objects.get(intake_token=token))
    if form.action == "incomplete":
        attempt = intake_attempt_record(
            **common,
            outcome=IntakeOutcome.INCOMPLETE,
            missing_documents=form.missing_documents(),
            reason=form.cleaned_data["reason"],
        )
    else:
        attempt = intake_attempt_record(
            **common, outcome=IntakeOutcome.REFUSED, reason=form.cleaned_data["reason"]
        )
    return redirect("motcua:intake_attempt", number=attempt.number)


def _visible_dossier(request, code):
    queryset = restrict_to_visible(Dossier.objects.all(), request.user, field="receiving_agency")
    return get_object_or_404(
        queryset.select_related(
            "procedure", "case_version", "receiving_agency__parent", "competent_agency", "received_by"
        ),
        code=code,
    )


@staff_required
def intake_done(request, code):
    dossier = _visible_dossier(request, code)
    return render(
        request,
        "motcua/intake/done.html",
        {
            "dossier": dossier,
            "pin": remembered_pin(request, dossier),
            "can_reissue": has_role(request.user, Role.RECEPTION),
        },
    )


@reception_required
@require_POST
@once_per_token
def receipt_reissue(request, code):
    dossier = _visible_dossier(request, code)
    pin = dossier_reissue_pin(dossier=dossier, actor=request.user)
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=_("Cấp lại mã tra cứu"))
    remember_pin(request, dossier.code, pin)
    messages.success(request, _("Đã cấp mã tra cứu mới; mã trên giấy tiếp nhận cũ không còn dùng được."))
    return redirect("motcua:intake_done", code=dossier.code)


def _receipt_context(request, dossier) -> dict:
    """What form 01 shows, the same in the PDF and in the browser's print view. The PIN only
    while it is the dossier's current one (a reprint after a reissue elsewhere has none)."""
    pin = remembered_pin(request, dossier)
    url = links.tracking_url(dossier.code, pin)
    issuer = printed_forms.one_stop_issuer(dossier.receiving_agency)
    return {
        **printed_forms.letterhead(
            issuer,
            form=printed_forms.RECEIPT,
            number=printed_forms.receipt_number(dossier),
            when=timezone.localtime(dossier.received_at),
        ),
        "dossier": dossier,
        "competent": dossier.competent_agency,
        # Short paper names and the fees of the terms the dossier was received under: the
        # receipt reprints the same whatever the catalogue has become.
        "documents": printed_forms.printed_papers(dossier.documents.all()),
        "fees": [receipt_fee_line(fee) for fee in dossier.case_version.fees],
        "delivery_options": printed_forms.delivery_options(dossier.result_delivery),
        "pin": pin,
        "qr": qr_svg(url),
        "received": timezone.localtime(dossier.received_at),
        "due": timezone.localtime(dossier.due_at),
        "due_explained": appointment_summary(dossier),
        "applicant_sig": printed_forms.person_signature(_("Người nộp hồ sơ")),
        "officer_sig": printed_forms.person_signature(_("Người tiếp nhận hồ sơ"), dossier.received_by),
    }


@staff_required
def receipt_pdf(request, code):
    dossier = _visible_dossier(request, code)
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=str(printed_forms.RECEIPT))
    pdf = render_pdf("motcua/pdf/receipt.html", _receipt_context(request, dossier), request=request)
    return pdf_response(pdf, f"giay-tiep-nhan-{dossier.code}.pdf")


@staff_required
def receipt_print(request, code):
    """Form 01 as a page that opens the browser's print dialog by itself (the intake result
    page's "In giấy tiếp nhận"): the same content as the PDF, no PDF viewer in between."""
    dossier = _visible_dossier(request, code)
    log_access(request, action=AccessAction.PRINT, obj=dossier, label=str(printed_forms.RECEIPT))
    context = {
        **_receipt_context(request, dossier),
        "layout": "print/base.html",
        "back_url": reverse("motcua:intake_done", kwargs={"code": dossier.code}),
        "pdf_url": reverse("motcua:receipt_pdf", kwargs={"code": dossier.code}),
    }
    return render(request, "motcua/pdf/receipt.html", context)


def _visible_attempt(request, number):
    queryset = restrict_to_visible(IntakeAttempt.objects.all(), request.user, field="agency")
    return get_object_or_404(
        queryset.select_related("procedure", "case", "agency__parent", "officer"), number=number
    )


@staff_required
def intake_attempt(request, number):
    attempt = _visible_attempt(request, number)
    return render(request, "motcua/intake/attempt.html", {"attempt": attempt})


@staff_required
def intake_attempt_pdf(request, number):
    """Form 02 (incomplete) or form 03 (refused) of a dossier not accepted at the counter or
    from the online inbox, issued by the receiving one-stop."""
    attempt = _visible_attempt(request, number)
    if attempt.outcome == IntakeOutcome.INCOMPLETE:
        form, template, context = (
            printed_forms.SUPPLEMENT,
            "motcua/pdf/form02_supplement.html",
            printed_forms.supplement_at_intake(attempt),
        )
    else:
        form, template, context = (
            printed_forms.REFUSAL,
            "motcua/pdf/refusal_slip.html",
            printed_forms.refusal_at_intake(attempt),
        )
    log_access(request, action=AccessAction.PRINT, obj=attempt, label=str(form))
    pdf = render_pdf(template, context, request=request)
    return pdf_response(pdf, f"phieu-{attempt.number}.pdf")
