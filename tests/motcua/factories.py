"""Dossiers as the portal leaves them, and the catalogue rows they need.

`DossierFactory` writes no row by hand: the dossier is accepted at the counter by
`motcua.services.intake.dossier_receive` and moved along by `motcua.services.transitions`,
each step at an explicit moment (`now=`), so its code, deadline (the receiving agency's
calendar), PIN, register number, history events and notifications are those the services
write. The plain PIN, which only the receipt shows, is kept on the returned object as
`dossier.pin`.

    DossierFactory()                          received Monday 02/03/2026 09:00, at the counter
    DossierFactory(processing=True)           handed to the first step's unit (or `unit=`)
    DossierFactory(waiting_supplement=True)   ... and a supplement requested (clock stopped)
    DossierFactory(overdue=True)              processing, received 30 days before `now`
    DossierFactory(returned_late=True)        approved a working day after its deadline, returned
    DossierFactory(with_apology=True)         ... apology and a new appointment 2 working days later
    DossierFactory(status=Status.RETURNED)    any status a service leads to
    DossierFactory(due_at=moment)             received when the case's deadline is that moment
    DossierFactory(received_at=r, **lasting(r, d))   a case that takes it from r to d
    DossierFactory(over_tet=True)             received 14:30 13/02/2026, due after Tết

The catalogue's factories (tests/thutuc/factories.py) are re-exported here: the counter's
tests import `CaseFactory` and friends from this module.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from core.sms import LocmemSmsBackend
from motcua.models import Channel, Dossier, EventAction, Outcome, ResultDelivery, Status
from motcua.services import intake
from motcua.services import transitions as t
from tests.factories import AgencyFactory, UserFactory, officer_of, reception_officer
from tests.thutuc.factories import (
    BIRTH_PAPERS,
    CaseFactory,
    FieldFactory,
    ProcedureCaseFactory,
    ProcedureFactory,
    StepFactory,
)
from tests.timeutil import local
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.deadlines import case_due_at
from thutuc.models import AgencyLevel, TimeUnit

__all__ = [
    "ADDRESS",
    "BIRTH_PAPERS",
    "EMAIL",
    "ID_NUMBER",
    "MONDAY_9AM",
    "PHONE",
    "STAFF_NOTE",
    "AgencyFactory",
    "CaseFactory",
    "DossierFactory",
    "FieldFactory",
    "LawWorld",
    "ProcedureCaseFactory",
    "ProcedureFactory",
    "StepFactory",
    "UserFactory",
    "intake_form",
    "lasting",
    "legacy_row",
    "papers",
    "papers_of",
    "reception_officer",
    "receipt_for",
]

MONDAY_9AM = local(2026, 3, 2, 9)  # an ordinary working Monday

# The applicant's personal data (the public pages must never show it).
ID_NUMBER = "038095012345"
PHONE = "0912345678"
EMAIL = "nguyenvanan@example.vn"
ADDRESS = "Số 12 ngõ 34 phố Hàng Bông, phường Trung Sơn"
# A note only staff see (written on the hand-off when a test asks for it).
STAFF_NOTE = "Ghi chú nội bộ: đã gọi điện cho bên Tài nguyên"

_APPLICANT_FIELDS = {
    "applicant_name": "name",
    "applicant_type": "applicant_type",
    "organisation_name": "organisation_name",
    "applicant_id_number": "id_number",
    "applicant_phone": "phone",
    "applicant_email": "email",
    "applicant_address": "address",
    "representative_name": "representative_name",
    "representative_id_number": "representative_id_number",
    "representative_phone": "representative_phone",
}
_INTAKE_FIELDS = (
    "competent_agency",
    "applicant_commune",
    "channel",
    "national_portal_code",
    "summary",
    "number_of_sets",
    "result_delivery",
    "delivery_address",
)
_OPEN = (Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT)


class FlakySms(LocmemSmsBackend):
    """An SMS gateway that times out `failures_left` more times, then delivers (into the
    shared `LocmemSmsBackend.outbox`): `settings.SMS_BACKEND = FLAKY_SMS`."""

    failures_left = 0

    def send(self, message):
        if type(self).failures_left:
            type(self).failures_left -= 1
            raise ConnectionError("gateway timeout")
        super().send(message)


FLAKY_SMS = f"{__name__}.FlakySms"


def papers_of(case) -> list[intake.ReceivedDocument]:
    """Every paper of `case`, handed in with the counts the catalogue asks for."""
    return [
        intake.ReceivedDocument(
            name=d.name,
            originals=d.originals,
            certified_copies=d.certified_copies,
            photocopies=d.photocopies,
            procedure_document_id=d.pk,
        )
        for d in case.documents.all()
    ]


def receive_at_counter(officer, case, name: str, *, phone: str = "", received_at: dt.datetime | None = None):
    """`officer` receives at his agency's counter a dossier of `case` from `name` (`phone`),
    each paper handed in as one original, at `received_at` (now when None), through
    intake.dossier_receive: (dossier, PIN)."""
    return intake.dossier_receive(
        procedure=case.procedure,
        case=case,
        agency=officer.agency,
        actor=officer,
        applicant=intake.Applicant(name=name, phone=phone),
        documents=[
            intake.ReceivedDocument(name=d.name, originals=1, procedure_document_id=d.pk)
            for d in case.documents.all()
        ],
        received_at=received_at,
    )


def intake_form(
    case, token="2b0a6d1e-7c53-4d6e-9a55-0c7d8f6c1a01", action="accept", check=True, **extra
) -> dict:
    """The counter's intake form (/mot-cua/tiep-nhan/) for `case`: Nguyễn Văn An at the
    counter, every paper with the catalogue's counts (ticked as received unless `check` is
    False); `action` accept, or incomplete/refuse; `extra` adds or changes fields."""
    data = {
        "thu_tuc": case.procedure.code,
        "truong_hop": case.pk,
        "token": token,
        "action": action,
        "applicant_type": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 5 phố Nguyễn Trãi, phường Trung Sơn",
        "channel": "direct",
        "number_of_sets": "1",
        "result_delivery": "counter",
    }
    for paper in case.documents.all():
        if check:
            data[f"doc_{paper.pk}"] = "on"
        data[f"doc_{paper.pk}_originals"] = paper.originals
        data[f"doc_{paper.pk}_certified_copies"] = paper.certified_copies
        data[f"doc_{paper.pk}_photocopies"] = paper.photocopies
    return {**data, **extra}


def papers(*names: str, originals: int = 1, certified_copies: int = 0, photocopies: int = 0) -> list[dict]:
    """Items of a supplement request: each paper with its counts (NĐ 118/2025 Điều 19 khoản 5,
    TT 03/2025 form 02 lists every missing item with how many copies)."""
    return [
        {
            "name": name,
            "originals": originals,
            "certified_copies": certified_copies,
            "photocopies": photocopies,
        }
        for name in names
    ]


def legacy_row(agency, case, fields: str) -> list[str]:
    """A row of a legacy register for `manage.py import_dossiers` (the columns of
    motcua.services.legacy_import.HEADER) from `fields`, "serial,channel,name,phone,received,
    due,national status[,finished[,returned]]": the code is the agency's with the serial
    ("260302-0007"), moments are written "YYYY-MM-DD HH:MM"."""
    serial, channel, name, phone, received, due, status, *rest = fields.split(",")
    finished, returned = [*rest, "", ""][:2]
    code = agency.code
    return [
        f"{code}-{serial}",
        case.procedure.code,
        code,
        channel,
        name,
        phone,
        received,
        due,
        status,
        finished,
        returned,
    ]


def receipt_for(case, agency, due_at: dt.datetime) -> dt.datetime:
    """The latest moment (to the minute) at which a dossier of `case` received by `agency` gets
    exactly `due_at` as its appointment: the deadline stays the calendar's, the test chooses it.
    Raises ValueError when no receipt leads there (a day off, a time the office is closed)."""
    calendar = get_calendar(agency)
    low, high = 0, 400 * 24 * 60  # minutes before due_at
    # case_due_at never decreases with the receipt: find the smallest gap whose due <= due_at
    while low < high:
        middle = (low + high) // 2
        if case_due_at(calendar, case, due_at - dt.timedelta(minutes=middle)) <= due_at:
            high = middle
        else:
            low = middle + 1
    received_at = due_at - dt.timedelta(minutes=low)
    if case_due_at(calendar, case, received_at) != due_at:
        raise ValueError(f"no receipt of this case gives the appointment {due_at:%d/%m/%Y %H:%M}")
    return received_at


def apologise_before_due(dossier, leader, *, days_later: int = 7, days_before: int = 3):
    """`leader` apologises `days_before` days before the due date ("Cần xác minh thêm") and
    moves it `days_later` days on, through transitions.dossier_apologise: the Apology."""
    from motcua.services import transitions

    return transitions.dossier_apologise(
        dossier=dossier,
        actor=leader,
        reason="Cần xác minh thêm",
        new_due_at=dossier.due_at + dt.timedelta(days=days_later),
        now=dossier.due_at - dt.timedelta(days=days_before),
    )


def waiting_for_papers(alert_world, reply_due_at: dt.datetime):
    """A dossier of the `alert_world` fixture received Monday 02/11/2026 09:00 (due 05/11, but
    the clock stopped on the 3rd), in its specialist's hands, papers asked for on the 3rd and
    due back at `reply_due_at`."""
    return alert_world.dossier(
        received_at=local(2026, 11, 2, 9, 0),
        status=Status.WAITING_SUPPLEMENT,
        assignee=alert_world.specialist,
        requested_at=local(2026, 11, 3, 9, 0),  # 15 days at least to bring the papers
        reply_due_at=reply_due_at,
    )


def lasting(received_at: dt.datetime, due_at: dt.datetime, *, agency=None) -> dict:
    """DossierFactory arguments for a case whose appointment, for a dossier `agency` receives
    at `received_at`, is `due_at`: its processing time in working hours of that agency's
    calendar. For report scenarios written as a receipt and a deadline.
    Raises ValueError when no working-hours count leads there (a day off, the office closed)."""
    calendar = get_calendar(agency)
    start = calendar.next_working_moment(received_at)
    hours = calendar.working_hours_between(start, due_at)
    if hours <= 0 or calendar.add_working_hours(start, hours) != due_at:
        raise ValueError(f"no processing time leads from {received_at} to {due_at}")
    return {"case__processing_time": hours, "case__processing_unit": TimeUnit.WORKING_HOURS}


class DossierFactory(factory.Factory):
    """A dossier accepted by the intake service and moved to `status` by the transition
    services (see the module docstring). The path, each step at an explicit moment:

    - received at `received_at` (or when `due_at` comes out; default MONDAY_9AM) by
      `received_by` (a reception officer of `receiving_agency`), every paper of `case`;
    - handed on by the counter (or `transferred_by`) at `transferred_at` (an hour later) to
      `unit` (default: the first routing step's unit, else the competent agency, else a unit
      of the receiving agency), to `assignee` when given, with `note`;
    - waiting for a supplement (to bring by `reply_due_at`) or a payment: requested
      `requested_at` (an hour later);
    - `apology_days`: an apology with a new appointment that many working days later;
    - finished (approved, or `outcome=Outcome.REFUSED`; stopped; withdrawn) at `finished_at`
      (two working days after the hand-off; `late=True`: a working day after the deadline);
    - returned `returned_at` (a working hour later) by the counter.

    `actor` decides in the unit (default: a leader who sees it). The competent agency is the
    procedure's (`case__procedure__competent_agency=`)."""

    class Meta:
        model = Dossier

    class Params:
        processing = factory.Trait(status=Status.PROCESSING)
        waiting_supplement = factory.Trait(status=Status.WAITING_SUPPLEMENT)
        overdue = factory.Trait(
            status=Status.PROCESSING,
            received_at=factory.LazyAttribute(lambda o: o.now - dt.timedelta(days=30)),
        )
        returned_late = factory.Trait(status=Status.RETURNED, late=True)
        with_apology = factory.Trait(apology_days=2)
        # received at 14:30 on Friday 13/02/2026, the last working day before Tết (16–20/02):
        # the appointment, 5 working days later, is 14:30 27/02/2026
        over_tet = factory.Trait(received_at=local(2026, 2, 13, 14, 30))

    # A five-working-day case: a week on the calendar.
    case = factory.SubFactory(CaseFactory, processing_time=Decimal("5"))
    receiving_agency = factory.SubFactory(AgencyFactory)
    received_by = factory.LazyAttribute(lambda o: officer_of(o.receiving_agency, Role.RECEPTION))
    received_at = None
    due_at = None
    now = factory.LazyFunction(timezone.now)

    applicant_name = "Nguyễn Văn An"
    applicant_id_number = ID_NUMBER
    applicant_phone = PHONE
    applicant_email = EMAIL
    applicant_address = ADDRESS
    channel = Channel.DIRECT
    national_portal_code = factory.LazyAttributeSequence(
        lambda o, n: f"G22.99-{n:06d}" if o.channel == Channel.ONLINE else ""
    )
    documents = None  # every paper of the case

    status = Status.RECEIVED
    outcome = Outcome.APPROVED
    unit = None
    assignee = None
    actor = None
    note = ""
    transferred_at = None
    transferred_by = None
    requested_at = None
    reply_due_at = None
    apology_days = 0
    late = False
    finished_at = None
    returned_at = None

    @classmethod
    def _create(cls, model_class, **values):
        case = values.pop("case")
        agency = values.pop("receiving_agency")
        received_by = values.pop("received_by")
        received_at, due_at = values.pop("received_at"), values.pop("due_at")
        values.pop("now")  # the traits' clock (overdue)
        if received_at is not None and due_at is not None:
            raise TypeError("give received_at or due_at: the case's deadline gives the other")
        if received_at is None:
            received_at = receipt_for(case, agency, due_at) if due_at is not None else MONDAY_9AM
        applicant = intake.Applicant(
            **{name: values.pop(key) for key, name in _APPLICANT_FIELDS.items() if key in values}
        )
        documents = values.pop("documents")
        dossier, pin = intake.dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=agency,
            actor=received_by,
            applicant=applicant,
            documents=papers_of(case) if documents is None else documents,
            received_at=received_at,
            **{key: values.pop(key) for key in _INTAKE_FIELDS if key in values},
        )
        path = {key: values.pop(key) for key in list(values) if key in _PATH}
        if values:
            raise TypeError(f"DossierFactory does not take {sorted(values)}")
        _advance(dossier, counter=received_by, **path)
        dossier.refresh_from_db()
        dossier.pin = pin
        return dossier

    @classmethod
    def _build(cls, model_class, **values):
        raise TypeError("a dossier exists only through the intake service: use DossierFactory()")


