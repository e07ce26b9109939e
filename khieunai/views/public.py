"""Public pages: submit, track with code + PIN, published answers, attachment download."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import pins, ratelimit
from core.lookup_guard import guarded_lookup
from core.params import page_param
from core.ratelimit import Counter
from thutuc.accounts.audit import log_access
from thutuc.accounts.visibility import can_see_agency
from thutuc.models import AccessAction

from .. import antispam, receipts, selectors, services
from .. import consent as personal_data
from ..confidentiality import can_see_identity
from ..forms import PublicFeedbackForm, TrackForm
from ..models import Feedback, FeedbackAttachment, FeedbackChannel, FeedbackStatus
from .common import apply_errors

SESSION_VERIFIED = "khieunai_verified"  # ids of feedback the visitor unlocked with code + PIN
SESSION_JUST_SUBMITTED = "khieunai_submitted"  # code + sealed PIN, shown once (core.pins.seal)
SUBMITTED_PIN_MAX_AGE = 15 * 60

# Public timeline: which history actions a citizen sees (notes stay internal, except the
# reason for refusal and the body a case was forwarded to, which the law says to tell).
PUBLIC_ACTIONS = {"received", "accepted", "refused", "forwarded", "answered", "forward_answered", "closed"}


@never_cache
def submit(request):
    per_address = Counter("feedback_submit", ratelimit.client_address(request))
    if request.method == "POST":
        form = PublicFeedbackForm(request.POST, request.FILES)
        if ratelimit.is_blocked(per_address):
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _("Bạn đã gửi nhiều đơn trong thời gian ngắn. Vui lòng thử lại sau."))
            return render(request, "khieunai/public/submit.html", _submit_context(form), status=429)
        if form.is_valid() and not antispam.use_token(form.cleaned_data["form_token"]):
            # The same form sent again (a double click, a replay): one token, one submission.
            if SESSION_JUST_SUBMITTED in request.session:
                return redirect("khieunai:submitted")
            form.renew_token()
            form.add_error(None, _("Đơn này đã được gửi. Nếu muốn gửi thêm đơn, vui lòng bấm Gửi lần nữa."))
            return render(request, "khieunai/public/submit.html", _submit_context(form), status=409)
        if form.is_valid():
            data = form.cleaned_data
            try:
                feedback = services.feedback_submit(
                    kind=data["kind"],
                    channel=FeedbackChannel.ONLINE,
                    agency=data["agency"],
                    title=data["title"],
                    content=data["content"],
                    submitter_name=data["submitter_name"],
                    submitter_id_number=data["submitter_id_number"],
                    submitter_phone=data["submitter_phone"],
                    submitter_email=data["submitter_email"],
                    submitter_address=data["submitter_address"],
                    related_dossier_code=data["related_dossier_code"],
                    is_second_instance=data["is_second_instance"],
                    publish_answer=data["publish_answer"],
                    attachments=data["attachments"],
                    consent_at=timezone.now() if data["consent"] else None,
                    email_receipt=bool(data["email_receipt"] and data["submitter_email"]),
                )
            except ValidationError as error:
                form.renew_token()
                apply_errors(form, error)
            else:
                ratelimit.record(per_address)
                request.session[SESSION_JUST_SUBMITTED] = {
                    "code": feedback.code,
                    "sealed_pin": pins.seal(feedback.code, feedback.pin),
                    "emailed_to": mask_email(feedback.submitter_email)
                    if data["email_receipt"] and data["submitter_email"]
                    else "",
                }
                _remember(request, feedback)
                return redirect("khieunai:submitted")
    else:
        form = PublicFeedbackForm()
    return render(request, "khieunai/public/submit.html", _submit_context(form))


def _submit_context(form) -> dict:
    return {
        "form": form,
        "privacy": {"title": personal_data.NOTICE_TITLE, "paragraphs": personal_data.NOTICE_PARAGRAPHS},
    }


@never_cache
def submitted(request):
    """Shows the code and PIN once (they are popped from the session)."""
    stored = request.session.pop(SESSION_JUST_SUBMITTED, None)
    if not isinstance(stored, dict) or "code" not in stored:
        return redirect("khieunai:track")
    code = stored["code"]
    receipt = {
        "code": code,
        "pin": pins.unseal(code, stored.get("sealed_pin", ""), max_age=SUBMITTED_PIN_MAX_AGE),
        "emailed_to": stored.get("emailed_to", ""),
    }
    feedback = Feedback.objects.select_related("agency").get(code=code)
    return render(
        request,
        "khieunai/public/submitted.html",
        {
            "receipt": receipt,
            "feedback": feedback,
            "dates": receipts.expected_dates(feedback),
            "track_url": receipts.track_url(),
        },
    )


def mask_email(address: str) -> str:
    """'nguyenvanan@example.vn' -> 'ng***@example.vn': enough to recognise one's own address."""
    local, _at, domain = (address or "").partition("@")
    return f"{local[:2]}***@{domain}" if domain else ""


