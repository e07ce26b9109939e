"""Messages to the applicant of a dossier (e-mail and SMS), sent at the moments the
decree requires: acceptance, supplement request, apology with a new date, result ready
(early results say so), refusal, stop, withdrawal, and the closing of a dossier whose
supplement did not arrive (NĐ 118/2025/NĐ-CP Điều 19 khoản 5), with its reason.

The e-mail is full Vietnamese text with the tracking link. The SMS is unaccented GSM-7
text in one 160-character part (see `sms_text`): several wordings are tried, richest
first, and the first that fits is sent. Messages never carry the ID number, address or
a staff name; the PIN travels only inside the tracking link (its URL fragment), and only
when the caller has it (at acceptance). The message is *stored* with the PIN-less link
and the PIN sealed beside it (`Notification.sealed_pin`, see core.pins); delivery puts
the PIN back into the link and wipes the sealed value once the message is sent.
"""

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import pins
from core.sms_text import fit_sms
from thutuc.deadlines import EARLY

from ..models import NotificationChannel, Outcome, ResultDelivery
from ..tracking import links
from .service import notify, notify_new

KINDS = (
    "accepted",
    "supplement_requested",
    "apology",
    "result_ready",
    "refused",
    "stopped",
    "withdrawn",
    "closed",
)


def _fmt(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "d/m/Y") if moment else ""


def tracking_link(dossier, pin: str | None = None) -> str:
    """The tracking page: opens the dossier when the PIN is known, else prefills the code."""
    return links.tracking_url(dossier.code, pin or "")


def is_early(dossier, at=None) -> bool:
    """Ready on an earlier day than the statutory deadline: the one rule of early / on
    time / late (motcua.services.deadlines.classify_dossier, as Biểu II.06a counts), so
    that the message never says "early" of a result the report counts on time."""
    from ..services.deadlines import classify_dossier

    return classify_dossier(dossier, finished_at=dossier.finished_at or at or timezone.now()) == EARLY