_PATH = {
    "status",
    "outcome",
    "unit",
    "assignee",
    "actor",
    "note",
    "transferred_at",
    "transferred_by",
    "requested_at",
    "reply_due_at",
    "apology_days",
    "late",
    "finished_at",
    "returned_at",
}


def _advance(
    dossier: Dossier,
    *,
    counter,
    status,
    outcome,
    unit,
    assignee,
    actor,
    note,
    transferred_at,
    transferred_by,
    requested_at,
    reply_due_at,
    apology_days,
    late,
    finished_at,
    returned_at,
) -> None:
    """Move a dossier just received to `status` through the transition services."""
    if status == Status.RECEIVED:
        if apology_days or late or unit or assignee or finished_at:
            raise TypeError("a dossier still at the counter has no hand-off, apology or result")
        return
    if status in (Status.SUBMITTED_ONLINE, Status.NOT_ACCEPTED):
        raise ValueError(f"no service leads a dossier to {status!r}")
    calendar = get_calendar(dossier.receiving_agency)
    moment = transferred_at or dossier.received_at + dt.timedelta(hours=1)
    unit = unit or (assignee.agency if assignee is not None else None)
    if unit is None:
        # intake names the first step current while the papers are still at the counter: the
        # counter hands the dossier to that step (as motcua.demo does)
        step = dossier.current_step or t.next_step(dossier)
        unit = t.step_unit(dossier, step) if step is not None else dossier.competent_agency
        if unit == dossier.receiving_agency:  # the counter hands it to a unit of its agency
            unit = unit.children.filter(level=AgencyLevel.UNIT).first() or AgencyFactory(
                unit=True, parent=unit
            )
    else:  # the routing step done there, if the case has one
        step = next(
            (s for s in t.route_steps(dossier) if t.step_unit(dossier, s) == unit), None
        )
    dossier = t.dossier_transfer(
        dossier=dossier,
        actor=transferred_by or counter or officer_of(dossier.receiving_agency, Role.RECEPTION),
        step=step,
        unit=unit,
        recipient=assignee,
        note=note,
        now=moment,
    )
    actor = actor or officer_of(dossier.current_unit, Role.LEADER)
    if apology_days:
        moment += dt.timedelta(hours=1)
        # written by the competent agency (NĐ 118/2025 Điều 19 khoản 6): `actor` when he may
        t.dossier_apologise(
            dossier=dossier,
            actor=actor
            if t.may_act(actor, dossier, EventAction.APOLOGISE)
            else officer_of(dossier.competent_agency, Role.LEADER),
            reason="Cần xác minh thêm thông tin",
            new_due_at=calendar.add_working_days(dossier.due_at, apology_days),
            now=moment,
        )
    if status == Status.WAITING_SUPPLEMENT:
        t.dossier_request_supplement(
            dossier=dossier,
            actor=assignee or actor,
            items=papers("Bản sao giấy tờ chứng minh nơi cư trú"),
            reason="Giấy tờ chưa đủ",
            reply_due_at=reply_due_at,
            now=requested_at or moment + dt.timedelta(hours=1),
        )
    elif status == Status.WAITING_PAYMENT:
        t.dossier_request_payment(
            dossier=dossier,
            actor=assignee or actor,
            amount=Decimal("8000"),
            now=requested_at or moment + dt.timedelta(hours=1),
        )
    if status in _OPEN:
        return
    if finished_at is None:
        dossier.refresh_from_db(fields=["due_at"])
        finished_at = (
            calendar.add_working_days(dossier.due_at, 1) if late else calendar.add_working_days(moment, 2)
        )
    if status == Status.STOPPED:
        t.dossier_stop(
            dossier=dossier,
            actor=actor,
            reason="Người nộp không bổ sung hồ sơ",
            legal_basis="Điều 19 Nghị định 61/2018/NĐ-CP",
            now=finished_at,
        )
    elif status == Status.WITHDRAWN:
        t.dossier_withdraw(
            dossier=dossier, actor=counter or actor, reason="Người nộp có đơn xin rút hồ sơ", now=finished_at
        )
    elif outcome == Outcome.REFUSED:
        t.dossier_refuse(dossier=dossier, actor=actor, reason="Không đủ điều kiện", now=finished_at)
    else:
        t.dossier_approve(dossier=dossier, actor=actor, now=finished_at)
    if status == Status.RETURNED:
        t.dossier_return_result(
            dossier=dossier,
            actor=counter or officer_of(dossier.receiving_agency, Role.RECEPTION),
            collected_by_name=dossier.applicant_name,
            postal_tracking_number="EP123456789VN" if dossier.result_delivery == ResultDelivery.POST else "",
            now=returned_at or calendar.add_working_hours(finished_at, 1),
        )
    elif status not in (Status.RESULT_READY, Status.STOPPED, Status.WITHDRAWN):
        raise ValueError(f"unknown status {status!r}")


