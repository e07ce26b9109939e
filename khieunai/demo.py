"""SAMPLE feedback, complaints, a denunciation, hotline calls over the last two quarters and
citizen-reception register entries for the demo province. Idempotent: each part is
skipped when its sample rows already exist. Dates are relative to today; names invented.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from thutuc.calendar import TZ
from thutuc.models import Agency, User

from . import services
from .models import CallOutcome, CitizenReception, Feedback, HotlineCall, TriageClass

JUSTICE, CENTRE, COMMUNE, WARD = "000.00.11.H99", "000.00.06.H99", "000.19.23.H99", "000.17.22.H99"
LAND = "000.00.20.H99"  # Sở Nông nghiệp và Môi trường

# (key, agency code, kind, channel, days ago, title, content, submitter, extra, steps)
# steps: "triage:<class>" / "assign" / "answer" / "publish" / "close"
CASES = [
    (
        "pa-niem-yet",
        JUSTICE,
        "feedback",
        "online",
        40,
        "Bảng niêm yết chưa có mức lệ phí chứng thực",
        "Tại quầy chứng thực, bảng niêm yết thủ tục không ghi mức lệ phí chứng thực bản sao từ bản chính.",
        ("Phạm Văn Bình", "0905111222", "binh.pv@example.vn", "Thôn Đông, xã Tân Phú"),
        {"publish_answer": True},
        ["triage:within", "assign", "answer", "publish", "close"],
    ),
    (
        "pa-thai-do",
        JUSTICE,
        "feedback",
        "hotline",
        12,
        "Cán bộ hướng dẫn chưa rõ ràng",
        "Tôi phải đi lại hai lần vì cán bộ không hướng dẫn đầy đủ giấy tờ cần nộp.",
        ("Trần Thị Lan", "0912333444", "", "Số 14 phố Lê Lai, phường Trung Sơn"),
        {},
        ["triage:official_conduct"],
    ),
    (
        "pa-dat-dai",
        JUSTICE,
        "feedback",
        "online",
        6,
        "Đề nghị hướng dẫn thủ tục cấp đổi sổ đỏ",
        "Đề nghị hướng dẫn hồ sơ cấp đổi giấy chứng nhận quyền sử dụng đất đã bị rách.",
        ("Nguyễn Văn Hùng", "0983555666", "", "Xóm 3, xã Tân Phú"),
        {},
        ["triage:outside"],
    ),
    (
        "pa-ghe-cho",
        CENTRE,
        "feedback",
        "counter",
        3,
        "Khu vực chờ thiếu ghế vào buổi sáng",
        "Buổi sáng thứ Hai đông người, nhiều người phải đứng chờ lâu.",
        ("", "", "", ""),
        {},
        [],
    ),
    (
        "pa-xa-den",
        COMMUNE,
        "feedback",
        "online",
        20,
        "Đèn đường thôn Đông bị hỏng",
        "Ba cột đèn đường ở thôn Đông không sáng hơn một tháng nay.",
        ("Lê Văn Tú", "0868777888", "", "Thôn Đông, xã Tân Phú"),
        {},
        [],
    ),
    (
        "kn-phuc-tap",
        JUSTICE,
        "complaint",
        "mail",
        25,
        "Khiếu nại quyết định xử phạt vi phạm hành chính",
        "Khiếu nại Quyết định xử phạt số 45/QĐ-XPHC về lĩnh vực công chứng; đề nghị xem xét lại mức phạt.",
        ("Công ty TNHH Minh Phát (ông Đặng Văn Minh)", "0237 3999 123", "", "Khu công nghiệp Bắc Sơn"),
        {},
        ["triage:within:complex", "assign"],
    ),
    (
        "kn-lan-hai",
        JUSTICE,
        "complaint",
        "counter",
        9,
        "Khiếu nại lần hai về từ chối đăng ký khai sinh quá hạn",
        "Không đồng ý với quyết định giải quyết khiếu nại lần đầu của UBND phường Bắc Sơn.",
        ("Võ Thị Hạnh", "0934222111", "", "Số 80 đường Bà Triệu, phường Bắc Sơn"),
        {"is_second_instance": True},
        ["triage:within"],
    ),
    (
        "kn-moi",
        WARD,
        "complaint",
        "online",
        2,
        "Khiếu nại việc thu phí vệ sinh",
        "Tổ dân phố thu phí vệ sinh cao hơn mức quy định.",
        ("Bùi Văn Sơn", "0977111000", "", "Tổ 5, phường Trung Sơn"),
        {},
        [],
    ),
    (
        "tc-nhan-tien",
        JUSTICE,
        "denunciation",
        "mail",
        15,
        "Tố cáo cán bộ nhận tiền ngoài quy định",
        "Cán bộ tiếp nhận yêu cầu nộp thêm 500.000 đồng để giải quyết nhanh hồ sơ chứng thực.",
        ("Hoàng Thị Mai", "0977333444", "", "Số 9 đường Bà Triệu, phường Bắc Sơn"),
        {},
        ["triage:within", "assign"],
    ),
]

CALL_TOPICS = [
    ("Hỏi thủ tục chứng thực bản sao", "Hướng dẫn giấy tờ cần mang theo và lệ phí.", CallOutcome.GUIDED),
    ("Hỏi tiến độ hồ sơ", "Cung cấp ngày hẹn trả kết quả theo mã hồ sơ.", CallOutcome.ANSWERED),
    (
        "Hỏi giờ làm việc bộ phận một cửa",
        "Trả lời giờ làm việc, sáng thứ Bảy không làm việc.",
        CallOutcome.ANSWERED,
    ),
    ("Hỏi thủ tục đất đai", "Chuyển sang Sở Nông nghiệp và Môi trường.", CallOutcome.TRANSFERRED),
    (
        "Hỏi nộp hồ sơ trực tuyến",
        "Hướng dẫn tạo tài khoản và nộp hồ sơ trên cổng dịch vụ công.",
        CallOutcome.GUIDED,
    ),
    ("Phản ánh chậm trả kết quả", "Hồ sơ quá hẹn, công dân đề nghị xem xét.", CallOutcome.FEEDBACK),
]
CALLERS = ["Vũ Văn Hải", "Đinh Thị Thu", "Lý Văn Nam", "Mai Thị Hoa", "", "Tạ Quang Huy", "Phan Thị Yến"]

RECEPTIONS = [
    (
        JUSTICE,
        "Ngô Văn Tâm",
        "Xóm 2, xã Tân Phú",
        3,
        "Khiếu nại việc chứng thực hợp đồng chuyển nhượng",
        "UBND xã đã trả lời bằng văn bản",
        "Đề nghị Sở xem xét lại",
        "Hướng dẫn gửi đơn khiếu nại theo quy định",
    ),
    (
        JUSTICE,
        "Lý Thị Hoa",
        "Tổ 3, phường Bắc Sơn",
        1,
        "Hỏi về thủ tục cấp phiếu lý lịch tư pháp",
        "",
        "Được hướng dẫn thủ tục",
        "Đã hướng dẫn, công dân đồng ý",
    ),
    (
        CENTRE,
        "Đoàn Văn Lực",
        "Thôn Tây, xã Tân Phú",
        5,
        "Phản ánh việc giải quyết hồ sơ đất đai chậm",
        "Đã nộp hồ sơ từ 3 tháng trước",
        "Đề nghị trả kết quả",
        "Tiếp nhận đơn, chuyển Sở Nông nghiệp và Môi trường",
    ),
    (
        CENTRE,
        "Trương Thị Nga",
        "Số 2 phố Hàng Bè, phường Trung Sơn",
        1,
        "Đề nghị hướng dẫn nộp hồ sơ trực tuyến",
        "",
        "",
        "Đã hướng dẫn tại chỗ",
    ),
]


def _moment(days_ago: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, minute), TZ)


def _seed_cases(users, agencies) -> int:
    created = 0
    leader, specialist = users["lanhdao"], users["chuyenvien"]
    for _key, code, kind, channel, days, title, content, who, extra, steps in CASES:
        agency = agencies[code]
        if Feedback.objects.filter(agency=agency, title=title).exists():
            continue
        name, phone, email, address = who
        received = _moment(days)
        actor = users["tiepnhan"] if code == CENTRE and channel != "online" else None
        if code == JUSTICE and channel != "online":
            actor = specialist
        feedback = services.feedback_submit(
            kind=kind,
            channel=channel,
            agency=agency,
            title=title,
            content=content,
            submitter_name=name,
            submitter_phone=phone,
            submitter_email=email,
            submitter_address=address,
            received_at=received,
            actor=actor,
            **extra,
        )
        moment = received
        for step in steps:
            moment = moment + dt.timedelta(days=1)
            if step.startswith("triage:"):
                parts = step.split(":")
                triage = TriageClass(parts[1])
                services.feedback_triage(
                    feedback=feedback,
                    triage=triage,
                    is_complex=("complex" in parts) or None,
                    forwarded_to={TriageClass.OFFICIAL_CONDUCT: "Chánh Văn phòng Sở Tư pháp"}.get(triage, ""),
                    # outside the department's competence: sent to the land department inside
                    # the portal (it enters that agency's register, with this history)
                    forwarded_agency=Agency.objects.filter(code=LAND).first()
                    if triage == TriageClass.OUTSIDE_COMPETENCE
                    else None,
                    at=min(moment, timezone.now()),
                    actor=leader,
                )
            elif step == "assign":
                services.feedback_assign(feedback=feedback, assignee=specialist, actor=leader)
            elif step == "answer":
                services.feedback_answer(
                    feedback=feedback,
                    answer="Sở Tư pháp đã chỉ đạo bổ sung mức lệ phí chứng thực vào bảng niêm yết "
                    "tại quầy số 3. Cảm ơn ông/bà đã phản ánh.",
                    at=min(moment + dt.timedelta(days=3), timezone.now()),
                    actor=specialist,
                )
            elif step == "publish":
                services.feedback_publish(
                    feedback=feedback, public_title="Niêm yết lệ phí chứng thực bản sao", actor=leader
                )
            elif step == "close":
                services.feedback_close(feedback=feedback, actor=leader)
        created += 1
    return created


def _seed_calls(users) -> int:
    handlers = [users["tiepnhan"], users["chuyenvien"]]
    if HotlineCall.objects.filter(handler__in=handlers).exists():
        return 0
    rng = random.Random(2026)  # the same sample every time
    created = 0
    for days_ago in range(180, 0, -1):
        moment = _moment(days_ago)
        if moment.date() != timezone.localdate() - dt.timedelta(days=days_ago):
            continue  # weekend
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            topic, summary, outcome = rng.choice(CALL_TOPICS)
            handler = rng.choice(handlers)
            services.hotline_call_log(
                agency=handler.agency,
                started_at=moment.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59)),
                line="",
                caller_name=rng.choice(CALLERS),
                caller_phone=f"09{rng.randint(10000000, 99999999)}",
                topic=topic,
                summary=summary,
                duration_seconds=rng.randint(40, 600),
                outcome=outcome,
                transferred_to="Sở Nông nghiệp và Môi trường" if outcome == CallOutcome.TRANSFERRED else "",
                actor=handler,
            )
            created += 1
    return created


def _seed_receptions(users, agencies) -> int:
    created = 0
    officers = {JUSTICE: users["lanhdao"], CENTRE: users["tiepnhan"]}
    for index, (code, name, address, people, content, prior, request, outcome) in enumerate(RECEPTIONS):
        agency = agencies[code]
        if CitizenReception.objects.filter(agency=agency, citizen_name=name, content=content).exists():
            continue
        services.citizen_reception_record(
            agency=agency,
            received_on=_moment(60 - index * 14).date(),
            citizen_name=name,
            address=address,
            people_count=people,
            content=content,
            prior_handling=prior,
            request=request,
            outcome=outcome,
            actor=officers[code],
        )
        created += 1
    return created


def seed(stdout=None) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien", "lanhdao"])}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[JUSTICE, CENTRE, COMMUNE, WARD])}
    if len(users) < 3 or len(agencies) < 4:
        if stdout is not None:
            stdout.write("khieunai: thiếu dữ liệu mẫu của thutuc, bỏ qua.")
        return
    started = timezone.now()
    cases = _seed_cases(users, agencies)
    calls = _seed_calls(users)
    receptions = _seed_receptions(users, agencies)
    # The sample's messages (answers e-mailed to invented submitters, the code + PIN texted
    # to invented callers) belong to its past: recorded as delivered, so that a real worker
    # never sends them after commit.
    from django.db.models import F

    from motcua.models import Notification

    Notification.objects.filter(
        kind__startswith="feedback_", created_at__gte=started, sent_at__isnull=True
    ).update(sent_at=F("created_at"))
    if stdout is not None:
        stdout.write(
            f"Phản ánh, khiếu nại, tố cáo mới: {cases}; cuộc gọi đường dây nóng: {calls}; "
            f"lượt tiếp công dân: {receptions}"
        )
