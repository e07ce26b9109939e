"""Reads for the citizen tracking page: find a dossier by code + PIN, and describe it in
plain Vietnamese with nothing a citizen should not see (no ID number, address, phone,
e-mail, staff names or notes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import pins
from thutuc.calendar_explain import (
    DeadlineExplanation,
    explain_deadline,
    format_duration,
    skipped_and_added_days,
)
from thutuc.calendar_store import get_calendar_and_day_names
from thutuc.deadlines import EARLY

from ..models import NATIONAL_STATUS_CODE, Dossier, DossierEvent, EventAction, Outcome, Status
from ..services.deadlines import classify_dossier
from .masking import mask_name

# A hash compared against when the code is unknown, so that an unknown code and a wrong
# PIN cost the same work (no timing difference tells which codes exist).
_DUMMY_HASH = "0" * 64


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def find_dossier(*, code: str, pin: str) -> Dossier | None:
    """The dossier with this code if the PIN matches, else None (same work either way)."""
    from thutuc.catalogue.versions import committed_case_version

    code = normalise_code(code)
    # The receiving agency and the optional one-to-one rows (apology, rating, electronic result) come in the
    # same query; `code` is unique, so no ORDER BY. The case version (the terms it was
    # received under) never changes: read from memory (issue 21, docs/performance.md).
    dossier = (
        next(
            iter(
                Dossier.objects.select_related("receiving_agency", "apology", "rating", "electronic_result")
                .filter(code=code)
                .order_by()[:1]
            ),
            None,
        )
        if code
        else None
    )
    ok = pins.check_pin(code, pin, dossier.pin_hash if dossier else _DUMMY_HASH)
    if dossier is None or not ok:
        return None
    if dossier.case_version_id is not None:
        dossier.case_version = committed_case_version(dossier.case_version_id)
    return dossier


def find_tracked(code: str) -> Dossier | None:
    """A dossier already found by code + PIN in this session (motcua.tracking.session)."""
    return (
        Dossier.objects.select_related(
            "procedure", "case_version", "receiving_agency", "apology", "rating", "electronic_result"
        )
        .filter(code=normalise_code(code))
        .first()
    )


def second_factors(code: str) -> list[str]:
    """The phone and ID numbers written down at filing, asked (last 4 digits) while the code
    is protected after many wrong PINs; [] for an unknown code."""
    row = (
        Dossier.objects.filter(code=normalise_code(code))
        .values_list("applicant_phone", "applicant_id_number", "representative_phone")
        .first()
    )
    return [value for value in row or () if value]


# --- status and timeline wording --------------------------------------------------------------


def citizen_status(dossier: Dossier) -> str:
    if dossier.status == Status.RESULT_READY and dossier.outcome == Outcome.REFUSED:
        return _("Đã xử lý xong: hồ sơ không được giải quyết, mời nhận văn bản trả lời")
    if dossier.status == Status.STOPPED and dossier.outcome == Outcome.CLOSED:
        return _("Hồ sơ đã bị đóng do quá hạn bổ sung, hoàn thiện hồ sơ")
    return {
        Status.SUBMITTED_ONLINE: _("Mới đăng ký trực tuyến, chờ tiếp nhận"),
        Status.RECEIVED: _("Đã tiếp nhận, đang chuyển đến bộ phận giải quyết"),
        Status.NOT_ACCEPTED: _("Không được tiếp nhận"),
        Status.PROCESSING: _("Đang giải quyết"),
        Status.WAITING_SUPPLEMENT: _("Cần bổ sung, hoàn thiện hồ sơ (xem phiếu yêu cầu bổ sung)"),
        Status.WAITING_PAYMENT: _("Chờ thực hiện nghĩa vụ tài chính (nộp thuế, phí, lệ phí)"),
        Status.WITHDRAWN: _("Đã rút hồ sơ theo đề nghị của người nộp"),
        Status.STOPPED: _("Đã dừng giải quyết"),
        Status.RESULT_READY: _("Đã có kết quả, mời nhận kết quả"),
        Status.RETURNED: _("Đã trả kết quả"),
    }[dossier.status]


def _fmt(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""


def describe_event(event: DossierEvent, dossier: Dossier) -> str | None:
    """The citizen's wording of one history event, or None for events a citizen does not
    need (internal assignments). Never mentions a member of staff or a note.
    A result is "early" as the statistics count it (`classify_dossier`: an earlier day than
    the statutory deadline), the same word as the result's SMS and e-mail."""
    unit = event.unit_after.name if event.unit_after_id else ""
    new_due = _fmt(event.due_at_after)
    action = event.action
    if action == EventAction.RECEIVE:
        return _("Hồ sơ được tiếp nhận tại %(agency)s.") % {"agency": dossier.receiving_agency.name}
    if action == EventAction.IMPORT:
        return _("Hồ sơ được chuyển sang từ hệ thống cũ.")
    if action == EventAction.TRANSFER:
        if unit:
            return _("Hồ sơ được chuyển đến %(unit)s để giải quyết.") % {"unit": unit}
        return _("Hồ sơ được chuyển để giải quyết.")
    if action in (EventAction.ASSIGN, EventAction.RECEIVE_TRANSFER):
        return None
    if action == EventAction.CHANGE_COMPETENT:
        return _("Hồ sơ được chuyển đến cơ quan có thẩm quyền giải quyết: %(agency)s.") % {
            "agency": dossier.competent_agency.name
        }
    if action == EventAction.REORGANISE:
        return _(
            "Do sắp xếp tổ chức cơ quan, hồ sơ được chuyển đến %(unit)s giải quyết; ngày hẹn trả "
            "kết quả không thay đổi."
        ) % {"unit": unit or dossier.competent_agency.name}
    if action == EventAction.REQUEST_SUPPLEMENT:
        return _(
            "Cơ quan giải quyết yêu cầu bổ sung, hoàn thiện hồ sơ. Thời hạn giải quyết được tính "
            "lại từ đầu khi nhận đủ hồ sơ bổ sung; quá hạn bổ sung, hồ sơ bị đóng."
        )
    if action == EventAction.CLOSE:
        return _("Hồ sơ bị đóng: %(reason)s") % {"reason": dossier.outcome_reason}
    if action == EventAction.RECEIVE_SUPPLEMENT:
        if new_due:
            return _("Đã nhận đủ hồ sơ bổ sung; thời hạn được tính lại, hẹn trả kết quả mới: %(due)s.") % {
                "due": new_due
            }
        return _("Đã nhận hồ sơ bổ sung.")
    if action == EventAction.REQUEST_PAYMENT:
        return _("Đề nghị thực hiện nghĩa vụ tài chính (nộp thuế, phí, lệ phí).")
    if action == EventAction.RECEIVE_PAYMENT:
        return _("Đã hoàn thành nghĩa vụ tài chính.")
    if action == EventAction.APPROVE:
        if classify_dossier(dossier, finished_at=event.at) == EARLY:
            return _("Hồ sơ đã có kết quả, sớm hơn ngày hẹn.")
        return _("Hồ sơ đã có kết quả.")
    if action == EventAction.REFUSE:
        return _("Hồ sơ không được giải quyết; lý do được nêu trong văn bản trả lời.")
    if action == EventAction.STOP:
        return _("Cơ quan giải quyết dừng giải quyết hồ sơ; lý do được nêu trong thông báo.")
    if action == EventAction.WITHDRAW:
        return _("Dừng giải quyết, rút hồ sơ theo đề nghị của người nộp.")
    if action == EventAction.APOLOGISE:
        return _("Cơ quan giải quyết gửi văn bản xin lỗi và hẹn lại ngày trả kết quả: %(due)s.") % {
            "due": new_due or _fmt(dossier.due_at)
        }
    if action == EventAction.RETURN_RESULT:
        return _("Đã trả kết quả.")
    if action == EventAction.RECOMPUTE_DEADLINE:
        return _("Ngày hẹn trả được tính lại theo lịch làm việc: %(due)s.") % {"due": new_due}
    if action == EventAction.RATE:
        return _("Đã ghi nhận đánh giá mức độ hài lòng.")
    return None


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    text: str