class LawWorld:
    """The world of the NĐ 118/2025 tests (test_law_nd118.py, test_browser_law_nd118.py; the
    `law` fixture): the demo province (built first) with a commune procedure and a provincial
    one, routed as the sample catalogue routes them, and officers of the agencies involved."""

    def __init__(self):
        from thutuc.models import Agency, ProcedureLevel
        from thutuc.models.catalogue import StepRole

        agencies = {a.code: a for a in Agency.objects.exclude(code=None)}
        self.centre = agencies["000.00.06.H99"]
        self.justice = agencies["000.00.11.H99"]
        self.environment = agencies["000.00.20.H99"]
        self.trung_son = agencies["000.17.22.H99"]
        self.bac_son = agencies["000.18.22.H99"]
        self.tan_phu = agencies["000.19.23.H99"]
        self.unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
        field = FieldFactory(code="G09-TP", name="Hộ tịch")

        def routed(code, name, level, competent, days, steps):
            """A case of a new procedure with two papers and its steps (agency, role,
            working hours) in order."""
            case = CaseFactory(
                procedure__code=code,
                procedure__name=name,
                procedure__field=field,
                procedure__level=level,
                procedure__competent_agency=competent,
                processing_time=days,
                documents=[("Tờ khai", 1, 0, 0, True), ("Giấy chứng sinh", 1, 0, 0, True)],
                fees=[],
            )
            for agency, role, hours in steps:
                StepFactory(
                    case=case, role=role, agency=agency, allotted_time=hours, allotted_unit="working_hours"
                )
            return case

        # a commune procedure: the catalogue names phường Trung Sơn (one commune for all)
        self.commune_case = routed(
            "1.001193",
            "Đăng ký khai sinh",
            ProcedureLevel.COMMUNE,
            self.trung_son,
            3,
            [
                (self.trung_son, StepRole.RECEPTION, 4),
                (None, StepRole.SPECIALIST, 16),
                (None, StepRole.LEADER, 8),
            ],
        )
        self.commune_case.procedure.receiving_agencies.set([self.trung_son, self.bac_son, self.tan_phu])
        # a provincial procedure of Sở Tư pháp, its fee collected up front
        steps = [
            (self.centre, StepRole.RECEPTION, 4),
            (self.unit, StepRole.SPECIALIST, 40),
            (self.justice, StepRole.LEADER, 8),
        ]
        self.province_case = routed(
            "2.000488", "Cấp Phiếu lý lịch tư pháp", ProcedureLevel.PROVINCE, self.justice, 10, steps
        )
        from thutuc.models.catalogue import FeeCollection, ProcedureFee

        ProcedureFee.objects.create(
            case=self.province_case, kind="fee", amount=Decimal("200000"), collected=FeeCollection.BEFORE
        )
        self.reception = UserFactory(agency=self.centre, roles=[Role.RECEPTION], full_name="Nhung Một Cửa")
        self.centre_leader = UserFactory(agency=self.centre, roles=[Role.LEADER])
        self.bac_son_reception = UserFactory(agency=self.bac_son, roles=[Role.RECEPTION])
        self.trung_son_leader = UserFactory(agency=self.trung_son, roles=[Role.LEADER])
        self.tan_phu_specialist = UserFactory(
            agency=self.tan_phu, roles=[Role.SPECIALIST], username="cv-tanphu", full_name="Vũ Thị Tân"
        )
        self.tan_phu_leader = UserFactory(agency=self.tan_phu, roles=[Role.LEADER], username="ld-tanphu")
        self.justice_specialist = UserFactory(agency=self.unit, roles=[Role.SPECIALIST])
        self.justice_leader = UserFactory(agency=self.justice, roles=[Role.LEADER])

    def receive(self, case=None, *, agency=None, actor=None, received_at=MONDAY_9AM, **kwargs):
        """A dossier of `case` (the commune one) received at `agency` (the centre) by the
        intake service; keyword arguments go to it."""
        case = case or self.commune_case
        kwargs.setdefault("applicant", intake.Applicant(name="Nguyễn Văn An", phone=PHONE, email=EMAIL))
        dossier, _pin = intake.dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=agency or self.centre,
            actor=actor or self.reception,
            documents=papers_of(case),
            received_at=received_at,
            **kwargs,
        )
        return dossier

    def hand_over(self, dossier, *, now):
        """The counter's hand-off to the next step, as the transfer form proposes it."""
        from thutuc.models.catalogue import StepRole

        step = t.next_step(dossier)
        if dossier.current_step is not None and dossier.current_step.role != StepRole.RECEPTION:
            step = dossier.current_step
        if step is not None and step.role == StepRole.RECEPTION:
            step = dossier.case_version.steps.filter(order__gt=step.order).order_by("order").first()
        return t.dossier_transfer(dossier=dossier, actor=self.reception, step=step, now=now)
