"""Messages to the applicant of a dossier (e-mail and SMS), sent at the moments the
decree requires: acceptance, supplement request, apology with a new date, result ready."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..models import NotificationChannel
from .service import notify

KINDS = {
    "accepted": (
        _("Hồ sơ %(code)s đã được tiếp nhận"),
        _(
            "Hồ sơ %(code)s (%(procedure)s) đã được tiếp nhận lúc %(received)s. "
            "Ngày hẹn trả kết quả: %(due)s. Tra cứu tại %(url)s "
            "bằng mã hồ sơ và mã tra cứu trên giấy tiếp nhận."
        ),
    ),
    "supplement_requested": (
        _("Hồ sơ %(code)s cần bổ sung"),
        _(
            "Hồ sơ %(code)s cần bổ sung, hoàn thiện. Vui lòng xem phiếu yêu cầu bổ sung và nộp lại giấy tờ "
            "tại bộ phận một cửa. Thời hạn giải quyết được tính lại khi nhận đủ hồ sơ bổ sung."
        ),
    ),
    "apology": (
        _("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
        _(
            "Cơ quan giải quyết xin lỗi vì hồ sơ %(code)s chưa có kết quả đúng hẹn. "
            "Ngày hẹn trả kết quả mới: %(due)s."
        ),
    ),
    "result_ready": (
        _("Hồ sơ %(code)s đã có kết quả"),
        _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà đến nhận kết quả theo hình thức đã đăng ký."),
    ),
    "refused": (
        _("Hồ sơ %(code)s không được giải quyết"),
        _(
            "Hồ sơ %(code)s không được giải quyết. Lý do được nêu trong văn bản trả lời; "
            "mời ông/bà đến nhận lại hồ sơ."
        ),
    ),
}


def _fmt(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""


def notify_applicant(dossier, kind: str) -> int:
    """Record (and enqueue after commit) the e-mail and SMS of `kind` for the dossier's
    applicant. Each exists once per dossier, kind and appointment date. Returns how many
    notifications were created."""
    from django.conf import settings

    subject_template, body_template = KINDS[kind]
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "received": _fmt(dossier.received_at),
        "due": _fmt(dossier.due_at),
        "url": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/",
    }
    subject, body = subject_template % values, body_template % values
    created = 0
    for channel, address in (
        (NotificationChannel.EMAIL, dossier.applicant_email),
        (NotificationChannel.SMS, dossier.applicant_phone),
    ):
        if not address:
            continue
        key = f"dossier:{dossier.pk}:{kind}:{dossier.due_at:%Y%m%d%H%M}:{channel}"
        if notify(
            channel=channel,
            kind=kind,
            subject=subject,
            body=body,
            address=address,
            dossier=dossier,
            dedupe_key=key,
        ):
            created += 1
    return created
