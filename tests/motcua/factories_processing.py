"""Factories for the processing tests: catalogue rows and accepted dossiers (created
directly with their RECEIVE event, as the counter's intake would leave them)."""

import datetime as dt
from decimal import Decimal

import factory

from core.pins import hash_pin
from motcua.models import Channel, Dossier, DossierEvent, EventAction, Status
from thutuc.calendar import TZ
from thutuc.calendar_store import get_calendar
from thutuc.deadlines import case_due_at
from thutuc.models import Field, Procedure, ProcedureCase, ProcedureLevel, ProcedureStep, TimeUnit
from thutuc.models.catalogue import StepRole

MONDAY_9AM = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # an ordinary working Monday


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = "G09-TP"
    name = "Hộ tịch"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.{n + 1:06d}")
    name = factory.Sequence(lambda n: f"Cấp bản sao trích lục hộ tịch số {n}")
    field = factory.SubFactory(FieldFactory)
    level = ProcedureLevel.PROVINCE


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureCase

    procedure = factory.SubFactory(ProcedureFactory)
    name = ""
    processing_time = Decimal("5")
    processing_unit = TimeUnit.WORKING_DAYS


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureStep

    case = factory.SubFactory(CaseFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Thẩm định hồ sơ"
    role = StepRole.SPECIALIST
    allotted_time = Decimal("2")
    allotted_unit = TimeUnit.WORKING_DAYS


class DossierFactory(factory.django.DjangoModelFactory):
    """Needs receiving_agency and competent_agency (the demo province's, usually)."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    procedure = factory.LazyAttribute(lambda o: o.case.procedure)
    received_at = MONDAY_9AM
    code = factory.LazyAttributeSequence(
        lambda o, n: f"{o.receiving_agency.code}-{o.received_at.astimezone(TZ):%y%m%d}-{n % 9999 + 1:04d}"
    )
    current_unit = factory.LazyAttribute(lambda o: o.receiving_agency)
    channel = Channel.DIRECT
    applicant_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    applicant_id_number = factory.Sequence(lambda n: f"0380{n:08d}")
    applicant_phone = "0912345678"
    applicant_email = "congdan@example.vn"
    applicant_address = "Số 3 ngõ Hòa Bình, phường Trung Sơn, tỉnh Minh Sơn"
    due_at = factory.LazyAttribute(
        lambda o: case_due_at(get_calendar(o.receiving_agency), o.case, o.received_at)
    )
    original_due_at = factory.LazyAttribute(lambda o: o.due_at)
    status = Status.RECEIVED
    pin_hash = factory.LazyAttribute(lambda o: hash_pin(o.code, "ABC234"))
    register_year = factory.LazyAttribute(lambda o: o.received_at.astimezone(TZ).year)
    register_number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def receive_event(self, create, extracted, **kwargs):
        if create:
            DossierEvent.objects.create(
                dossier=self,
                at=self.received_at,
                actor=self.received_by,
                action=EventAction.RECEIVE,
                status_after=Status.RECEIVED,
                unit_after=self.receiving_agency,
                due_at_after=self.due_at,
            )


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