def compose(dossier, kind: str, *, pin: str | None = None, at=None) -> tuple[str, str, str]:
    """(e-mail subject, e-mail body, SMS text) of `kind` for the dossier.

    The SMS wordings are written unaccented on purpose (what the gateway sends) and are
    not translated; the e-mail text goes through gettext like the rest of the UI."""
    if kind not in KINDS:
        raise ValueError(f"unknown applicant notification kind: {kind}")
    url = tracking_link(dossier, pin)
    short_url = f"{settings.PUBLIC_BASE_URL.rstrip('/')}/tra-cuu/"
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure_name,
        "agency": dossier.receiving_agency.name,
        "received": _fmt(dossier.received_at),
        "due": _fmt(dossier.due_at),
        "due_day": _day(dossier.due_at),
        "original_due": _fmt(dossier.original_due_at),
        "reason": dossier.outcome_reason,
        "delivery_address": dossier.delivery_address,
        "counter": dossier.receiving_agency.name,
        "url": url,
        "short_url": short_url,
        # the citizen's supplement page (signing in with a code sent to this phone/e-mail)
        "supplement_url": f"{settings.PUBLIC_BASE_URL.rstrip('/')}/cong-dan/ho-so/{dossier.code}/bo-sung/",
    }
    greeting = _("Kính gửi ông/bà,")
    footer = _(
        "Theo dõi hồ sơ tại: %(url)s\n"
        "(Mã hồ sơ và mã tra cứu in trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.)"
    )
    signature = _("Trân trọng,\n%(agency)s")

    if kind == "accepted":
        subject = _("Hồ sơ %(code)s đã được tiếp nhận")
        lines = [
            _("%(agency)s đã tiếp nhận hồ sơ %(code)s (%(procedure)s) lúc %(received)s."),
            _("Ngày hẹn trả kết quả: %(due)s."),
        ]
        sms = [
            "Ho so %(code)s da duoc tiep nhan, hen tra ket qua %(due)s. Tra cuu: %(url)s",
            "HS %(code)s da tiep nhan, hen tra %(due)s. Tra cuu: %(url)s",
            "HS %(code)s da tiep nhan, hen tra %(due)s. Tra cuu: %(short_url)s",
            "HS %(code)s da tiep nhan, hen tra %(due)s.",
        ]
    elif kind == "supplement_requested":
        subject = _("Hồ sơ %(code)s cần bổ sung, hoàn thiện")
        lines = [
            _("Hồ sơ %(code)s (%(procedure)s) cần được bổ sung, hoàn thiện."),
            _(
                "Vui lòng xem phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (liệt kê đầy đủ các giấy tờ "
                "cần bổ sung) và nộp lại tại bộ phận một cửa. Thời hạn giải quyết được tính lại "
                "từ đầu khi nhận đủ hồ sơ bổ sung."
            ),
            _(
                "Sau 15 ngày kể từ ngày thông báo (hoặc thời hạn ghi trên phiếu) mà chưa bổ sung "
                "đủ, hồ sơ sẽ bị đóng."
            ),
            _(
                "Có thể nộp giấy tờ bổ sung trực tuyến tại %(supplement_url)s (đăng nhập bằng mã "
                "gửi đến số điện thoại hoặc thư điện tử đã khai trong hồ sơ)."
            ),
        ]
        sms = [
            "Ho so %(code)s can bo sung, hoan thien. Vui long xem phieu yeu cau bo sung va nop lai "
            "tai bo phan mot cua. Tra cuu: %(url)s",
            "HS %(code)s can bo sung giay to, xem phieu yeu cau bo sung. Tra cuu: %(url)s",
            "HS %(code)s can bo sung giay to. Tra cuu: %(short_url)s",
            "HS %(code)s can bo sung giay to, xem phieu yeu cau bo sung.",
        ]
    elif kind == "apology":
        # Written by the competent agency (NĐ 118/2025 Điều 19 khoản 6); the result comes the
        # way the applicant chose at intake.
        values["agency"] = dossier.competent_agency.name
        subject = _("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s")
        lines = [
            _(
                "%(agency)s thành thật xin lỗi ông/bà vì hồ sơ %(code)s (%(procedure)s) "
                "chưa có kết quả đúng ngày hẹn %(original_due)s."
            ),
            _("Ngày hẹn trả kết quả mới: %(due)s."),
            _("Kết quả sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ %(delivery_address)s.")
            if dossier.result_delivery == ResultDelivery.POST
            # the electronic result on the national portal (NĐ 118/2025 Điều 22 khoản 3)
            else _("Kết quả điện tử được trả trên Cổng Dịch vụ công quốc gia.")
            if dossier.result_delivery == ResultDelivery.ONLINE
            else _("Kết quả được trả tại %(counter)s."),
        ]
        sms = [
            "Xin loi ong/ba: ho so %(code)s cham so voi ngay hen. Hen tra ket qua moi: %(due)s. "
            "Tra cuu: %(url)s",
            "Xin loi: HS %(code)s cham hen, hen tra moi %(due)s. Tra cuu: %(url)s",
            "Xin loi: HS %(code)s cham hen, hen tra moi %(due)s. Tra cuu: %(short_url)s",
            "Xin loi: HS %(code)s cham hen, hen tra moi %(due)s.",
        ]
    elif kind == "result_ready":
        early = is_early(dossier, at)
        by_post = dossier.result_delivery == ResultDelivery.POST
        # the electronic result on the national portal: nothing to collect (NĐ 118/2025 Điều 22 khoản 3)
        online = dossier.result_delivery == ResultDelivery.ONLINE
        subject = (
            _("Hồ sơ %(code)s đã có kết quả sớm hơn ngày hẹn") if early else _("Hồ sơ %(code)s đã có kết quả")
        )
        lines = [
            _("Hồ sơ %(code)s (%(procedure)s) đã có kết quả, sớm hơn ngày hẹn %(due)s.")
            if early
            else _("Hồ sơ %(code)s (%(procedure)s) đã có kết quả."),
            _("Kết quả sẽ được gửi qua dịch vụ bưu chính công ích đến địa chỉ ông/bà đã đăng ký.")
            if by_post
            else _("Kết quả điện tử được trả trên Cổng Dịch vụ công quốc gia, tại tài khoản của ông/bà.")
            if online
            else _("Mời ông/bà mang giấy tiếp nhận hồ sơ đến %(agency)s để nhận kết quả."),
        ]
        head = "HS %(code)s da co ket qua som hon hen (%(due_day)s)" if early else "HS %(code)s da co ket qua"
        where = (
            "Ket qua gui qua buu dien"
            if by_post
            else "Ket qua dien tu tra tren Cong DVC quoc gia"
            if online
            else "Moi nhan ket qua tai bo phan mot cua"
        )
        # Where to collect the result matters more than the link: drop the link first.
        sms = [
            f"{head}. {where}. Tra cuu: %(url)s",
            f"{head}. {where}. Tra cuu: %(short_url)s",
            f"{head}. {where}.",
            f"{head}. Tra cuu: %(short_url)s",
            f"{head}.",
        ]
    elif kind == "stopped":
        subject = _("Hồ sơ %(code)s đã dừng giải quyết")
        lines = [
            _("%(agency)s thông báo dừng giải quyết hồ sơ %(code)s (%(procedure)s)."),
            _(
                "Lý do và căn cứ được nêu trong thông báo dừng giải quyết hồ sơ; mời ông/bà đến "
                "%(agency)s nhận thông báo và nhận lại hồ sơ."
            ),
        ]
        sms = [
            "Ho so %(code)s da dung giai quyet. Moi ong/ba den bo phan mot cua nhan thong bao va nhan lai "
            "ho so. Tra cuu: %(url)s",
            "HS %(code)s da dung giai quyet, moi nhan thong bao dung. Tra cuu: %(url)s",
            "HS %(code)s da dung giai quyet. Tra cuu: %(short_url)s",
            "HS %(code)s da dung giai quyet, moi nhan thong bao dung.",
        ]
    elif kind == "closed":
        subject = _("Hồ sơ %(code)s đã bị đóng do chưa bổ sung")
        lines = [
            _("%(agency)s thông báo đóng hồ sơ %(code)s (%(procedure)s)."),
            _("Lý do: %(reason)s"),
            _("Mời ông/bà liên hệ %(agency)s để nhận lại hồ sơ; nếu vẫn có nhu cầu, ông/bà nộp hồ sơ mới."),
        ]
        sms = [
            "Ho so %(code)s da bi dong do qua han bo sung 15 ngay ma chua bo sung. Moi ong/ba lien he "
            "bo phan mot cua nhan lai ho so. Tra cuu: %(url)s",
            "HS %(code)s da bi dong do qua han bo sung. Tra cuu: %(url)s",
            "HS %(code)s da bi dong do qua han bo sung. Tra cuu: %(short_url)s",
            "HS %(code)s da bi dong do qua han bo sung.",
        ]
    elif kind == "withdrawn":
        subject = _("Hồ sơ %(code)s đã được rút theo đề nghị")
        lines = [
            _(
                "Theo đề nghị của ông/bà, hồ sơ %(code)s (%(procedure)s) đã được rút và "
                "không tiếp tục giải quyết."
            ),
            _("Mời ông/bà đến %(agency)s nhận lại hồ sơ (nếu chưa nhận)."),
        ]
        sms = [
            "Ho so %(code)s da duoc rut theo de nghi cua ong/ba va khong tiep tuc giai quyet. "
            "Tra cuu: %(url)s",
            "HS %(code)s da duoc rut theo de nghi. Tra cuu: %(url)s",
            "HS %(code)s da duoc rut theo de nghi. Tra cuu: %(short_url)s",
            "HS %(code)s da duoc rut theo de nghi.",
        ]
    else:  # refused
        subject = _("Hồ sơ %(code)s không được giải quyết")
        lines = [
            _("Hồ sơ %(code)s (%(procedure)s) không đủ điều kiện giải quyết."),
            _(
                "Lý do được nêu trong văn bản trả lời; mời ông/bà đến %(agency)s nhận văn bản "
                "và nhận lại hồ sơ."
            ),
        ]
        sms = [
            "Ho so %(code)s khong du dieu kien giai quyet. Moi ong/ba den bo phan mot cua nhan van ban "
            "tra loi. Tra cuu: %(url)s",
            "HS %(code)s khong duoc giai quyet, moi nhan van ban tra loi. Tra cuu: %(url)s",
            "HS %(code)s khong duoc giai quyet. Tra cuu: %(short_url)s",
            "HS %(code)s khong duoc giai quyet, moi nhan van ban tra loi.",
        ]
    body = "\n\n".join([greeting, *(line % values for line in lines), footer % values, signature % values])
    return subject % values, body, fit_sms(candidate % values for candidate in sms)


