"""Dossiers as the counter and the processing units leave them, built directly as rows
(the intake and transition services live on other branches): realistic applicant data,
a deadline from the working calendar, a hashed PIN and the history events."""

import datetime as dt
from decimal import Decimal

import factory

from core import pins
from motcua.models import Apology, Dossier, DossierEvent, EventAction, Status
from thutuc import calendar_store
from thutuc.calendar import TZ
from thutuc.deadlines import case_due_at
from thutuc.models import Field, Procedure, ProcedureCase, TimeUnit

from ..factories import AgencyFactory, UserFactory

PIN = "K7M2QX"

# The personal data the tracking page must never show (asserted absent from the HTML).
ID_NUMBER = "038095012345"
PHONE = "0912345678"
EMAIL = "nguyenvanan@example.vn"
ADDRESS = "Số 12 ngõ 34 phố Hàng Bông, phường Trung Sơn"
STAFF_NOTE = "Ghi chú nội bộ: đã gọi điện cho bên Tài nguyên"


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = "HT"
    name = "Hộ tịch"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{1000 + n:06d}")
    name = "Đăng ký khai sinh"
    field = factory.SubFactory(FieldFactory)
    level = "commune"


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureCase

    procedure = factory.SubFactory(ProcedureFactory)
    name = ""
    processing_time = Decimal("5")
    processing_unit = TimeUnit.WORKING_DAYS


def make_dossier(
    *,
    agency=None,
    case=None,
    received_at=dt.datetime(2026, 2, 13, 14, 30, tzinfo=TZ),
    status=Status.PROCESSING,
    code=None,
    pin=PIN,
    applicant_name="Nguyễn Văn An",
    received_by=None,
    apology_days=0,
    unit=None,
    approved_after_hours=16,
):
    """A dossier received at `received_at`, its due date from the calendar, with the
    events of the path to `status` (transfer, approval `approved_after_hours` working hours
    after the transfer, return…)."""
    agency = agency or AgencyFactory()
    case = case or CaseFactory()
    received_by = received_by or UserFactory(agency=agency, full_name="Phạm Thị Thu Trang")
    due = case_due_at(calendar_store.get_calendar(agency), case, received_at)
    number = Dossier.objects.filter(receiving_agency=agency).count() + 1
    code = code or f"{agency.code}-{received_at:%y%m%d}-{number:04d}"
    dossier = Dossier.objects.create(
        code=code,
        procedure=case.procedure,
        case=case,
        receiving_agency=agency,
        competent_agency=agency,
        applicant_name=applicant_name,
        applicant_id_number=ID_NUMBER,
        applicant_phone=PHONE,
        applicant_email=EMAIL,
        applicant_address=ADDRESS,
        received_at=received_at,
        received_by=received_by,
        due_at=due,
        original_due_at=due,
        status=Status.RECEIVED,
        pin_hash=pins.hash_pin(code, pin),
        register_year=received_at.year,
        register_number=number,
    )
    moment = received_at

    def event(action, status_after, *, minutes=60, **extra):
        nonlocal moment
        moment = moment + dt.timedelta(minutes=minutes)
        DossierEvent.objects.create(
            dossier=dossier,
            at=moment,
            actor=received_by,
            action=action,
            status_before=dossier.status,
            status_after=status_after,
            **extra,
        )
        dossier.status = status_after
        return moment

    DossierEvent.objects.create(
        dossier=dossier,
        at=received_at,
        actor=received_by,
        action=EventAction.RECEIVE,
        status_after=Status.RECEIVED,
        due_at_after=due,
        note=STAFF_NOTE,
    )
    if status == Status.RECEIVED:
        return dossier
    event(EventAction.TRANSFER, Status.PROCESSING, unit_after=unit or agency, note=STAFF_NOTE)
    if apology_days:
        new_due = calendar_store.get_calendar(agency).add_working_hours(due, apology_days * 8)
        at = event(EventAction.APOLOGISE, Status.PROCESSING, due_at_before=due, due_at_after=new_due)
        Apology.objects.create(
            dossier=dossier,
            reason="Cần xác minh thêm thông tin",
            previous_due_at=due,
            new_due_at=new_due,
            issued_at=at,
            issued_by=received_by,
        )
        dossier.due_at = new_due
    work = calendar_store.get_calendar(agency)
    if status in (Status.RESULT_READY, Status.RETURNED):
        # approved two working days after the transfer (by default), returned one working hour later
        approve_gap = work.add_working_hours(moment, approved_after_hours) - moment
        dossier.finished_at = event(
            EventAction.APPROVE, Status.RESULT_READY, minutes=approve_gap.total_seconds() / 60
        )
        dossier.outcome = "approved"
    if status == Status.RETURNED:
        return_gap = work.add_working_hours(moment, 1) - moment
        dossier.returned_at = event(
            EventAction.RETURN_RESULT, Status.RETURNED, minutes=return_gap.total_seconds() / 60
        )
    if status == Status.WAITING_SUPPLEMENT:
        event(EventAction.REQUEST_SUPPLEMENT, Status.WAITING_SUPPLEMENT)
    dossier.save()
    return dossier
