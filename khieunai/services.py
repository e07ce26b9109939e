"""Writes of the khieunai app: feedback, complaints, denunciations, hotline calls and the
citizen-reception register. Every status change runs through the portal's workflow frame
(`core.workflow`, the `WORKFLOW` below): it locks the row, checks the transition table
and the actor's right, and the service writes one append-only FeedbackEvent in the same
transaction; messages to the submitter go out after commit (motcua.notifications). A
refused transition raises `TransitionError` (a ValidationError, with `forbidden` set when
the actor lacks the right).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import dates, pins
from core.workflow import Transition, TransitionError, Workflow, table, transition
from motcua.models import Dossier, NotificationChannel
from motcua.notifications.service import notify
from thutuc.accounts.visibility import can_see_agency
from thutuc.models import Agency

from . import deadlines, receipts
from .confidentiality import is_handler
from .models import (
    EVENT_LABELS,
    CallOutcome,
    CitizenReception,
    Feedback,
    FeedbackAttachment,
    FeedbackChannel,
    FeedbackEvent,
    FeedbackKind,
    FeedbackStatus,
    HotlineCall,
    RegisterCounter,
    TriageClass,
)

S = FeedbackStatus

# Code prefix per kind: PA (phản ánh, kiến nghị), KN (khiếu nại), TC (tố cáo);
# the code reads e.g. PA-2026-000123, numbered per prefix and year.
CODE_PREFIX = {FeedbackKind.FEEDBACK: "PA", FeedbackKind.COMPLAINT: "KN", FeedbackKind.DENUNCIATION: "TC"}

# The state machine as data: action, label, statuses it may start from, statuses it may lead
# to (none: unchanged), the permission it needs, and the history's name for it.
TRANSITIONS: dict[str, Transition] = table(
    transition(
        "triage",
        EVENT_LABELS["triaged"],
        S.RECEIVED,
        (S.IN_PROGRESS, S.REJECTED, S.FORWARDED),
        rights="khieunai.triage_feedback",
    ),
    transition(
        "assign",
        EVENT_LABELS["assigned"],
        (S.RECEIVED, S.IN_PROGRESS),
        rights="khieunai.assign_feedback",
        event="assigned",
    ),
    transition(
        "answer",
        EVENT_LABELS["answered"],
        S.IN_PROGRESS,
        S.ANSWERED,
        rights="khieunai.answer_feedback",
        event="answered",
    ),
    transition(
        "close",
        EVENT_LABELS["closed"],
        (S.ANSWERED, S.REJECTED, S.FORWARDED),
        S.CLOSED,
        rights="khieunai.close_feedback",
        event="closed",
    ),
    transition(
        "publish",
        EVENT_LABELS["published"],
        (S.ANSWERED, S.CLOSED),
        rights="khieunai.close_feedback",
        event="published",
    ),
    transition(
        "link",
        EVENT_LABELS["linked"],
        (S.RECEIVED, S.IN_PROGRESS, S.ANSWERED),
        rights="khieunai.triage_feedback",
        event="linked",
    ),
)

# Status each triage class leads to.
TRIAGE_RESULT = {
    TriageClass.NOT_ACCEPTED: S.REJECTED,
    TriageClass.OFFICIAL_CONDUCT: S.FORWARDED,
    TriageClass.WITHIN_COMPETENCE: S.IN_PROGRESS,
    TriageClass.OUTSIDE_COMPETENCE: S.FORWARDED,
}
# NĐ 20/2008 classes apply to feedback; a complaint or denunciation is accepted, refused,
# or sent to the competent agency.
ALLOWED_TRIAGE = {
    FeedbackKind.FEEDBACK: tuple(TRIAGE_RESULT),
    FeedbackKind.COMPLAINT: (
        TriageClass.NOT_ACCEPTED,
        TriageClass.WITHIN_COMPETENCE,
        TriageClass.OUTSIDE_COMPETENCE,
    ),
    FeedbackKind.DENUNCIATION: (
        TriageClass.NOT_ACCEPTED,
        TriageClass.WITHIN_COMPETENCE,
        TriageClass.OUTSIDE_COMPETENCE,
    ),
}

ACTION_LABELS = EVENT_LABELS


# --- helpers ---------------------------------------------------------------------------------


def home_agency(agency: Agency | None) -> Agency | None:
    """The agency itself, or its nearest ancestor with an official identifier (a unit of a
    department records feedback in the department's register)."""
    seen = 0
    while agency is not None and not agency.code and agency.parent_id and seen < 20:
        agency = agency.parent
        seen += 1
    return agency


def next_number(series: str, year: int) -> int:
    """The next number of a series, unique under concurrency (row lock on the counter)."""
    with transaction.atomic():
        updated = RegisterCounter.objects.filter(series=series, year=year).update(
            last_number=F("last_number") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    RegisterCounter.objects.create(series=series, year=year, last_number=1)
                return 1
            except IntegrityError:
                RegisterCounter.objects.filter(series=series, year=year).update(
                    last_number=F("last_number") + 1
                )
        return RegisterCounter.objects.values_list("last_number", flat=True).get(series=series, year=year)


def _year(moment: dt.datetime) -> int:
    return timezone.localtime(moment).year


def find_dossier(code: str, *, user=None) -> Dossier | None:
    """The dossier with `code`, if it exists (and, with a user, if the user may see it)."""
    code = (code or "").strip()
    if not code or "\x00" in code:  # PostgreSQL refuses NUL in a text literal
        return None
    dossier = (
        Dossier.objects.filter(code__iexact=code)
        .only("pk", "code", "receiving_agency_id", "competent_agency_id", "current_unit_id", "status")
        .first()
    )
    if dossier is None or user is None:
        return dossier
    visible = any(
        can_see_agency(user, pk)
        for pk in (dossier.receiving_agency_id, dossier.competent_agency_id, dossier.current_unit_id)
    )
    return dossier if visible else None


def _refusal(actor, feedback: Feedback, transition: Transition) -> str:
    """Why `actor` may not perform `transition` on the (locked) feedback; "" when allowed."""
    if actor is None or not any(actor.has_perm(perm) for perm in transition.rights):
        return _("Bạn không có quyền thực hiện thao tác này.")
    if not (can_see_agency(actor, feedback.agency_id) or can_see_agency(actor, feedback.handling_unit_id)):
        return _("Bạn không có quyền thực hiện thao tác này.")
    # A denunciation is handled only by its handlers (its content and identity are secret).
    if feedback.kind == FeedbackKind.DENUNCIATION and not is_handler(actor, feedback):
        return _("Chỉ người được giao xử lý tố cáo mới được thao tác.")
    return ""


WORKFLOW = Workflow(
    model=Feedback,
    event_model=FeedbackEvent,
    parent="feedback",
    transitions=TRANSITIONS,
    refusal=_refusal,
    wrong_status=gettext_lazy("Không thể thực hiện thao tác này khi trạng thái là “%(status)s”."),
)


def _event(feedback, action, *, before, actor, note="", at=None) -> FeedbackEvent:
    """An event outside a transition of the table: a case entered, an answer copied back."""
    return WORKFLOW.record(
        feedback, action=action, actor=actor, at=at or timezone.now(), status_before=before, note=note
    )


def _refresh_next_due(feedback: Feedback) -> None:
    if feedback.status == S.RECEIVED:
        feedback.next_due_at = feedback.triage_due_at
    elif feedback.status == S.IN_PROGRESS:
        feedback.next_due_at = feedback.due_at
    else:
        feedback.next_due_at = None


def _notify_submitter(feedback: Feedback, action: str, message: str) -> None:
    # A forwarded copy stays quiet: the submitter follows (and hears about) the original.
    if not feedback.submitter_email or feedback.forwarded_from_id:
        return
    url = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/phan-anh/tra-cuu/"
    notify(
        channel=NotificationChannel.EMAIL,
        kind=f"feedback_{action}",
        subject=_("Đơn %(code)s: %(message)s") % {"code": feedback.code, "message": message},
        body=_("Đơn %(code)s của ông/bà: %(message)s. Xem chi tiết tại %(url)s bằng mã đơn và mã tra cứu.")
        % {"code": feedback.code, "message": message, "url": url},
        address=feedback.submitter_email,
        dedupe_key=f"feedback:{feedback.pk}:{action}",
    )


def _check_happened(field: str, value, what) -> None:
    """A date typed by a person lies in the plausible range (core.dates, issue 14 §2)."""
    try:
        dates.check_happened(value, what=what)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


# --- feedback ----------------------------------------------------------------------------------


def feedback_submit(
    *,
    kind: str,
    channel: str,
    agency: Agency,
    title: str,
    content: str,
    submitter_name: str = "",
    submitter_id_number: str = "",
    submitter_phone: str = "",
    submitter_email: str = "",
    submitter_address: str = "",
    related_dossier_code: str = "",
    related_officer=None,
    is_second_instance: bool = False,
    publish_answer: bool = False,
    attachments: list[tuple[object, str]] | None = None,
    received_at: dt.datetime | None = None,
    actor=None,
    consent_at: dt.datetime | None = None,
    email_receipt: bool = False,
    sms_receipt_to: str = "",
) -> Feedback:
    """Enter a feedback, complaint or denunciation in the register.

    Issues its code and a lookup PIN (kept on the returned object as `.pin`, shown once),
    and starts the first legal clock (classify / accept or refuse). With `email_receipt` the
    code and PIN are e-mailed to the submitter's address, with `sms_receipt_to` texted to
    that number (khieunai.receipts)."""
    received_at = received_at or timezone.now()
    _check_happened("received_at", received_at, _("Thời điểm tiếp nhận"))
    agency = home_agency(agency)
    if agency is None or not agency.is_active:
        raise ValidationError({"agency": _("Cơ quan tiếp nhận không hợp lệ.")})
    if kind == FeedbackKind.DENUNCIATION and not (submitter_name.strip() and submitter_address.strip()):
        # Luật Tố cáo 2018: an anonymous denunciation is not handled.
        raise ValidationError({"submitter_name": _("Tố cáo phải ghi rõ họ tên và địa chỉ người tố cáo.")})
    if kind == FeedbackKind.COMPLAINT and not (submitter_name.strip() and submitter_address.strip()):
        # Luật Khiếu nại 2011: the complaint states the complainant's name and address.
        raise ValidationError(
            {"submitter_name": _("Khiếu nại phải ghi rõ họ tên và địa chỉ người khiếu nại.")}
        )
    dossier = None
    if related_dossier_code.strip():
        dossier = find_dossier(related_dossier_code)
        if dossier is None:
            raise ValidationError({"related_dossier_code": _("Không tìm thấy hồ sơ có mã này.")})
    limit = deadlines.triage_limit(kind)
    with transaction.atomic():
        prefix = CODE_PREFIX[kind]
        year = _year(received_at)
        code = f"{prefix}-{year}-{next_number(f'feedback-{prefix}', year):06d}"
        pin = pins.new_pin()
        feedback = Feedback(
            code=code,
            kind=kind,
            channel=channel,
            agency=agency,
            handling_unit=actor.agency if actor is not None and actor.agency_id != agency.pk else None,
            submitter_name=submitter_name.strip(),
            submitter_id_number=submitter_id_number.strip(),
            submitter_phone=submitter_phone.strip(),
            submitter_email=submitter_email.strip(),
            submitter_address=submitter_address.strip(),
            title=title.strip(),
            content=content.strip(),
            related_dossier=dossier,
            related_officer=related_officer,
            is_second_instance=bool(is_second_instance) and kind == FeedbackKind.COMPLAINT,
            publish_answer=bool(publish_answer) and kind != FeedbackKind.DENUNCIATION,
            received_at=received_at,
            triage_due_at=deadlines.compute(limit, received_at, agency=agency),
            triage_rule=limit.key,
            pin_hash=pins.hash_pin(code, pin),
            created_by=actor,
            consent_at=consent_at,
        )
        _refresh_next_due(feedback)
        feedback.full_clean()
        feedback.save()
        for uploaded, content_type in attachments or ():
            attachment = FeedbackAttachment(
                feedback=feedback,
                original_name=(uploaded.name or "tep")[:255],
                content_type=content_type,
                size=uploaded.size,
            )
            attachment.file.save(uploaded.name or "tep", uploaded, save=False)
            attachment.save()
        _event(
            feedback,
            "received",
            before="",
            actor=actor,
            at=received_at,
            note=_("Kênh: %(channel)s") % {"channel": feedback.get_channel_display()},
        )
        if email_receipt:
            receipts.email_receipt(feedback, pin=pin)
        if sms_receipt_to:
            receipts.sms_receipt(feedback, pin=pin, phone=sms_receipt_to)
    feedback.pin = pin
    return feedback


def feedback_triage(
    *,
    feedback: Feedback,
    triage: str,
    note: str = "",
    forwarded_to: str = "",
    forwarded_agency: Agency | None = None,
    is_complex: bool | None = None,
    is_remote_area: bool | None = None,
    is_second_instance: bool | None = None,
    at: dt.datetime | None = None,
    actor,
) -> Feedback:
    """Classify (NĐ 20/2008) or accept / refuse (khiếu nại, tố cáo).

    Within competence: accepted now, the resolution clock starts (calendar days for
    complaints and denunciations, working days for feedback). Not accepted: the reason is
    required (the written notice states it). Forwarded: the receiving body is required —
    an agency of the portal (`forwarded_agency`: the case is entered in its register, with
    this history, and its answer comes back here) or, for a body outside the portal, its
    name (`forwarded_to`)."""
    at = at or timezone.now()
    if forwarded_agency is not None:
        forwarded_agency = home_agency(forwarded_agency)
    with WORKFLOW.perform(feedback, "triage", actor=actor, at=at) as change:
        feedback = change.obj
        if triage not in ALLOWED_TRIAGE[feedback.kind]:
            raise TransitionError({"triage": _("Phân loại không phù hợp với loại đơn.")})
        if triage == TriageClass.NOT_ACCEPTED and not note.strip():
            raise TransitionError({"note": _("Cần nêu rõ lý do không thụ lý.")})
        forwarding = TRIAGE_RESULT[triage] == S.FORWARDED
        if forwarding and forwarded_agency is None and not forwarded_to.strip():
            raise TransitionError(
                {"forwarded_agency": _("Chọn cơ quan được chuyển đến (hoặc ghi tên cơ quan ngoài hệ thống).")}
            )
        if forwarding and forwarded_agency is not None:
            if not forwarded_agency.is_active or not forwarded_agency.code:
                raise TransitionError({"forwarded_agency": _("Cơ quan được chuyển đến không hợp lệ.")})
            if forwarded_agency.pk == feedback.agency_id:
                raise TransitionError(
                    {"forwarded_agency": _("Không thể chuyển đơn cho chính cơ quan đang giữ đơn.")}
                )
        if is_complex is not None:
            feedback.is_complex = is_complex
        if is_remote_area is not None:
            feedback.is_remote_area = is_remote_area
        if is_second_instance is not None and feedback.kind == FeedbackKind.COMPLAINT:
            feedback.is_second_instance = is_second_instance
        feedback.triage = triage
        feedback.triage_note = note.strip()
        feedback.triaged_at = at
        feedback.status = TRIAGE_RESULT[triage]
        if feedback.status == S.FORWARDED:
            feedback.forwarded_agency = forwarded_agency
            feedback.forwarded_to = forwarded_agency.name if forwarded_agency else forwarded_to.strip()
        if feedback.status == S.IN_PROGRESS:
            limit = deadlines.resolution_limit(
                feedback.kind,
                is_complex=feedback.is_complex,
                is_remote_area=feedback.is_remote_area,
                is_second_instance=feedback.is_second_instance,
            )
            feedback.accepted_at = at
            feedback.due_at = deadlines.compute(limit, at, agency=feedback.agency)
            feedback.due_rule = limit.key
        _refresh_next_due(feedback)
        feedback.full_clean()
        feedback.save()
        late = feedback.triage_due_at is not None and at > feedback.triage_due_at
        action = {S.IN_PROGRESS: "accepted", S.REJECTED: "refused", S.FORWARDED: "forwarded"}[feedback.status]
        parts = [str(TriageClass(triage).label)]
        if feedback.forwarded_to:
            parts.append(_("Chuyển đến: %(to)s") % {"to": feedback.forwarded_to})
        if note.strip():
            parts.append(note.strip())
        if late:
            parts.append(_("Quá hạn phân loại, thụ lý."))
        forward = None
        if feedback.status == S.FORWARDED and forwarded_agency is not None:
            forward = _forward_into(feedback, forwarded_agency, actor=actor, at=at)
            parts.append(_("Đơn của cơ quan nhận: %(code)s") % {"code": forward.code})
        change.record(action=action, note=" — ".join(parts))
        _notify_submitter(feedback, "triaged", str(feedback.get_status_display()))
    return feedback


def _forward_into(original: Feedback, agency: Agency, *, actor, at: dt.datetime) -> Feedback:
    """Enter `original` in `agency`'s register (its own code and clocks, counted from now),
    linked back to the original: it appears in that agency's list with the original's
    history, and its answer is copied back (feedback_answer). Attachments are shared, not
    copied. The submitter keeps tracking the original with the code and PIN they have."""
    prefix = CODE_PREFIX[original.kind]
    year = _year(at)
    code = f"{prefix}-{year}-{next_number(f'feedback-{prefix}', year):06d}"
    limit = deadlines.triage_limit(original.kind)
    forward = Feedback(
        code=code,
        kind=original.kind,
        channel=original.channel,
        agency=agency,
        submitter_name=original.submitter_name,
        submitter_id_number=original.submitter_id_number,
        submitter_phone=original.submitter_phone,
        submitter_email=original.submitter_email,
        submitter_address=original.submitter_address,
        title=original.title,
        content=original.content,
        related_dossier=original.related_dossier,
        related_officer=original.related_officer,
        is_second_instance=original.is_second_instance,
        publish_answer=original.publish_answer,
        received_at=at,
        triage_due_at=deadlines.compute(limit, at, agency=agency),
        triage_rule=limit.key,
        # Nobody holds a PIN for this copy: the citizen follows the original.
        pin_hash=pins.hash_pin(code, pins.new_pin()),
        created_by=actor,
        consent_at=original.consent_at,
        forwarded_from=original,
    )
    _refresh_next_due(forward)
    forward.full_clean()
    forward.save()
    FeedbackAttachment.objects.bulk_create(
        FeedbackAttachment(
            feedback=forward,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
        )
        for item in original.attachments.all()
    )
    _event(
        forward,
        "received",
        before="",
        actor=actor,
        at=at,
        note=_("Do %(agency)s chuyển đến (đơn %(code)s).")
        % {"agency": original.agency.name, "code": original.code},
    )
    return forward


def feedback_assign(*, feedback: Feedback, assignee, actor, note: str = "") -> Feedback:
    with WORKFLOW.perform(feedback, "assign", actor=actor) as change:
        feedback = change.obj
        if assignee is None or not assignee.is_active or not can_see_agency(actor, assignee.agency_id):
            raise TransitionError({"assignee": _("Cán bộ được phân công không thuộc đơn vị của bạn.")})
        feedback.assignee = assignee
        if assignee.agency_id != feedback.agency_id:
            feedback.handling_unit = assignee.agency
        feedback.full_clean()
        feedback.save()
        change.record(note=" — ".join(filter(None, [assignee.get_full_name(), note.strip()])))
    return feedback


def feedback_answer(*, feedback: Feedback, answer: str, actor, at: dt.datetime | None = None) -> Feedback:
    at = at or timezone.now()
    if not answer.strip():
        raise TransitionError({"answer": _("Cần nhập nội dung trả lời.")})
    with WORKFLOW.perform(feedback, "answer", actor=actor, at=at) as change:
        feedback = change.obj
        feedback.answer = answer.strip()
        feedback.answered_at = at
        feedback.status = S.ANSWERED
        _refresh_next_due(feedback)
        feedback.full_clean()
        feedback.save()
        late = feedback.due_at is not None and at > feedback.due_at
        change.record(note=_("Trả lời quá hạn.") if late else "")
        _notify_submitter(feedback, "answered", _("đã có kết quả trả lời"))
        if feedback.forwarded_from_id:
            _answer_back(feedback, actor=actor, at=at)
    return feedback


def _answer_back(forward: Feedback, *, actor, at: dt.datetime) -> None:
    """The agency a case was forwarded to has answered: the answer lands on the original
    record, which the submitter tracks, and the original is answered too. Not an action a
    person takes on the original (the answering officer belongs to another agency): no row
    of the table, but the frame's lock and history all the same."""
    original = WORKFLOW.lock(forward.forwarded_from)
    if original.status != S.FORWARDED:
        return  # already closed by its agency: the answer stays on the forwarded case
    before = original.status
    original.answer = _("%(agency)s trả lời (đơn %(code)s):\n%(answer)s") % {
        "agency": forward.agency.name,
        "code": forward.code,
        "answer": forward.answer,
    }
    original.answered_at = at
    original.status = S.ANSWERED
    _refresh_next_due(original)
    original.full_clean()
    original.save()
    _event(
        original,
        "forward_answered",
        before=before,
        actor=actor,
        at=at,
        note=_("%(agency)s đã trả lời (đơn %(code)s).")
        % {"agency": forward.agency.name, "code": forward.code},
    )
    _notify_submitter(original, "answered", _("đã có kết quả trả lời"))


def feedback_close(*, feedback: Feedback, actor, note: str = "") -> Feedback:
    with WORKFLOW.perform(feedback, "close", actor=actor) as change:
        feedback = change.obj
        feedback.status = S.CLOSED
        feedback.closed_at = change.at
        _refresh_next_due(feedback)
        feedback.full_clean()
        feedback.save()
        change.record(note=note.strip())
    return feedback


def feedback_publish(*, feedback: Feedback, public_title: str, actor) -> Feedback:
    """Publish the answer on /phan-anh/cong-khai/ — only when the submitter agreed (NĐ 20/2008:
    the result is made public), never for a denunciation."""
    with WORKFLOW.perform(feedback, "publish", actor=actor) as change:
        feedback = change.obj
        if feedback.kind == FeedbackKind.DENUNCIATION:
            raise TransitionError(_("Không công khai nội dung tố cáo."))
        if not feedback.publish_answer:
            raise TransitionError(_("Người gửi không đồng ý công khai."))
        if feedback.published_at is not None:
            raise TransitionError(_("Kết quả đã được công khai."))
        if not public_title.strip():
            raise TransitionError({"public_title": _("Cần nhập tiêu đề công khai.")})
        feedback.public_title = public_title.strip()
        feedback.published_at = change.at
        feedback.full_clean()
        feedback.save()
        change.record()
    return feedback


def feedback_link(*, feedback: Feedback, dossier_code: str = "", related_officer=None, actor) -> Feedback:
    """Link the dossier (by code, checked) and/or the officer the case is about."""
    with WORKFLOW.perform(feedback, "link", actor=actor) as change:
        feedback = change.obj
        notes = []
        if dossier_code.strip():
            dossier = find_dossier(dossier_code, user=actor)
            if dossier is None:
                raise TransitionError({"dossier_code": _("Không tìm thấy hồ sơ có mã này.")})
            feedback.related_dossier = dossier
            notes.append(_("Hồ sơ %(code)s") % {"code": dossier.code})
        if related_officer is not None:
            if not can_see_agency(actor, related_officer.agency_id):
                raise TransitionError({"related_officer": _("Cán bộ không thuộc phạm vi của bạn.")})
            feedback.related_officer = related_officer
            notes.append(_("Cán bộ %(name)s") % {"name": related_officer.get_full_name()})
        if not notes:
            raise TransitionError(_("Chưa chọn hồ sơ hoặc cán bộ để liên kết."))
        feedback.full_clean()
        feedback.save()
        change.record(note="; ".join(notes))
    return feedback


# --- hotline -------------------------------------------------------------------------------------


def hotline_call_log(
    *,
    agency: Agency,
    started_at: dt.datetime,
    line: str,
    topic: str,
    summary: str,
    outcome: str,
    caller_name: str = "",
    caller_phone: str = "",
    dossier_code: str = "",
    duration_seconds: int = 0,
    transferred_to: str = "",
    actor,
) -> HotlineCall:
    """Log one call. Outcome "turned into feedback" also creates the linked feedback."""
    if actor is None or not actor.has_perm("khieunai.add_hotlinecall"):
        raise PermissionDenied(_("Bạn không có quyền ghi nhật ký đường dây nóng."))
    if outcome == CallOutcome.TRANSFERRED and not transferred_to.strip():
        raise ValidationError({"transferred_to": _("Cần ghi cơ quan, đơn vị được chuyển đến.")})
    _check_happened("started_at", started_at, _("Thời điểm gọi"))
    agency = home_agency(agency)
    with transaction.atomic():
        call = HotlineCall(
            agency=agency,
            started_at=started_at,
            line=line.strip() or agency.hotline or agency.phone or "-",
            caller_name=caller_name.strip(),
            caller_phone=caller_phone.strip(),
            topic=topic.strip(),
            dossier_code=dossier_code.strip().upper(),
            related_dossier=find_dossier(dossier_code, user=actor),
            summary=summary.strip(),
            duration_seconds=max(0, int(duration_seconds or 0)),
            handler=actor,
            outcome=CallOutcome.ANSWERED if outcome == CallOutcome.FEEDBACK else outcome,
            transferred_to=transferred_to.strip(),
            closed_at=started_at + dt.timedelta(seconds=max(0, int(duration_seconds or 0))),
        )
        call.full_clean()
        call.save()
        if outcome == CallOutcome.FEEDBACK:
            feedback = hotline_call_to_feedback(call=call, actor=actor)
            call.refresh_from_db()
            call.new_feedback = feedback  # with its PIN, for the officer to read out
    return call


def hotline_call_to_feedback(*, call: HotlineCall, actor) -> Feedback:
    """Turn a call into a feedback entered in the register (one click; a second click
    returns the feedback already created, without a PIN: it was given the first time).

    The new feedback carries its lookup PIN as `.pin`, for the officer to read out; when the
    caller left a number, the code and PIN are also texted to it (khieunai.receipts)."""
    if actor is None or not actor.has_perm("khieunai.convert_hotlinecall"):
        raise PermissionDenied(_("Bạn không có quyền chuyển cuộc gọi thành phản ánh."))
    with transaction.atomic():
        call = HotlineCall.objects.select_for_update().get(pk=call.pk)
        if not (can_see_agency(actor, call.agency_id) or call.handler_id == actor.pk):
            raise PermissionDenied(_("Bạn không có quyền với cuộc gọi này."))
        if call.feedback_id is not None:
            return call.feedback
        feedback = feedback_submit(
            kind=FeedbackKind.FEEDBACK,
            channel=FeedbackChannel.HOTLINE,
            agency=call.agency,
            title=call.topic,
            content=call.summary,
            submitter_name=call.caller_name,
            submitter_phone=call.caller_phone,
            related_dossier_code=call.related_dossier.code if call.related_dossier_id else "",
            received_at=call.started_at,
            actor=actor,
            sms_receipt_to=call.caller_phone,
        )
        call.feedback = feedback
        call.outcome = CallOutcome.FEEDBACK
        call.save(update_fields=["feedback", "outcome"])
    return feedback


# --- citizen reception register (Mẫu 06-TCD) -----------------------------------------------------


def citizen_reception_record(
    *,
    agency: Agency,
    received_on: dt.date,
    citizen_name: str,
    address: str,
    content: str,
    outcome: str,
    people_count: int = 1,
    citizen_id_number: str = "",
    prior_handling: str = "",
    request: str = "",
    feedback: Feedback | None = None,
    open_kind: str = "",
    title: str = "",
    phone: str = "",
    actor,
) -> CitizenReception:
    """Record one reception; numbered from 1 each year per agency (register of the year).

    With `open_kind` (feedback / complaint / denunciation) the visit also opens the case in
    the feedback register in the same step: channel "at the agency", the citizen as
    submitter, the visit's content; the new case (with its PIN as `.pin`, to hand to the
    citizen) is linked to the register entry and returned as `entry.opened`."""
    if actor is None or not actor.has_perm("khieunai.add_citizenreception"):
        raise PermissionDenied(_("Bạn không có quyền ghi sổ tiếp công dân."))
    _check_happened("received_on", received_on, _("Ngày tiếp"))
    if open_kind and open_kind not in FeedbackKind.values:
        raise ValidationError({"open_kind": _("Loại đơn không hợp lệ.")})
    if open_kind and not actor.has_perm("khieunai.add_feedback"):
        raise PermissionDenied(_("Bạn không có quyền vào sổ phản ánh, khiếu nại, tố cáo."))
    agency = home_agency(agency)
    with transaction.atomic():
        opened = None
        if open_kind:
            local_now = timezone.localtime()
            moment = (
                local_now
                if received_on == local_now.date()
                else dt.datetime.combine(received_on, dt.time(12, 0), tzinfo=local_now.tzinfo)
            )
            opened = feedback_submit(
                kind=open_kind,
                channel=FeedbackChannel.COUNTER,
                agency=agency,
                title=(title or content).strip()[:255],
                content="\n\n".join(filter(None, [content.strip(), request.strip()])),
                submitter_name=citizen_name,
                submitter_id_number=citizen_id_number,
                submitter_phone=phone,
                submitter_address=address,
                received_at=moment,
                actor=actor,
            )
            feedback = opened
        entry = CitizenReception(
            agency=agency,
            year=received_on.year,
            number=next_number(f"tcd-{agency.pk}", received_on.year),
            received_on=received_on,
            citizen_name=citizen_name.strip(),
            citizen_id_number=citizen_id_number.strip(),
            address=address.strip(),
            people_count=people_count,
            content=content.strip(),
            prior_handling=prior_handling.strip(),
            request=request.strip(),
            outcome=outcome.strip(),
            officer=actor,
            feedback=feedback,
        )
        entry.full_clean()
        entry.save()
    entry.opened = opened
    return entry
