"""Factories of the khieunai tests: feedback and hotline calls as rows of the registers
(for the reports that count them), and real file contents for attachments."""

import datetime as dt
import io

import factory

from khieunai.models import CallOutcome, Feedback, FeedbackChannel, FeedbackKind, HotlineCall
from tests.factories import AgencyFactory, UserFactory
from tests.timeutil import local


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A feedback entered 10/01/2026 09:00, to answer within ten days (a register row as the
    quarterly figures read it; the khieunai tests themselves go through the services)."""

    class Meta:
        model = Feedback

    code = factory.Sequence(lambda n: f"PA-{n:05d}")
    kind = FeedbackKind.FEEDBACK
    channel = FeedbackChannel.ONLINE
    agency = factory.SubFactory(AgencyFactory)
    title = "Phản ánh thử"
    content = "Nội dung"
    received_at = factory.LazyFunction(lambda: local(2026, 1, 10, 9))
    due_at = factory.LazyAttribute(lambda o: o.received_at + dt.timedelta(days=10))
    pin_hash = "x"


class HotlineCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HotlineCall

    agency = factory.SubFactory(AgencyFactory)
    started_at = factory.LazyFunction(lambda: local(2026, 1, 10, 9))
    line = "1900 8286"
    topic = "Hỏi thủ tục"
    summary = "Hỏi về giấy tờ cần nộp"
    handler = factory.SubFactory(UserFactory)
    outcome = CallOutcome.ANSWERED


def submit_feedback(agency, **values) -> Feedback:
    """A feedback submitted online to `agency` through khieunai.services.feedback_submit, as
    every page does: about the posted list of procedures, anonymous, unless `values` say."""
    from khieunai import services

    feedback = {
        "kind": FeedbackKind.FEEDBACK,
        "channel": "online",
        "title": "Niêm yết thủ tục chưa đầy đủ",
        "content": "Bảng niêm yết tại bộ phận một cửa thiếu mức lệ phí.",
    }
    return services.feedback_submit(agency=agency, **{**feedback, **values})


# A citizen without name or contact (anonymous feedback), for `feedback_form(..., **ANONYMOUS)`.
ANONYMOUS = {"submitter_name": None, "submitter_phone": None, "submitter_address": None, "consent": None}


def feedback_form(agency, **extra) -> dict:
    """The public feedback form (/phan-anh/) as Phạm Văn Bình fills it in for `agency`,
    consenting to the personal-data notice, with a fresh anti-spam token: `extra` changes a
    field, or leaves it out when None."""
    from khieunai import antispam

    data = {
        "kind": "feedback",
        "agency": agency.pk,
        "title": "Niêm yết thủ tục chưa đầy đủ",
        "content": "Bảng niêm yết tại bộ phận một cửa thiếu mức lệ phí.",
        "submitter_name": "Phạm Văn Bình",
        "submitter_phone": "0905111222",
        "submitter_address": "Thôn Đông, xã Tân Phú",
        "consent": "on",
        "form_token": antispam.form_token(),
        "website": "",
    }
    return _filled(data, extra)


def _filled(data: dict, extra: dict) -> dict:
    return {key: value for key, value in {**data, **extra}.items() if value is not None}


def counter_feedback_form(**extra) -> dict:
    """The staff entry of a feedback received at the counter just now (/khieu-nai/vao-so/):
    not enough chairs in the waiting room; `extra` changes a field, or leaves it out when None."""
    from django.utils import timezone

    data = {
        "kind": "feedback",
        "channel": "counter",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "title": "Ghế chờ không đủ",
        "content": "Buổi sáng đông người, thiếu ghế chờ.",
    }
    return _filled(data, extra)


def hotline_form(**extra) -> dict:
    """The hotline's fast entry (/duong-day-nong/): Vũ Văn Hải called just now about the fee
    for a certified copy, 2 min 5 s, answered; `extra` changes a field, or leaves it out when None."""
    from django.utils import timezone

    data = {
        "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "caller_phone": "0912345678",
        "caller_name": "Vũ Văn Hải",
        "topic": "Hỏi lệ phí chứng thực",
        "summary": "Hỏi lệ phí chứng thực bản sao.",
        "duration": "2:05",
        "outcome": CallOutcome.ANSWERED,
    }
    return _filled(data, extra)


def reception_form(**extra) -> dict:
    """The citizen-reception register's entry (/tiep-cong-dan/them/): Ngô Văn Tâm and two
    others came today about a land recovery and were guided to file a complaint; `extra`
    changes a field, or leaves it out when None."""
    from django.utils import timezone

    data = {
        "received_on": timezone.localdate().isoformat(),
        "citizen_name": "Ngô Văn Tâm",
        "address": "Xóm 2, xã Tân Phú",
        "people_count": "3",
        "content": "Khiếu nại việc thu hồi đất",
        "outcome": "Hướng dẫn gửi đơn",
    }
    return _filled(data, extra)


def log_call(actor, **values) -> HotlineCall:
    """A call logged by `actor` through khieunai.services.hotline_call_log: Trần Thị Bình
    asked what papers to bring (2 min 5 s, guided) at 09:15 02/03/2026, in the officer's
    agency; keyword arguments change any of it (a service refusal raises ValidationError)."""
    from khieunai import services

    call = {
        "agency": actor.agency,
        "started_at": local(2026, 3, 2, 9, 15),
        "line": "",
        "caller_name": "Trần Thị Bình",
        "caller_phone": "0987000222",
        "topic": "Hỏi thủ tục chứng thực",
        "summary": "Hỏi giấy tờ cần mang theo.",
        "duration_seconds": 125,
        "outcome": CallOutcome.GUIDED,
    }
    return services.hotline_call_log(**{**call, **values}, actor=actor)


def pdf_bytes() -> bytes:
    """A real one-page PDF (attachments are opened by a PDF parser, khieunai.uploads)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_pdf() -> io.BytesIO:
    return io.BytesIO(pdf_bytes())


def make_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"\x00\x00\x00\x00"
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_docx() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