def _remember(request, feedback) -> None:
    verified = list(request.session.get(SESSION_VERIFIED, []))
    if feedback.pk not in verified:
        verified = (verified + [feedback.pk])[-20:]
    request.session[SESSION_VERIFIED] = verified


def _public_context(feedback) -> dict:
    events = [e for e in feedback.events.order_by("at", "pk") if e.action in PUBLIC_ACTIONS]
    for event in events:
        event.label = services.ACTION_LABELS.get(event.action, event.action)
    return {
        "feedback": feedback,
        "events": events,
        "attachments": feedback.attachments.all(),
        "answered": feedback.status in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED) and feedback.answer,
    }


@never_cache
def track(request):
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code, pin = form.cleaned_data["code"], form.cleaned_data["pin"]

        def find(code, pin):
            feedback = Feedback.objects.select_related("agency").filter(code=code).first()
            # Same work and the same message whether the code exists or not.
            ok = pins.check_pin(code, pin, feedback.pin_hash if feedback is not None else "x" * 64)
            return feedback if feedback is not None and ok else None

        result = guarded_lookup(
            request,
            scope="feedback_track",
            code=code,
            pin=pin,
            second_factor=form.cleaned_data.get("xac_minh", ""),
            find=find,
            factors_of=selectors.second_factors,
        )
        form.needs_second_factor = result.protected
        if result.status == "found":
            _remember(request, result.obj)
            return render(request, "khieunai/public/status.html", _public_context(result.obj))
        if result.status in ("blocked", "wait"):
            form.add_error(None, _("Bạn đã tra cứu sai nhiều lần. Vui lòng thử lại sau ít phút."))
            return render(request, "khieunai/public/track.html", {"form": form}, status=429)
        if result.status == "verify":
            form.add_error(
                None,
                _(
                    "Mã đơn này vừa bị nhập sai nhiều lần. Để bảo vệ đơn, vui lòng nhập thêm 4 chữ số cuối "
                    "của số điện thoại hoặc số CCCD/định danh đã ghi trong đơn."
                ),
            )
        else:
            form.add_error(None, _("Mã đơn hoặc mã tra cứu không đúng."))
    return render(request, "khieunai/public/track.html", {"form": form})


def published(request):
    page = Paginator(selectors.published_answers(), 20).get_page(page_param(request.GET))
    return render(request, "khieunai/public/published.html", {"page": page})


@never_cache
def attachment(request, pk: int):
    """Files are never served from MEDIA_URL: the visitor must have unlocked the case with
    code + PIN in this session, or be staff who may see it (a denunciation's files only
    for its handlers)."""
    item = get_object_or_404(FeedbackAttachment.objects.select_related("feedback"), pk=pk)
    feedback = item.feedback
    allowed = feedback.pk in request.session.get(SESSION_VERIFIED, [])
    by_staff = False
    user = request.user
    if not allowed and user.is_authenticated and user.has_perm("khieunai.view_feedback"):
        visible = can_see_agency(user, feedback.agency_id) or can_see_agency(user, feedback.handling_unit_id)
        if not visible:
            raise Http404
        if not can_see_identity(user, feedback):
            raise PermissionDenied
        allowed = by_staff = True
    if not allowed:
        raise Http404
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if by_staff:  # a member of staff opening a citizen's file: an access to personal data
        log_access(request, action=AccessAction.DOWNLOAD, obj=feedback, label=item.original_name)
    return response
