"""The citizen's pages (/cong-dan/): sign in with a one-time code, "Hồ sơ của tôi", file a
procedure online (draft → submit), reuse a paper, upload a supplement, download one's own
files, pay a dossier's fees online and download its electronic result. Views stay thin: the
rules live in motcua.citizen, motcua.services.filing and motcua.payments."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.pdf import qr_svg
from thutuc.accounts.audit import log_access
from thutuc.models import AccessAction, Procedure, ProcedureDocument

from ..citizen import selectors, session
from ..citizen.identity import Contact, get_provider
from ..citizen.session import citizen_required
from ..forms_citizen import (
    CodeForm,
    ContactForm,
    FilingForm,
    NextQuery,
    ReuseForm,
    StartForm,
    SupplementUploadForm,
)
from ..models import Dossier, OnlineFiling, OnlineSubmission, PaperFile, PaperPurpose, Status
from ..payments.service import checkout_url, payment_start
from ..services import filing as filing_service
from ..services.dossier_papers import dossier_supplement_upload, open_supplement
from ..services.fees import FeeError, ledgers_of, may_pay_online
from .results import electronic_result_of, result_file_response, verification_url

PENDING = "citizen_pending_contact"


def _home():
    return reverse("motcua:citizen_home")


@never_cache
def citizen_login(request):
    provider = get_provider()
    next_url = session.safe_next(request, NextQuery.parse(request.GET)["next"], _home())
    if not provider.uses_code:
        return redirect(provider.start_url(request))
    form = ContactForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            provider.send_code(contact=contact, request=request)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            request.session[PENDING] = [contact.kind, contact.address]
            return redirect(f"{reverse('motcua:citizen_code')}?{_next_query(next_url)}")
    return render(
        request,
        "motcua/citizen/login.html",
        {"form": form, "next": next_url, "error": error},
        status=400 if request.method == "POST" else 200,
    )


def _next_query(next_url: str) -> str:
    from django.utils.http import urlencode

    return urlencode({"next": next_url})


@never_cache
def citizen_code(request):
    provider = get_provider()
    pending = request.session.get(PENDING)
    next_url = session.safe_next(request, NextQuery.parse(request.GET)["next"], _home())
    if not pending or not provider.uses_code:
        return redirect("motcua:citizen_login")
    contact = Contact(*pending)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity = provider.verify_code(contact=contact, code=form.cleaned_data["code"], request=request)
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            request.session.pop(PENDING, None)
            session.sign_in(request, identity)
            messages.success(request, _("Đã đăng nhập: %(who)s.") % {"who": identity.masked})
            return redirect(next_url)
    masked = session.CitizenIdentity(
        provider="",
        phone=contact.address if contact.kind == "phone" else "",
        email=contact.address if contact.kind == "email" else "",
    ).masked
    return render(
        request,
        "motcua/citizen/code.html",
        {"form": form, "next": next_url, "masked": masked, "by_sms": contact.kind == "phone"},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def citizen_logout(request):
    session.sign_out(request)
    messages.info(request, _("Đã đăng xuất khỏi tài khoản công dân."))
    return redirect("home")


@never_cache
@citizen_required
def citizen_home(request):
    identity = request.citizen
    filings = list(selectors.my_filings(identity))
    dossiers = list(selectors.my_dossiers(identity))
    waiting = selectors.open_supplements([d.pk for d in dossiers if d.status == Status.WAITING_SUPPLEMENT])
    ledgers = ledgers_of(d.pk for d in dossiers)
    for dossier in dossiers:
        dossier.open_supplement = waiting.get(dossier.pk)
        dossier.ledger = ledgers[dossier.pk]
        dossier.can_pay = may_pay_online(dossier, dossier.ledger)
        dossier.result = electronic_result_of(dossier)
        if dossier.result is not None:
            dossier.result_verify_url = verification_url(dossier.result)
            dossier.result_qr = qr_svg(dossier.result_verify_url)
    return render(
        request,
        "motcua/citizen/home.html",
        {
            "identity": identity,
            "drafts": [f for f in filings if f.is_draft],
            "submitted": [f for f in filings if not f.is_draft],
            "dossiers": dossiers,
            "others": list(selectors.my_other_submissions(identity)),
        },
    )


@never_cache
@citizen_required
def filing_new(request, code):
    procedure = get_object_or_404(Procedure, code=code, is_active=True)
    agencies = filing_service.receiving_agencies(procedure)
    form = StartForm(request.POST or None, procedure=procedure, agencies=agencies)
    error = ""
    if not filing_service.is_filed_online(procedure):
        error = _(
            "Thủ tục này chưa được cung cấp dịch vụ công trực tuyến; vui lòng nộp hồ sơ tại bộ phận một cửa."
        )
    elif request.method == "POST" and form.is_valid():
        try:
            filing = filing_service.filing_start(
                identity=request.citizen,
                procedure=procedure,
                case=form.cleaned_data["case"],
                agency=form.cleaned_data["agency"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("motcua:filing_edit", pk=filing.pk)
    return render(
        request,
        "motcua/citizen/filing_new.html",
        {"procedure": procedure, "form": form, "error": error},
        status=400 if error or form.errors else 200,
    )


def _own_filing(request, pk) -> OnlineFiling:
    return get_object_or_404(
        OnlineFiling.objects.filter(selectors.owner_q(request.citizen)).select_related(
            "procedure", "case", "agency"
        ),
        pk=pk,
    )


def _render_filing(request, filing, form=None, *, error_list=(), status=200):
    slots = filing_service.slots(filing)
    agencies = filing_service.receiving_agencies(filing.procedure)
    form = form or FilingForm(instance=filing, agencies=agencies, slots=slots)
    files = list(PaperFile.objects.filter(filing=filing).order_by("pk"))
    reusable = selectors.reusable_papers(request.citizen) if filing.is_draft else []
    own = {paper.reused_from_id or paper.pk for paper in files}
    rows = []
    for slot in slots:
        rows.append(
            {
                "slot": slot,
                "field": form.slot_field(slot),
                "files": [f for f in files if f.procedure_document_id == slot.pk],
                "reusable": [
                    p
                    for p in reusable
                    if p.pk not in own
                    and (
                        p.procedure_document_id == slot.pk
                        or p.name.strip().lower() == slot.name.strip().lower()
                    )
                ],
            }
        )
    return render(
        request,
        "motcua/citizen/filing_edit.html",
        {
            "filing": filing,
            "form": form,
            "rows": rows,
            "bring": filing_service.originals_to_bring(filing),
            "error_list": list(error_list),
            "max_mb": settings.ONLINE_PAPER_MAX_MB,
            "total_mb": settings.ONLINE_FILING_MAX_TOTAL_MB,
        },
        status=status,
    )


@never_cache
@citizen_required
def filing_edit(request, pk):
    filing = _own_filing(request, pk)
    if request.method != "POST":
        return _render_filing(request, filing)
    if not filing.is_draft:
        messages.info(request, _("Hồ sơ %(code)s đã được nộp.") % {"code": filing.portal_code})
        return redirect("motcua:citizen_home")
    slots = filing_service.slots(filing)
    form = FilingForm(
        request.POST,
        request.FILES,
        instance=filing,
        agencies=filing_service.receiving_agencies(filing.procedure),
        slots=slots,
    )
    if not form.is_valid():
        filing.refresh_from_db()
        return _render_filing(request, filing, form, status=400)
    try:
        filing = filing_service.filing_save(
            filing=filing, identity=request.citizen, data=form.data_fields(), uploads=form.uploads()
        )
    except ValidationError as exc:
        filing.refresh_from_db()
        return _render_filing(request, filing, form, error_list=exc.messages, status=400)
    if form.cleaned_data["hanh_dong"] != "nop":
        messages.success(request, _("Đã lưu bản nháp."))
        return redirect("motcua:filing_edit", pk=filing.pk)
    try:
        submission = filing_service.filing_submit(filing=filing, identity=request.citizen)
    except ValidationError as exc:
        if exc.code == "submitted":
            messages.info(request, " ".join(exc.messages))
            return redirect("motcua:citizen_home")
        filing.refresh_from_db()
        return _render_filing(
            request,
            filing,
            FilingForm(
                instance=filing, agencies=filing_service.receiving_agencies(filing.procedure), slots=slots
            ),
            error_list=exc.messages,
            status=400,
        )
    messages.success(
        request,
        _(
            "Đã nộp hồ sơ %(code)s đến %(agency)s. Bộ phận một cửa kiểm tra và tiếp nhận, yêu cầu bổ sung "
            "hoặc từ chối trong 08 giờ làm việc; ông/bà được thông báo qua điện thoại, thư điện tử."
        )
        % {"code": submission.national_portal_code, "agency": submission.agency.name},
    )
    return redirect("motcua:citizen_home")


@require_POST
@citizen_required
def filing_reuse(request, pk):
    """One click: the button's value is "<slot id>-<paper id>"."""
    filing = _own_filing(request, pk)
    form = ReuseForm(request.POST)
    slot = None
    if form.is_valid():
        slot_id, paper_id = form.ids()
        slot = ProcedureDocument.objects.filter(pk=slot_id, case_id=filing.case_id).first()
    try:
        if slot is None:
            raise ValidationError(_("Giấy tờ không hợp lệ."))
        filing_service.filing_reuse_paper(
            filing=filing, identity=request.citizen, paper_id=paper_id, slot=slot
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã dùng lại giấy tờ đã số hóa cho “%(name)s”.") % {"name": slot.print_name or slot.name[:120]},
        )
    return redirect("motcua:filing_edit", pk=filing.pk)


