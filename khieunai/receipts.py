"""What the submitter takes away: the code and the lookup PIN of their case, and the dates
by which they should hear back.

The PIN exists in clear only in the request that created the case (it is stored as a keyed
hash, core.pins); these messages are the one place where it leaves the server after that
moment: by e-mail when the citizen asked for it on the form, by SMS when a hotline officer
took the caller's number. Both go through the portal's notification service
(motcua.notifications.service.notify), like every other message, and like every other
message they are stored without the PIN: the text holds `pins.PIN_SLOT` and the PIN is
sealed beside it until it is sent (issue 14 §3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import pins
from core.sms_text import fit_sms
from motcua.models import NotificationChannel
from motcua.notifications.service import notify

from . import deadlines
from .models import Feedback


@dataclass(frozen=True)
class ExpectedDates:
    """The first decision (classify / accept) and, if accepted then, the answer."""

    triage_due_at: dt.datetime | None
    triage_limit: deadlines.LegalLimit
    answer_limit: deadlines.LegalLimit
    answer_by: dt.datetime | None  # if the case is accepted on the last day of the first limit


def expected_dates(feedback: Feedback) -> ExpectedDates:
    triage = deadlines.triage_limit(feedback.kind)
    answer = deadlines.resolution_limit(
        feedback.kind,
        is_complex=feedback.is_complex,
        is_remote_area=feedback.is_remote_area,
        is_second_instance=feedback.is_second_instance,
    )
    start = feedback.triage_due_at
    answer_by = feedback.due_at
    if answer_by is None and start is not None:
        answer_by = deadlines.compute(answer, start, agency=feedback.agency)
    return ExpectedDates(
        triage_due_at=feedback.triage_due_at, triage_limit=triage, answer_limit=answer, answer_by=answer_by
    )


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y") if moment else ""


def track_url() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/phan-anh/tra-cuu/"


def email_receipt(feedback: Feedback, *, pin: str) -> None:
    """E-mail the code and PIN to the submitter's address (asked for on the form)."""
    if not feedback.submitter_email:
        return
    dates = expected_dates(feedback)
    body = "\n\n".join(
        [
            _("Kính gửi ông/bà,"),
            _("%(agency)s đã nhận đơn “%(title)s” của ông/bà lúc %(at)s.")
            % {
                "agency": feedback.agency.name,
                "title": feedback.title,
                "at": formats.date_format(timezone.localtime(feedback.received_at), "H:i d/m/Y"),
            },
            _("Mã đơn: %(code)s\nMã tra cứu: %(pin)s") % {"code": feedback.code, "pin": pins.PIN_SLOT},
            _(
                "Hạn phân loại, thụ lý: %(triage)s (%(triage_limit)s). Nếu đơn được thụ lý, thời hạn "
                "trả lời là %(answer_limit)s kể từ ngày thụ lý, chậm nhất khoảng %(answer_by)s."
            )
            % {
                "triage": _day(dates.triage_due_at),
                "triage_limit": dates.triage_limit.describe(),
                "answer_limit": f"{dates.answer_limit.amount} {dates.answer_limit.unit_label}",
                "answer_by": _day(dates.answer_by),
            },
            _(
                "Theo dõi kết quả tại %(url)s bằng mã đơn và mã tra cứu. "
                "Không chia sẻ mã tra cứu với người khác."
            )
            % {"url": track_url()},
            _("Trân trọng,\n%(agency)s") % {"agency": feedback.agency.name},
        ]
    )
    notify(
        channel=NotificationChannel.EMAIL,
        kind="feedback_receipt",
        subject=_("Đơn %(code)s đã được tiếp nhận") % {"code": feedback.code},
        body=body,
        address=feedback.submitter_email,
        dedupe_key=f"feedback:{feedback.pk}:receipt:email",
        sealed_pin=pins.seal(feedback.code, pin),
    )


def sms_receipt(feedback: Feedback, *, pin: str, phone: str) -> None:
    """Text the code and PIN to the caller (a feedback created from a hotline call)."""
    if not phone.strip():
        return
    url, slot = track_url(), pins.PIN_SLOT
    # Unaccented GSM-7 wordings, richest first (core.sms_text).
    text = fit_sms(
        [
            f"Phan anh cua ong/ba da duoc tiep nhan. Ma don {feedback.code}, ma tra cuu {slot}. "
            f"Tra cuu ket qua tai {url}",
            f"Da tiep nhan phan anh. Ma don {feedback.code}, ma tra cuu {slot}. Tra cuu: {url}",
            f"Ma don {feedback.code}, ma tra cuu {slot}",
        ]
    )
    notify(
        channel=NotificationChannel.SMS,
        kind="feedback_receipt",
        subject=_("Đơn %(code)s đã được tiếp nhận") % {"code": feedback.code},
        body=text,
        address=phone.strip(),
        dedupe_key=f"feedback:{feedback.pk}:receipt:sms",
        sealed_pin=pins.seal(feedback.code, pin),
    )
