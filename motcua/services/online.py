"""The online inbox (NĐ 118/2025/NĐ-CP Điều 17 khoản 2 and 3).

A dossier filed on the national public-service portal is *recorded* here by whoever brings
it: the counter officer who types in a filing seen on the national portal ("Nhận hồ sơ trực
tuyến"), a future connector to the national portal, the citizen-facing filing of a later
issue. Every source calls `online_submission_record`; the reception staff of the counter are
told at once (the decree: within 02 hours of the portal's acknowledgement), and within 08
working hours an officer:

- accepts it: a dossier is received with the online channel and its national code, its
  processing clock starting at that moment (khoản 3: the time counts from the acceptance
  shown on the receipt), national status 2;
- asks for a supplement (điểm a: everything at once, form 02) or refuses it (not complete, or
  not this agency's: form 03): national status 3, the applicant told by e-mail/SMS.

Two officers deciding at once: the row is locked and the second finds it decided."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.sms_text import fit_sms
from core.workflow import TransitionError
from thutuc import deadlines as rules
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar

from ..alerts import kinds
from ..models import (
    Channel,
    IntakeOutcome,
    NotificationChannel,
    OnlineDecision,
    OnlineSource,
    OnlineSubmission,
    PaperFile,
    ResultDelivery,
    Status,
)
from ..notifications.service import notify
from ..notifications.staff import send_to_staff, staff_of
from .intake import Applicant, ReceivedDocument, _check_receivable, dossier_receive, intake_attempt_record

REFERENCE_PREFIX = "online:"


def reference(submission_id: int) -> str:
    """What the online inbox's notifications are about ("online:12")."""
    return f"{REFERENCE_PREFIX}{submission_id}"


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def online_submission_record(
    *,
    agency,
    procedure,
    case,
    applicant: Applicant,
    documents: Sequence[ReceivedDocument],
    national_portal_code: str,
    source: str,
    recorded_by=None,
    submitted_at: dt.datetime | None = None,
    arrived_at: dt.datetime | None = None,
    summary: str = "",
    number_of_sets: int = 1,
    result_delivery: str = ResultDelivery.ONLINE,
    delivery_address: str = "",
) -> OnlineSubmission:
    """Put a filing made on the national portal into `agency`'s online inbox and tell its
    reception staff. `submitted_at`: when the national portal acknowledged it (default: now);
    `arrived_at`: when this system received it (default: now, never before `submitted_at`).

    Raises ValidationError (Vietnamese) for a rule broken or a filing already waiting."""
    _check_receivable(agency=agency, procedure=procedure, case=case)
    code = (national_portal_code or "").strip()
    if not code:
        raise ValidationError(_("Hồ sơ trực tuyến cần mã hồ sơ trên Cổng DVC quốc gia."), code="portal_code")
    if source not in OnlineSource.values:
        raise ValidationError(_("Nguồn hồ sơ trực tuyến không hợp lệ."), code="source")
    if result_delivery == ResultDelivery.POST and not delivery_address.strip():
        raise ValidationError(_("Nhận kết quả qua bưu chính cần địa chỉ nhận."), code="delivery_address")
    now = timezone.now()
    submitted_at = submitted_at or now
    if submitted_at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("Thời điểm nộp trên Cổng DVC quốc gia không thể ở tương lai."), code="future")
    arrived_at = max(arrived_at or now, submitted_at)
    submission = OnlineSubmission(
        agency=agency,
        procedure=procedure,
        case=case,
        national_portal_code=code,
        source=source,
        recorded_by=recorded_by,
        **applicant.model_fields(),
        summary=(summary or procedure.name).strip()[:500],
        number_of_sets=number_of_sets,
        result_delivery=result_delivery,
        delivery_address=delivery_address.strip(),
        documents=[
            {**doc.as_dict(), "procedure_document_id": doc.procedure_document_id} for doc in documents
        ],
        submitted_at=submitted_at,
        arrived_at=arrived_at,
        alert_due_at=rules.online_alert_due_at(submitted_at),
        decision_due_at=rules.online_decision_due_at(get_calendar(agency), arrived_at),
    )
    submission.full_clean(
        exclude=["agency", "procedure", "case", "recorded_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    try:
        with transaction.atomic():
            submission.save()
            alert_reception(submission, now=now)
    except IntegrityError:
        if OnlineSubmission.objects.filter(
            national_portal_code=code, status=Status.SUBMITTED_ONLINE
        ).exists():
            raise ValidationError(
                _("Hồ sơ %(code)s đã có trong danh sách hồ sơ trực tuyến chờ tiếp nhận.") % {"code": code},
                code="duplicate",
            ) from None
        raise
    return submission


def alert_reception(submission: OnlineSubmission, *, now: dt.datetime) -> int:
    """Tell the counter's reception staff that an online filing waits (in the notification
    centre, and by e-mail to those with an address), once: Điều 17 khoản 2, within 02 hours
    of the national portal's acknowledgement. Marks the submission alerted. Called in the
    recording transaction; the periodic scan calls it for any filing left unalerted."""
    kind = kinds.ONLINE_SUBMITTED
    subject = f"{kinds.LABELS[kind]}: {submission.national_portal_code}"
    body = _(
        "Hồ sơ %(code)s (%(procedure)s) của %(name)s nộp trên Cổng DVC quốc gia lúc %(at)s chờ kiểm tra. "
        "Tiếp nhận, yêu cầu bổ sung hoặc từ chối trước %(due)s."
    ) % {
        "code": submission.national_portal_code,
        "procedure": submission.procedure.name,
        "name": submission.applicant_name,
        "at": _when(submission.submitted_at),
        "due": _when(submission.decision_due_at),
    }
    told = send_to_staff(
        staff_of(submission.agency_id, (Role.RECEPTION,)),
        kind=kind,
        subject=subject,
        body=body,
        link=reverse("motcua:online_detail", kwargs={"pk": submission.pk}),
        key=f"{reference(submission.pk)}:new",
        reference=reference(submission.pk),
    )
    OnlineSubmission.objects.filter(pk=submission.pk, alerted_at__isnull=True).update(alerted_at=now)
    submission.alerted_at = submission.alerted_at or now
    return told


def _lock_waiting(submission: OnlineSubmission) -> OnlineSubmission:
    locked = (
        OnlineSubmission.objects.select_for_update()
        .select_related("procedure", "case", "agency")
        .get(pk=submission.pk)
    )
    if not locked.is_waiting:
        raise TransitionError(
            _("Hồ sơ trực tuyến %(code)s đã được kiểm tra (%(decision)s); không thao tác lại được.")
            % {"code": locked.national_portal_code, "decision": locked.get_decision_display().lower()},
            code="decided",
        )
    return locked


def _check_actor(submission: OnlineSubmission, actor) -> None:
    from thutuc.accounts.roles import has_role
    from thutuc.accounts.visibility import can_see_agency

    if actor is None or not (
        actor.is_superuser
        or (has_role(actor, Role.RECEPTION) and can_see_agency(actor, submission.agency_id))
    ):
        raise TransitionError(
            _("Chỉ cán bộ một cửa của nơi tiếp nhận được kiểm tra hồ sơ này."), forbidden=True
        )


def _decide(submission: OnlineSubmission, *, decision: str, actor, at: dt.datetime, status: str, **links):
    submission.status = status
    submission.decision = decision
    submission.decided_at = at
    submission.decided_by = actor
    # Điều 17 khoản 2 điểm c: allowed after the 08 working hours, but recorded as late.
    submission.decided_late = at > submission.decision_due_at
    for name, value in links.items():
        setattr(submission, name, value)
    submission.save(
        update_fields=["status", "decision", "decided_at", "decided_by", "decided_late", *links, "updated_at"]
    )
    # the inbox alerts about it no longer hold
    from ..alerts.online import resolve_online_alerts

    resolve_online_alerts(submission_ids=[submission.pk], now=at)


def _applicant(submission: OnlineSubmission) -> Applicant:
    return Applicant(
        name=submission.applicant_name,
        applicant_type=submission.applicant_type,
        organisation_name=submission.organisation_name,
        id_number=submission.applicant_id_number,
        phone=submission.applicant_phone,
        email=submission.applicant_email,
        address=submission.applicant_address,
        representative_name=submission.representative_name,
        representative_id_number=submission.representative_id_number,
        representative_phone=submission.representative_phone,
    )


def filed_documents(submission: OnlineSubmission) -> list[ReceivedDocument]:
    return [
        ReceivedDocument(
            name=doc.get("name", ""),
            originals=int(doc.get("originals") or 0),
            certified_copies=int(doc.get("certified_copies") or 0),
            photocopies=int(doc.get("photocopies") or 0),
            procedure_document_id=doc.get("procedure_document_id"),
        )
        for doc in submission.documents
    ]


def online_submission_accept(
    *,
    submission: OnlineSubmission,
    actor,
    at: dt.datetime | None = None,
    competent_agency=None,
    applicant_commune=None,
):
    """Accept a complete online filing: a dossier is received (online channel, the national
    code), its processing clock starting now (Điều 17 khoản 3), decided by `competent_agency`
    or the agency proposed from the procedure's level and `applicant_commune` (Điều 3 khoản 7,
    Điều 20; `dossier_receive`). Returns (dossier, pin)."""
    at = at or timezone.now()
    _check_actor(submission, actor)
    with transaction.atomic():
        locked = _lock_waiting(submission)
        try:
            dossier, pin = dossier_receive(
                procedure=locked.procedure,
                case=locked.case,
                agency=locked.agency,
                actor=actor,
                applicant=_applicant(locked),
                documents=filed_documents(locked),
                channel=Channel.ONLINE,
                national_portal_code=locked.national_portal_code,
                summary=locked.summary,
                number_of_sets=locked.number_of_sets,
                result_delivery=locked.result_delivery,
                delivery_address=locked.delivery_address,
                received_at=at,
                competent_agency=competent_agency,
                applicant_commune=applicant_commune,
            )
        except ValidationError as error:
            raise TransitionError(error.messages, code="receive") from error
        # the files filed online are the dossier's papers from now on
        PaperFile.objects.filter(filing__submission=locked).update(dossier=dossier)
        _decide(
            locked,
            decision=OnlineDecision.ACCEPTED,
            actor=actor,
            at=at,
            status=Status.RECEIVED,
            dossier=dossier,
        )
    submission.__dict__.update(
        {k: getattr(locked, k) for k in ("status", "decision", "decided_at", "decided_late", "dossier_id")}
    )
    return dossier, pin


def online_submission_request_supplement(
    *,
    submission: OnlineSubmission,
    actor,
    missing_documents: Sequence[ReceivedDocument],
    reason: str = "",
    at: dt.datetime | None = None,
):
    """Send an incomplete online filing back, listing everything missing at once (Điều 17
    khoản 2 điểm a; form 02). National status 3; the applicant is told. Returns the slip."""
    return _not_accepted(
        submission,
        actor=actor,
        at=at,
        outcome=IntakeOutcome.INCOMPLETE,
        decision=OnlineDecision.SUPPLEMENT,
        missing_documents=missing_documents,
        reason=reason,
    )


def online_submission_refuse(
    *, submission: OnlineSubmission, actor, reason: str, at: dt.datetime | None = None
):
    """Refuse an online filing (not receivable, or not this agency's: Điều 17 khoản 2 điểm a,
    form 03), with its reason. National status 3; the applicant is told. Returns the slip."""
    return _not_accepted(
        submission,
        actor=actor,
        at=at,
        outcome=IntakeOutcome.REFUSED,
        decision=OnlineDecision.REFUSED,
        reason=reason,
    )


def _not_accepted(submission, *, actor, at, outcome, decision, missing_documents=(), reason=""):
    at = at or timezone.now()
    _check_actor(submission, actor)
    with transaction.atomic():
        locked = _lock_waiting(submission)
        try:
            attempt = intake_attempt_record(
                procedure=locked.procedure,
                case=locked.case,
                agency=locked.agency,
                actor=actor,
                applicant=_applicant(locked),
                outcome=outcome,
                missing_documents=missing_documents,
                reason=reason,
                channel=Channel.ONLINE,
                at=at,
            )
        except ValidationError as error:
            raise TransitionError(error.messages, code="attempt") from error
        _decide(locked, decision=decision, actor=actor, at=at, status=Status.NOT_ACCEPTED, attempt=attempt)
        _tell_applicant(locked, attempt)
    submission.__dict__.update(
        {k: getattr(locked, k) for k in ("status", "decision", "decided_at", "decided_late", "attempt_id")}
    )
    return attempt


def acknowledge_citizen(submission: OnlineSubmission, *, phone: str = "", email: str = "") -> None:
    """A filing made on this portal: the citizen is told it arrived, with its code and by when
    the counter decides (Điều 17 khoản 2: 08 working hours). Once per channel."""
    values = {
        "code": submission.national_portal_code,
        "agency": submission.agency.name,
        "due": _when(submission.decision_due_at),
    }
    text = _(
        "Hồ sơ %(code)s đã được nộp đến %(agency)s. Bộ phận một cửa kiểm tra và trả lời "
        "(tiếp nhận, yêu cầu bổ sung hoặc từ chối) trước %(due)s."
    ) % values
    sms = fit_sms(
        line % values
        for line in (
            "Da nop ho so %(code)s. Bo phan mot cua tra loi truoc %(due)s.",
            "Da nop ho so %(code)s.",
        )
    )
    for channel, address, body in (
        (NotificationChannel.EMAIL, email, text),
        (NotificationChannel.SMS, phone, sms),
    ):
        if address:
            notify(
                channel=channel,
                kind="online_filed",
                subject=_("Đã nộp hồ sơ %(code)s") % values,
                body=body,
                address=address,
                reference=reference(submission.pk),
                dedupe_key=f"{reference(submission.pk)}:filed:{channel}",
            )


def _tell_applicant(submission: OnlineSubmission, attempt) -> None:
    """Điều 17 khoản 2 điểm c: the applicant is told of the supplement request or the refusal
    (by e-mail and SMS here; through the national portal's account once a connector exists).
    The SMS is unaccented GSM-7 text in one part (core.sms_text), like the dossiers' own."""
    values = {
        "code": submission.national_portal_code,
        "agency": submission.agency.name,
        "reason": attempt.reason,
        "items": "; ".join(doc["name"] for doc in attempt.missing_documents),
    }
    if attempt.outcome == IntakeOutcome.INCOMPLETE and submission.source == OnlineSource.CITIZEN:
        # filed on this portal: corrected and filed again from "Hồ sơ của tôi"
        values["url"] = f"{settings.PUBLIC_BASE_URL.rstrip('/')}{reverse('motcua:citizen_home')}"
        lines = [
            _("Hồ sơ %(code)s nộp trực tuyến chưa đầy đủ nên chưa được tiếp nhận."),
            _("Đề nghị bổ sung, hoàn thiện: %(items)s."),
            _("Đăng nhập mục “Hồ sơ của tôi” (%(url)s), chọn “Bổ sung và nộp lại”."),
        ]
        sms = [
            "Ho so %(code)s chua day du, chua duoc tiep nhan. Vui long bo sung va nop lai tai "
            "muc Ho so cua toi: %(url)s",
            "HS %(code)s chua day du, bo sung va nop lai tai: %(url)s",
            "HS %(code)s chua day du, can bo sung.",
        ]
    elif attempt.outcome == IntakeOutcome.INCOMPLETE:
        lines = [
            _("Hồ sơ %(code)s nộp trực tuyến chưa đầy đủ nên chưa được tiếp nhận."),
            _("Đề nghị bổ sung, hoàn thiện: %(items)s."),
            _("Nộp lại hồ sơ đã hoàn thiện trên Cổng Dịch vụ công quốc gia."),
        ]
        sms = [
            "Ho so %(code)s chua day du, chua duoc tiep nhan. Vui long bo sung va nop lai tren "
            "Cong DVC quoc gia.",
            "HS %(code)s chua day du, vui long bo sung, nop lai tren Cong DVC quoc gia.",
            "HS %(code)s chua day du, can bo sung.",
        ]
    else:
        lines = [_("Hồ sơ %(code)s nộp trực tuyến không được tiếp nhận.")]
        sms = [
            "Ho so %(code)s nop truc tuyen khong duoc tiep nhan. Ly do: %(reason)s",
            "HS %(code)s khong duoc tiep nhan, xem ly do tren Cong DVC quoc gia.",
            "HS %(code)s khong duoc tiep nhan.",
        ]
    if attempt.reason:
        lines.append(_("Lý do: %(reason)s"))
    body = "\n\n".join(
        [_("Kính gửi ông/bà,"), *(line % values for line in lines), _("Trân trọng,\n%(agency)s") % values]
    )
    subject = _("Hồ sơ %(code)s: %(decision)s") % {
        "code": submission.national_portal_code,
        "decision": submission.get_decision_display().lower(),
    }
    for channel, address, text in (
        (NotificationChannel.EMAIL, submission.applicant_email, body),
        (NotificationChannel.SMS, submission.applicant_phone, fit_sms(line % values for line in sms)),
    ):
        if address:
            notify(
                channel=channel,
                kind="online_not_accepted",
                subject=subject,
                body=text,
                address=address,
                reference=reference(submission.pk),
                dedupe_key=f"{reference(submission.pk)}:applicant:{channel}",
            )