# --- why the appointment is that date ---------------------------------------------------------


@dataclass(frozen=True)
class AppointmentExplanation:
    sentences: list[str]
    computed: DeadlineExplanation | None


def explain_appointment(
    dossier: Dossier, *, events: list[DossierEvent], apology=None
) -> AppointmentExplanation:
    """Explain the dossier's statutory deadline (before any apology) from its start: the
    receipt, or the moment a complete supplement restarted the clock. If the stored date
    cannot be reproduced (a paused clock, an import, a calendar edited since), say so and
    still list the days off between the start and the appointment."""
    case = dossier.case_version  # the terms the dossier was received under
    restart = None
    for event in events:
        if event.action == EventAction.RECEIVE_SUPPLEMENT and event.due_at_after:
            restart = event
    start = restart.at if restart else dossier.received_at
    statutory_due = apology.previous_due_at if apology else dossier.due_at

    # The same calendar as the deadline itself (thutuc.deadlines.statutory_due_at):
    # the receiving agency's, the one that printed the appointment on the receipt.
    agency = dossier.receiving_agency
    calendar, names = get_calendar_and_day_names(agency)
    computed = explain_deadline(
        calendar,
        received_at=start,
        amount=case.processing_time,
        unit=case.processing_unit,
        cutoff=case.cutoff_time,
        day_names=names,
    )
    sentences: list[str] = []
    if restart:
        sentences.append(
            _("Hồ sơ bổ sung được nhận đủ lúc %(moment)s; thời hạn giải quyết được tính lại từ đầu.")
            % {"moment": _fmt(restart.at)}
        )
    if computed.due_at == statutory_due:
        sentences.extend(computed.sentences())
    else:
        days_off, _make_up = skipped_and_added_days(
            calendar,
            timezone.localtime(start).date(),
            timezone.localtime(statutory_due).date(),
            day_names=names,
        )
        sentences.append(
            _("Thời hạn giải quyết: %(duration)s, tính theo ngày làm việc của cơ quan tiếp nhận hồ sơ.")
            % {"duration": _duration(case)}
        )
        if days_off:
            sentences.append(
                _("Không tính thứ Bảy, Chủ nhật và các ngày nghỉ: %(days)s.")
                % {"days": ", ".join(d.label() for d in days_off)}
            )
        sentences.append(
            _("Ngày hẹn đã được điều chỉnh trong quá trình giải quyết: %(moment)s.")
            % {"moment": _fmt(statutory_due)}
        )
        computed = None
    if apology:
        sentences.append(
            _(
                "Cơ quan giải quyết đã xin lỗi vì hồ sơ chậm so với ngày hẹn ban đầu và hẹn lại "
                "ngày trả kết quả: %(moment)s."
            )
            % {"moment": _fmt(dossier.due_at)}
        )
    return AppointmentExplanation(sentences=sentences, computed=computed)