def notify_applicant(
    dossier, kind: str, *, pin: str | None = None, at=None, new_dossier: bool = False
) -> int:
    """Record (and enqueue after commit) the e-mail and SMS of `kind` for the dossier's
    applicant. Each exists once per dossier, kind and appointment date, so a rerun or a
    double click sends nothing twice. Pass `pin` at acceptance to put the direct link in
    the message: the texts are composed with it (so that the SMS chosen fits with the PIN),
    then stored without it and with the PIN sealed. `new_dossier`: the dossier was created in
    the caller's transaction, so no message of it exists yet (one INSERT, no savepoint).
    Returns how many were created."""
    subject, body, sms = compose(dossier, kind, pin=pin, at=at)
    if kind == "result_ready" and dossier.outcome == Outcome.REFUSED:
        subject, body, sms = compose(dossier, "refused", pin=pin, at=at)
    sealed_pin = pins.seal(dossier.code, pin) if pin else ""
    messages = [
        dict(
            channel=channel,
            kind=kind,
            subject=subject,
            body=links.without_pin(text, dossier.code, pin or ""),
            sealed_pin=sealed_pin,
            address=address,
            dossier=dossier,
            dedupe_key=f"dossier:{dossier.pk}:{kind}:{dossier.due_at:%Y%m%d%H%M}:{channel}",
        )
        for channel, address, text in (
            (NotificationChannel.EMAIL, dossier.applicant_email, body),
            (NotificationChannel.SMS, dossier.applicant_phone, sms),
        )
        if address
    ]
    if new_dossier:
        return len(notify_new(messages))
    return sum(1 for message in messages if notify(**message))