@require_POST
@citizen_required
def filing_remove(request, pk, paper_pk):
    filing = _own_filing(request, pk)
    try:
        filing_service.filing_remove_paper(filing=filing, paper_id=paper_pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã bỏ tệp khỏi hồ sơ."))
    return redirect("motcua:filing_edit", pk=filing.pk)


@require_POST
@citizen_required
def filing_correct(request, pk):
    submission = get_object_or_404(
        OnlineSubmission.objects.filter(
            filing__in=OnlineFiling.objects.filter(selectors.owner_q(request.citizen))
        ),
        pk=pk,
    )
    try:
        draft = filing_service.filing_correct(submission=submission, identity=request.citizen)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("motcua:citizen_home")
    return redirect("motcua:filing_edit", pk=draft.pk)


@never_cache
@citizen_required
def dossier_supplement(request, code):
    dossier = get_object_or_404(
        Dossier.objects.filter(selectors.applicant_q(request.citizen)).select_related(
            "procedure", "receiving_agency"
        ),
        code=code,
    )
    supplement = open_supplement(dossier)
    if supplement is None:
        messages.info(request, _("Hồ sơ %(code)s không chờ bổ sung.") % {"code": dossier.code})
        return redirect("motcua:citizen_home")
    form = SupplementUploadForm(request.POST or None, request.FILES or None, items=supplement.items)
    error_list = []
    if request.method == "POST" and form.is_valid():
        try:
            dossier_supplement_upload(dossier=dossier, identity=request.citizen, uploads=form.uploads())
        except ValidationError as exc:
            error_list = exc.messages
        else:
            messages.success(
                request,
                _(
                    "Đã gửi giấy tờ bổ sung của hồ sơ %(code)s. Khi cơ quan xác nhận đã nhận đủ, "
                    "thời hạn giải quyết được tính lại từ đầu và ông/bà được báo ngày hẹn trả mới."
                )
                % {"code": dossier.code},
            )
            return redirect("motcua:citizen_home")
    uploaded = PaperFile.objects.filter(dossier=dossier, purpose=PaperPurpose.SUPPLEMENT).order_by("pk")
    return render(
        request,
        "motcua/citizen/supplement.html",
        {
            "dossier": dossier,
            "supplement": supplement,
            "form": form,
            "error_list": error_list,
            "uploaded": uploaded,
        },
        status=400 if request.method == "POST" else 200,
    )


def _own_dossier(request, code) -> Dossier:
    """A dossier whose applicant is the signed-in citizen (selectors.applicant_q); anyone
    else's: 404, as if it did not exist."""
    return get_object_or_404(
        Dossier.objects.filter(selectors.applicant_q(request.citizen)).select_related(
            "receiving_agency", "electronic_result"
        ),
        code=code[:40],
    )


@never_cache
@require_POST
@citizen_required
def citizen_pay(request, code):
    """ "Thanh toán trực tuyến" on "Hồ sơ của tôi": the same order and gateway as the tracking
    page (payments.service), authorised by the citizen's session instead of the PIN."""
    dossier = _own_dossier(request, code)
    try:
        payment = payment_start(dossier=dossier)
    except FeeError as exc:
        messages.error(request, str(exc))
        return redirect("motcua:citizen_home")
    return HttpResponseRedirect(
        checkout_url(payment, return_url=request.build_absolute_uri(reverse("payment_return")))
    )


@never_cache
@require_GET
@citizen_required
def citizen_result(request, code):
    """The electronic result of the citizen's own dossier, with an access-log row."""
    dossier = _own_dossier(request, code)
    result = electronic_result_of(dossier)
    if result is None:
        raise Http404
    log_access(
        request,
        action=AccessAction.DOWNLOAD,
        obj=dossier,
        label=_("Kết quả điện tử %s") % result.number,
        username=_("công dân %(who)s") % {"who": request.citizen.masked},
        agency=dossier.receiving_agency_id,
    )
    return result_file_response(result)


@never_cache
@citizen_required
def citizen_file(request, pk):
    paper = get_object_or_404(PaperFile.objects.select_related("dossier", "filing"), pk=pk)
    if not selectors.may_download(request.citizen, paper):
        raise Http404
    response = _file_response(paper)
    log_access(
        request,
        action=AccessAction.DOWNLOAD,
        obj=paper.dossier or paper.filing,
        label=paper.original_name,
        username=_("công dân %(who)s") % {"who": request.citizen.masked},
        agency=(paper.dossier.receiving_agency_id if paper.dossier else paper.filing.agency_id),
    )
    return response


def _file_response(paper: PaperFile) -> FileResponse:
    try:
        handle = paper.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=paper.original_name, content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
