"""Sample dossiers for demonstrations: a few hundred over the last two quarters, in every
status, created through the real services (codes, register numbers, events, deadlines and
notifications are all genuine). SAMPLE data: invented applicants.

Routed the way the UI routes them: received at a counter that takes the procedure, handed
by the counter to the next routing step (the transfer form's default, services.
transitions.next_step) and its officer, by the specialist to the leader's step, approved
by that leader, returned by the counter. Dossiers are received in time order, so each
counter's register numbers follow the order of receipt. Procedures handled by the units of
the README's logins (chuyenvien, lanhdao) are drawn more often, so that their worklists
have work in them.

`seed(stdout=None, count=300)` is idempotent: the dossiers carry fixed intake tokens, and
when the first one exists nothing is added. Deterministic (seeded random) for a given day.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from core.text import fold
from thutuc import deadlines as rules
from thutuc.accounts.roles import Role, user_roles
from thutuc.calendar import HOURS_PER_WORKING_DAY, TZ
from thutuc.calendar_store import get_calendar
from thutuc.catalogue import places
from thutuc.catalogue.versions import not_receivable_reason
from thutuc.models import Agency, AgencyLevel, DocumentKind, Procedure, User

from .models import (
    Channel,
    Dossier,
    IntakeAttempt,
    IntakeOutcome,
    Notification,
    OnlineSource,
    OnlineSubmission,
    RatingValue,
    ResultDelivery,
    Status,
)
from .services import transitions as t
from .services.intake import Applicant, ReceivedDocument, dossier_receive, intake_attempt_record
from .services.online import online_submission_record
from .services.rating import dossier_rate

DEFAULT_COUNT = 300
SEED = 2026
TOKEN_NAMESPACE = uuid.UUID("6f1d3c1e-8a51-4d0b-9b2f-0d3c6a7e2b01")
CENTRE_CODE = "000.00.06.H99"

# Share of each target state (cumulative weights over the plan below).
PLAN = [
    ("returned", 46),
    ("result_ready", 7),
    ("refused", 3),
    ("processing", 14),
    ("received", 5),
    ("waiting_supplement", 7),
    ("waiting_payment", 4),
    ("withdrawn", 3),
    ("stopped", 3),
    ("overdue", 5),
    ("due_soon", 3),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hữu", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Long", "Mai", "Nam"]
GIVEN += ["Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
STREETS = ["Nguyễn Trãi", "Lê Lợi", "Trần Phú", "Bà Triệu", "Hạc Thành", "Quang Trung", "Hai Bà Trưng"]
SUPPLEMENT_ITEMS = [
    "Bản sao chứng thực giấy tờ tùy thân",
    "Tờ khai có chữ ký của người yêu cầu",
    "Giấy ủy quyền có chứng thực",
    "Bản chính giấy tờ chứng minh nơi cư trú",
]
COMMENTS = {
    RatingValue.VERY_SATISFIED: ["Cán bộ hướng dẫn tận tình, trả kết quả sớm.", "Rất nhanh gọn.", ""],
    RatingValue.SATISFIED: ["Thủ tục rõ ràng.", "", "Thời gian chờ hơi lâu nhưng đúng hẹn."],
    RatingValue.DISSATISFIED: ["Phải đi lại nhiều lần để bổ sung giấy tờ.", "Trả kết quả chậm so với hẹn."],
}


def _token(index: int) -> uuid.UUID:
    return uuid.uuid5(TOKEN_NAMESPACE, f"dossier-{index}")


def _attempt_token(index: int) -> uuid.UUID:
    return uuid.uuid5(TOKEN_NAMESPACE, f"attempt-{index}")


class _Staff:
    """The demo officers doing each job, created for agencies that have none (sample data)."""

    def __init__(self):
        self.cache: dict[tuple[str, int], User] = {}
        self.created = 0

    def get(self, role: str, agency: Agency) -> User:
        key = (role, agency.pk)
        if key not in self.cache:
            found = [u for u in User.objects.filter(agency=agency, is_active=True) if role in user_roles(u)]
            if found:
                user = min(found, key=lambda u: u.pk)
            else:
                from django.contrib.auth.models import Group

                slug = slugify(fold(agency.code or agency.name))[:40]
                prefix = {Role.RECEPTION: "mc", Role.SPECIALIST: "cv", Role.LEADER: "ld"}[role]
                title = {
                    Role.RECEPTION: "Công chức một cửa",
                    Role.SPECIALIST: "Chuyên viên",
                    Role.LEADER: "Lãnh đạo",
                }[role]
                user, created = User.objects.get_or_create(
                    username=f"{prefix}-{slug}",
                    defaults={
                        "full_name": f"{title} (mẫu) – {agency.name}"[:150],
                        "agency": agency,
                        "position": title,
                        "email": f"{prefix}-{slug}@minhson.gov.vn",
                    },
                )
                if created:
                    from thutuc.demo import DEMO_PASSWORD

                    user.set_password(DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                    user.groups.add(Group.objects.get(name=str(role)))
                    self.created += 1
            self.cache[key] = user
        return self.cache[key]

    def leader_for(self, unit: Agency) -> User:
        # A leader sees their agency and its units: the department's leader signs for its units.
        if unit.level == AgencyLevel.UNIT and unit.parent_id:
            return self.get(Role.LEADER, unit.parent)
        return self.get(Role.LEADER, unit)


def _applicant(rng: random.Random, index: int) -> Applicant:
    name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return Applicant(
        name=name,
        id_number=f"0371{rng.randrange(10**7, 10**8)}",
        phone=f"09{rng.randrange(10**7, 10**8)}",
        email=f"congdan{index:03d}@example.com" if rng.random() < 0.6 else "",
        address=f"Số {rng.randint(1, 200)} đường {rng.choice(STREETS)}, tỉnh Minh Sơn",
    )


def _documents(case) -> list[ReceivedDocument]:
    return [
        ReceivedDocument(
            name=d.name,
            originals=d.originals,
            certified_copies=d.certified_copies,
            photocopies=d.photocopies,
            procedure_document_id=d.pk,
            print_name=d.print_name,
        )
        for d in case.documents.all()
        if d.kind != DocumentKind.SHOW  # papers shown are handed back, not filed
    ]


def _office_moment(rng: random.Random, calendar, day: dt.date) -> dt.datetime:
    """A moment within office hours of a working day on or before `day`."""
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    minutes = rng.choice([7 * 60 + 45, 8 * 60 + 30, 9 * 60 + 15, 10 * 60, 14 * 60, 15 * 60 + 10, 16 * 60])
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), TZ)


def _after(calendar, moment: dt.datetime, hours: float) -> dt.datetime:
    return calendar.add_working_hours(moment, Decimal(str(hours)))


def _received_at_for_due(calendar, case, now: dt.datetime, *, overdue: bool) -> dt.datetime | None:
    """A receipt moment (on the hour, in office hours, in the past) whose deadline is due
    within 1–6 working hours from now, or (overdue) passed 2–40 working hours ago."""
    start = now.replace(minute=0, second=0, microsecond=0)
    for back in range(1, 24 * 120):
        received = start - dt.timedelta(hours=back)
        local = received.astimezone(TZ)
        if not 8 <= local.hour < 16 or not calendar.is_working_day(local.date()):
            continue
        due = rules.case_due_at(calendar, case, received)
        if overdue and due < now and 2 <= calendar.working_hours_between(due, now) <= 40:
            return received
        if not overdue and due > now and 1 <= calendar.working_hours_between(now, due) <= 6:
            return received
    return None


# Units whose officers are the README's demo logins: their procedures are drawn more often.
FEATURED_UNITS = ("Phòng Hành chính tư pháp",)
FEATURED_WEIGHT = 6


@dataclass
class _Plan:
    index: int
    state: str
    case: object
    receiving: Agency
    received: dt.datetime
    seed: float


def _case_weight(case) -> int:
    featured = any(s.agency_id and s.agency.name in FEATURED_UNITS for s in case.steps.all())
    return FEATURED_WEIGHT if featured else 1


def _receiving_for(rng, case, centre, communes) -> Agency:
    """A counter that takes the procedure, as the intake page offers it: a commune-level
    procedure that names no agency is received (and resolved) by a commune; otherwise the
    centre mostly (NĐ 118/2025), sometimes a commune counter the procedure lists."""
    procedure = case.procedure
    listed = [
        a
        for a in procedure.receiving_agencies.all()
        if a.level == AgencyLevel.COMMUNE and a.can_receive_dossiers
    ]
    generic = not procedure.receiving_agencies.all() and procedure.competent_agency_id is None
    if generic and procedure.has_level("commune") and not procedure.has_level("province"):
        return rng.choice(communes) if communes else centre
    if not listed or rng.random() < 0.75:
        return centre
    return rng.choice(listed)


def _receipt_moment(rng, *, index, state, case, calendar, now) -> dt.datetime | None:
    if state in ("overdue", "due_soon"):
        return _received_at_for_due(calendar, case, now, overdue=state == "overdue")
    if state == "received":
        local = timezone.localtime(now)
        open_since = (local.hour - 7) * 60 + local.minute - 30  # minutes since 07:30 today
        if calendar.is_working_day(local.date()) and open_since > 10 and index % 2 == 0:
            return now - dt.timedelta(minutes=rng.randint(5, min(open_since, 8 * 60)))  # today's intake
        return _office_moment(rng, calendar, (local - dt.timedelta(days=1)).date())
    if state == "waiting_supplement":
        # asked within the last 15 days: older ones would have been closed (NĐ 118/2025
        # Điều 19 khoản 5, the daily job)
        days_back = rng.randint(3, 10)
    elif state in ("processing", "waiting_payment"):
        days_back = rng.randint(3, 30)
    elif state in ("result_ready", "refused"):
        days_back = rng.randint(8, 40)
    else:
        days_back = rng.randint(12, 182)
    return _office_moment(rng, calendar, (now - dt.timedelta(days=days_back)).date())


def seed(stdout=None, count: int = DEFAULT_COUNT) -> None:
    def say(text):
        if stdout is not None:
            stdout.write(text)

    if Dossier.objects.filter(intake_token=_token(0)).exists():
        say("Hồ sơ mẫu đã có sẵn: không thêm gì.")
        return
    # Cases a counter can receive now: in force, with a stated time (thutuc.catalogue.versions).
    cases = [
        case
        for procedure in Procedure.objects.filter(is_active=True)
        .order_by("code")
        .prefetch_related("cases__documents", "cases__steps__agency", "cases__channels", "receiving_agencies")
        for case in procedure.cases.all()
        if not not_receivable_reason(case) and places.received_anywhere(procedure)
    ]
    if not cases:
        say("Chưa có thủ tục hành chính nào đang áp dụng: chưa tạo hồ sơ mẫu (nạp danh mục thủ tục trước).")
        return
    centre = Agency.objects.filter(code=CENTRE_CODE).first()
    if centre is None or not centre.can_receive_dossiers:
        say("Chưa có Trung tâm Phục vụ hành chính công mẫu (chạy thutuc.demo trước): chưa tạo hồ sơ mẫu.")
        return

    rng = random.Random(SEED)
    staff = _Staff()
    now = timezone.now()
    calendars: dict[int, object] = {}

    def calendar_of(agency):
        if agency.pk not in calendars:
            calendars[agency.pk] = get_calendar(agency)
        return calendars[agency.pk]

    communes = [
        a
        for a in Agency.objects.filter(level=AgencyLevel.COMMUNE, is_active=True)
        .exclude(code=None)
        .order_by("code")
    ]
    weights = [_case_weight(case) for case in cases]
    plan = [state for state, weight in PLAN for _ in range(weight)]
    plans: list[_Plan] = []
    for index in range(count):
        state = plan[index % len(plan)] if index < len(plan) else rng.choice(plan)
        case = rng.choices(cases, weights)[0]
        receiving = _receiving_for(rng, case, centre, communes)
        received = _receipt_moment(
            rng, index=index, state=state, case=case, calendar=calendar_of(receiving), now=now
        )
        if received is not None:
            plans.append(_Plan(index, state, case, receiving, received, rng.random()))
    # Received in time order: each counter's register numbers follow the order of receipt.
    plans.sort(key=lambda p: (p.received, p.index))

    made: Counter = Counter()
    timing: Counter = Counter()
    with transaction.atomic():
        for item in plans:
            outcome = _one(
                rng=random.Random(item.seed),
                staff=staff,
                plan=item,
                calendar=calendar_of(item.receiving),
                now=now,
                timing=timing,
            )
            if outcome:
                made[outcome] += 1
        attempts = _attempts(rng, staff, cases, centre, now)
        online = _online_filings(rng, cases, centre, now)
        # These messages belong to the sample's past: record them as delivered when they were
        # created, so that seeding never e-mails or texts the invented applicants.
        tokens = [_token(i) for i in range(count)]
        # the dossiers first, then their messages: one UPDATE joining the two by a list of
        # tokens was planned as a nested loop over fresh, unanalysed tables on PostgreSQL and
        # ran for over ten minutes in CI
        sample = list(Dossier.objects.filter(intake_token__in=tokens).values_list("pk", flat=True))
        unsent = Notification.objects.filter(dossier_id__in=sample, sent_at__isnull=True)
        unsent.update(sent_at=F("created_at"))
        Notification.objects.filter(reference__startswith="online:", sent_at__isnull=True).update(
            sent_at=F("created_at")
        )

    say(f"Hồ sơ mẫu: {sum(made.values())} hồ sơ trong hai quý gần nhất.")
    for status in Status:
        n = Dossier.objects.filter(intake_token__in=tokens, status=status).count()
        if n:
            say(f"  {status.label:<40} {n}")
    say(
        f"  Đã trả kết quả: {timing['early']} trước hạn, {timing['on_time']} đúng hạn, "
        f"{timing['late']} quá hạn "
        f"({timing['apology']} có văn bản xin lỗi); {timing['rated']} đánh giá của công dân."
    )
    say(f"  Đang quá hạn: {made['overdue']}; sắp đến hạn: {made['due_soon']}.")
    say(f"Lượt tiếp nhận không thành (thiếu giấy tờ / từ chối): {attempts}.")
    say(f"Hồ sơ nộp trực tuyến chờ kiểm tra: {online}.")
    if staff.created:
        say(f"Tài khoản cán bộ mẫu thêm cho các cơ quan chưa có: {staff.created}.")


STEP_ROLE = {"reception": Role.RECEPTION, "specialist": Role.SPECIALIST, "leader": Role.LEADER}


def _hand_on(staff, dossier, *, actor, at) -> tuple[Dossier, User]:
    """The transfer form's default: the next routing step, its unit, an officer of the
    step's role there (no steps: the competent agency's specialist)."""
    step = t.next_step(dossier)
    current = dossier.current_step
    if dossier.status == Status.RECEIVED and current is not None and current.role != "reception":
        # Intake names the first step as current; when that step is not the counter's own,
        # the papers still have to reach it (the transfer form would propose the one after).
        step = current
    if step is None:
        unit, role = dossier.competent_agency, Role.SPECIALIST
    else:
        unit, role = t.step_unit(dossier, step), STEP_ROLE[step.role]
    recipient = staff.get(role, unit)
    dossier = t.dossier_transfer(
        dossier=dossier, actor=actor, step=step, unit=unit, recipient=recipient, now=at
    )
    return dossier, recipient


def _to_leader(staff, dossier, specialist, *, at) -> tuple[Dossier, User]:
    """The specialist hands the dossier to the leader's step (or, without one, the leader
    of the unit); returns the dossier and the leader who now holds it."""
    step = t.next_step(dossier)
    if step is not None and step.role == "leader":
        return _hand_on(staff, dossier, actor=specialist, at=at)
    leader = staff.leader_for(dossier.current_unit)
    dossier = t.dossier_transfer(dossier=dossier, actor=specialist, recipient=leader, now=at)
    return dossier, leader


def _between(start: dt.datetime, end: dt.datetime, share: float) -> dt.datetime:
    return start + (end - start) * share


def _pay_at_the_counter(dossier, *, index: int, actor, at) -> None:
    """The sample's fees are paid at the counter when the dossier is received (the fee
    ledger, docs/fees.md): cash, one in five by transfer. Chosen by the index, not the random
    generator, so that the rest of the sample stays as it was."""
    from .models import PaymentMethod
    from .services.fees import fee_record_payment, ledger_of

    balance = ledger_of(dossier).balance
    if balance:
        fee_record_payment(
            dossier=dossier,
            amount=balance,
            method=PaymentMethod.TRANSFER if index % 5 == 0 else PaymentMethod.CASH,
            receipt_number=f"BL-{index:06d}",
            actor=actor,
            now=at,
        )


def _one(*, rng, staff, plan: _Plan, calendar, now, timing) -> str | None:
    index, state, case, receiving, received = plan.index, plan.state, plan.case, plan.receiving, plan.received
    reception = staff.get(Role.RECEPTION, receiving)
    channel = rng.choices([Channel.DIRECT, Channel.ONLINE, Channel.POSTAL], weights=[70, 25, 5])[0]
    dossier, _pin = dossier_receive(
        procedure=case.procedure,
        case=case,
        agency=receiving,
        actor=reception,
        applicant=_applicant(rng, index),
        documents=_documents(case),
        channel=channel,
        national_portal_code=f"G22.99.{index:04d}-{received:%y%m%d}" if channel == Channel.ONLINE else "",
        result_delivery=ResultDelivery.POST if rng.random() < 0.1 else ResultDelivery.COUNTER,
        delivery_address="Số 12 đường Lê Lợi, tỉnh Minh Sơn",
        received_at=received,
        intake_token=_token(index),
    )
    _pay_at_the_counter(dossier, index=index, actor=reception, at=received)
    if state == "received":
        return state
    clock = min(_after(calendar, received, rng.choice([0.5, 1, 2])), now)

    # the counter hands the dossier on to the next routing step, as the transfer form proposes
    dossier, specialist = _hand_on(staff, dossier, actor=reception, at=clock)
    budget = dossier.due_at  # statutory deadline
    if state in ("processing", "overdue", "due_soon"):
        if rng.random() < 0.4:
            # already checked by the specialist, waiting for the leader's signature
            _to_leader(staff, dossier, specialist, at=_between(clock, now, rng.uniform(0.3, 0.9)))
        return state
    if state == "withdrawn":
        t.dossier_withdraw(
            dossier=dossier,
            actor=reception,
            reason="Người nộp có đơn đề nghị dừng giải quyết, rút hồ sơ.",
            fees_to_refund=Decimal(0),
            now=min(_after(calendar, clock, 4), now),
        )
        return state
    if state == "stopped":
        t.dossier_stop(
            dossier=dossier,
            actor=staff.leader_for(dossier.current_unit),
            reason="Tài sản liên quan đang có tranh chấp, chờ giải quyết của Tòa án.",
            legal_basis="Theo quy định của pháp luật chuyên ngành",
            now=min(_after(calendar, clock, 12), now),
        )
        return state
    supplement = state == "waiting_supplement" or (state == "returned" and rng.random() < 0.2)
    if supplement:
        asked = min(_after(calendar, clock, rng.choice([2, 6, 14, 30])), now)
        t.dossier_request_supplement(
            dossier=dossier,
            actor=specialist,
            items=[
                {"name": name, "originals": 0, "certified_copies": 1, "photocopies": 0}
                for name in rng.sample(SUPPLEMENT_ITEMS, rng.randint(1, 2))
            ],
            reason="Thành phần hồ sơ chưa đúng quy định.",
            now=asked,
        )
        if state == "waiting_supplement":
            return state
        clock = _after(calendar, asked, rng.choice([8, 16, 24]))
        dossier = t.dossier_receive_supplement(
            dossier=dossier, actor=reception, note="Đã nhận đủ hồ sơ bổ sung.", now=clock
        )
        budget = dossier.due_at
    if state == "waiting_payment":
        t.dossier_request_payment(
            dossier=dossier,
            actor=specialist,
            amount=Decimal(rng.choice([50000, 100000, 200000])),
            now=min(_after(calendar, clock, 4), now),
        )
        return state

    # finishing: early, on time (the due day) or late, by the statutory deadline
    kind = rng.choices(["early", "on_time", "late"], weights=[55, 30, 15])[0]
    total = calendar.working_hours_between(clock, budget)
    if kind == "early":
        finish = _after(calendar, clock, max(float(total) * rng.uniform(0.3, 0.8), 1))
    elif kind == "on_time":
        finish = budget - dt.timedelta(hours=1)
        if finish <= clock:
            finish = _after(calendar, clock, 1)
    else:
        finish = _after(calendar, budget, rng.choice([4, 10, 20]))
    if finish >= now:
        # still being checked, or already with the leader
        if rng.random() < 0.4:
            _to_leader(staff, dossier, specialist, at=_between(clock, now, rng.uniform(0.3, 0.9)))
        return "processing"
    # the specialist hands the checked dossier to the leader's step before the decision
    dossier, leader = _to_leader(staff, dossier, specialist, at=_between(clock, finish, 0.7))
    if kind == "late" and rng.random() < 0.5 and float(total) > 10:
        # the leader apologises a working day (and an hour) before the deadline
        apologised_at = max(
            _after(calendar, clock, float(total) - HOURS_PER_WORKING_DAY - 1), _between(clock, finish, 0.75)
        )
        new_due = _after(calendar, budget, rng.choice([8, 16, 24]))
        if new_due < now and apologised_at < finish:
            t.dossier_apologise(
                dossier=dossier,
                actor=leader,
                reason="Hồ sơ cần xác minh thêm tại cơ quan liên quan.",
                new_due_at=new_due,
                now=apologised_at,
            )
            timing["apology"] += 1
    if state == "refused":
        t.dossier_refuse(
            dossier=dossier,
            actor=leader,
            reason="Hồ sơ không đáp ứng điều kiện theo quy định của pháp luật chuyên ngành.",
            now=finish,
        )
    else:
        t.dossier_approve(dossier=dossier, actor=leader, note="Đồng ý, ký duyệt kết quả.", now=finish)
    if state in ("result_ready", "refused"):
        return "refused" if state == "refused" else "result_ready"
    returned = _after(calendar, finish, rng.choice([2, 6, 12, 20]))
    if returned >= now:
        return "result_ready"
    by_post = dossier.result_delivery == ResultDelivery.POST
    dossier = t.dossier_return_result(
        dossier=dossier,
        actor=reception,
        collected_by_name="" if by_post else dossier.applicant_name,
        originals_returned=not by_post,
        postal_tracking_number=f"EB{index:06d}VN" if by_post else "",
        now=returned,
    )
    timing[kind] += 1
    if rng.random() < 0.8:
        value = rng.choices(
            [RatingValue.VERY_SATISFIED, RatingValue.SATISFIED, RatingValue.DISSATISFIED],
            weights=[55, 35, 10] if kind != "late" else [20, 40, 40],
        )[0]
        on_behalf = rng.random() < 0.4
        # The sample rating was given when the result was collected (the history is
        # append-only: the moment is passed in, never back-dated afterwards).
        rated_at = min(returned + dt.timedelta(minutes=rng.randint(5, 60 * 24)), now)
        dossier_rate(
            dossier=dossier,
            value=value,
            comment=rng.choice(COMMENTS[value]),
            recorded_by=reception if on_behalf else None,
            now=rated_at,
        )
        timing["rated"] += 1
    return state


def _attempts(rng, staff, cases, centre, now) -> int:
    """A few dossiers not accepted at the counter (form 02 incomplete, form 03 refused)."""
    reception = staff.get(Role.RECEPTION, centre)
    calendar = get_calendar(centre)
    made = 0
    for index in range(12):
        if IntakeAttempt.objects.filter(intake_token=_attempt_token(index)).exists():
            continue
        case = rng.choice(cases)
        at = _office_moment(rng, calendar, (now - dt.timedelta(days=rng.randint(1, 170))).date())
        incomplete = index % 3 != 2
        papers = _documents(case)[:2] or [ReceivedDocument(name="Tờ khai theo mẫu")]
        intake_attempt_record(
            procedure=case.procedure,
            case=case,
            agency=centre,
            actor=reception,
            applicant=_applicant(rng, 1000 + index),
            outcome=IntakeOutcome.INCOMPLETE if incomplete else IntakeOutcome.REFUSED,
            missing_documents=papers if incomplete else (),
            reason="" if incomplete else "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan.",
            at=at,
            intake_token=_attempt_token(index),
        )
        made += 1
    return made


def _online_filings(rng, cases, centre, now) -> int:
    """A few filings from the national portal waiting in the centre's online inbox (NĐ
    118/2025/NĐ-CP Điều 17 khoản 2), filed in the last hours, as a portal connector records them."""
    made = 0
    for index in range(4):
        code = f"G22.99-MAU-{index + 1:04d}"
        if OnlineSubmission.objects.filter(national_portal_code=code).exists():
            continue
        case = rng.choice(cases)
        filed = now - dt.timedelta(hours=1 + 3 * index)
        online_submission_record(
            agency=centre,
            procedure=case.procedure,
            case=case,
            applicant=_applicant(rng, 2000 + index),
            documents=_documents(case),
            national_portal_code=code,
            source=OnlineSource.PORTAL,
            submitted_at=filed,
            arrived_at=filed,
        )
        made += 1
    return made


# Unread alerts a demo officer starts with, at most: the sample's older alerts belong to its
# past and are recorded as read (the header would otherwise say "99+" on first login).
UNREAD_KEPT = 15


def settle_alerts(stdout=None, *, keep: int = UNREAD_KEPT) -> int:
    """Leave each officer's `keep` newest unread in-app notifications unread and record the
    older ones as read when they were created. Returns how many were marked read."""
    from django.db.models import Count

    unread = Notification.objects.filter(channel="in_app", read_at__isnull=True, recipient__isnull=False)
    marked = 0
    crowded = unread.values("recipient").annotate(n=Count("pk")).filter(n__gt=keep)
    for row in crowded:
        older = list(
            unread.filter(recipient=row["recipient"])
            .order_by("-created_at", "-deadline", "-pk")
            .values_list("pk", flat=True)[keep:]
        )
        marked += Notification.objects.filter(pk__in=older).update(read_at=F("created_at"))
    if stdout is not None and marked:
        stdout.write(f"Thông báo cũ của dữ liệu mẫu ghi là đã đọc: {marked} (mỗi cán bộ giữ {keep} mới nhất)")
    return marked
