"""Public pages: submit, track with code + PIN, published answers, attachment download."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua import pins
from motcua.audit import log_access
from motcua.models import AccessAction
from thutuc import ratelimit
from thutuc.access import can_see_agency
from thutuc.params import page_param
from thutuc.ratelimit import Counter

from .. import selectors, services
from ..confidentiality import can_see_identity
from ..forms import PublicFeedbackForm, TrackForm
from ..models import Feedback, FeedbackAttachment, FeedbackChannel, FeedbackStatus
from .common import apply_errors

SESSION_VERIFIED = "khieunai_verified"  # ids of feedback the visitor unlocked with code + PIN
SESSION_JUST_SUBMITTED = "khieunai_submitted"

# Public timeline: which history actions a citizen sees (notes stay internal, except the
# reason for refusal and the body a case was forwarded to, which the law says to tell).
PUBLIC_ACTIONS = {"received", "accepted", "refused", "forwarded", "answered", "closed"}


@never_cache
def submit(request):
    per_address = Counter("feedback_submit", ratelimit.client_address(request))
    if request.method == "POST":
        form = PublicFeedbackForm(request.POST, request.FILES)
        if ratelimit.is_blocked(per_address):
            form.is_valid()
            form.errors.clear()
            form.add_error(None, _("Bạn đã gửi nhiều đơn trong thời gian ngắn. Vui lòng thử lại sau."))
            return render(request, "khieunai/public/submit.html", {"form": form}, status=429)
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
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                ratelimit.record(per_address)
                request.session[SESSION_JUST_SUBMITTED] = {"code": feedback.code, "pin": feedback.pin}
                _remember(request, feedback)
                return redirect("khieunai:submitted")
    else:
        form = PublicFeedbackForm()
    return render(request, "khieunai/public/submit.html", {"form": form})


@never_cache
def submitted(request):
    """Shows the code and PIN once (they are popped from the session)."""
    receipt = request.session.pop(SESSION_JUST_SUBMITTED, None)
    if receipt is None:
        return redirect("khieunai:track")
    feedback = Feedback.objects.select_related("agency").get(code=receipt["code"])
    return render(request, "khieunai/public/submitted.html", {"receipt": receipt, "feedback": feedback})


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
        counters = (
            Counter("feedback_track_address", ratelimit.client_address(request)),
            Counter("feedback_track_code", ratelimit.normalise_code(code)),
        )
        if ratelimit.is_blocked(*counters):
            form.add_error(None, _("Bạn đã tra cứu sai nhiều lần. Vui lòng thử lại sau ít phút."))
            return render(request, "khieunai/public/track.html", {"form": form}, status=429)
        feedback = Feedback.objects.select_related("agency").filter(code=code).first()
        # Same work and the same message whether the code exists or not.
        if feedback is not None and pins.check_pin(code, pin, feedback.pin_hash):
            _remember(request, feedback)
            return render(request, "khieunai/public/status.html", _public_context(feedback))
        pins.check_pin(code, pin, "x" * 64)
        ratelimit.record(*counters)
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