def _duration(case) -> str:
    return format_duration(case.processing_time, case.processing_unit)


# --- the whole page ---------------------------------------------------------------------------


def _one_to_one(dossier: Dossier, name: str, model):
    if getattr(Dossier, name).is_cached(dossier):
        return getattr(dossier, name, None)  # a missing row was cached as "none"
    return model.objects.filter(dossier=dossier).first()


@dataclass(frozen=True)
class TrackingView:
    dossier: Dossier
    masked_name: str
    status_text: str
    national_status_code: int
    timeline: list[TimelineEntry]
    explanation: AppointmentExplanation
    can_rate: bool
    rating: object | None
    # The open supplement request while the dossier waits for papers: what to bring, why,
    # by when. The clock is stopped meanwhile (NĐ 61/2018/NĐ-CP Điều 19 khoản 4: the time
    # is counted again from the day the complete supplement arrives), so the page shows
    # this instead of the appointment.
    supplement: object | None = None

    @property
    def clock_stopped(self) -> bool:
        return self.supplement is not None


def tracking_view(dossier: Dossier) -> TrackingView:
    """Everything the tracking page shows, in a fixed number of queries."""
    from ..models import Apology, Rating, SupplementRequest

    events = list(
        DossierEvent.objects.filter(dossier=dossier).select_related("unit_after").order_by("at", "pk")
    )
    # The optional one-to-one rows: already joined by find_dossier, else one query each.
    apology = _one_to_one(dossier, "apology", Apology)
    rating = _one_to_one(dossier, "rating", Rating)
    supplement = None
    if dossier.status == Status.WAITING_SUPPLEMENT:
        supplement = (
            SupplementRequest.objects.filter(dossier=dossier, fulfilled_at__isnull=True)
            .order_by("-requested_at", "-pk")
            .first()
        )
    entries = [TimelineEntry(at=e.at, text=t) for e in events if (t := describe_event(e, dossier))]
    return TrackingView(
        dossier=dossier,
        masked_name=mask_name(dossier.organisation_name or dossier.applicant_name),
        status_text=citizen_status(dossier),
        national_status_code=NATIONAL_STATUS_CODE[dossier.status],
        timeline=entries,
        explanation=explain_appointment(dossier, events=events, apology=apology),
        can_rate=dossier.status == Status.RETURNED and rating is None,
        rating=rating,
        supplement=supplement,
    )


def appointment_summary(dossier: Dossier) -> str:
    """Why the appointment is that date, in one line (the printed receipt): the same
    computation as the tracking page (explain_appointment), condensed."""
    from ..models import Apology

    restarts = DossierEvent.objects.filter(dossier=dossier, action=EventAction.RECEIVE_SUPPLEMENT)
    events = list(restarts.order_by("at", "pk"))
    apology = Apology.objects.filter(dossier=dossier).first()
    explanation = explain_appointment(dossier, events=events, apology=apology)
    if explanation.computed is not None:
        line = explanation.computed.summary()
    else:
        line = _("%(duration)s; ngày hẹn đã được điều chỉnh trong quá trình giải quyết") % {
            "duration": _duration(dossier.case_version)
        }
    if apology is not None:
        line += "; " + _("hẹn lại theo văn bản xin lỗi")
    return line
