"""Factories of the baocao tests: dossiers are built directly (not through the intake
services) so that every status, channel and date can be placed exactly."""

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from khieunai.models import CallOutcome, Feedback, FeedbackChannel, FeedbackKind, HotlineCall
from motcua.models import Channel, Dossier, Rating, RatingValue, Status
from tests.factories import AgencyFactory, UserFactory
from thutuc.models import Field, Procedure, ProcedureCase, ProcedureLevel

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local(y, m, d, hh=9, mm=0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử {n:03d}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    field = factory.SubFactory(FieldFactory)
    level = ProcedureLevel.COMMUNE


class ProcedureCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureCase

    procedure = factory.SubFactory(ProcedureFactory)
    processing_time = 5


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    code = factory.Sequence(lambda n: f"000.00.01.H98-260101-{n:04d}")
    case = factory.SubFactory(ProcedureCaseFactory)
    procedure = factory.SelfAttribute("case.procedure")
    receiving_agency = factory.SubFactory(AgencyFactory)
    competent_agency = factory.SelfAttribute("receiving_agency")
    channel = Channel.DIRECT
    applicant_name = "Nguyễn Văn An"
    received_at = factory.LazyFunction(lambda: local(2026, 1, 5))
    original_due_at = factory.LazyAttribute(lambda o: o.received_at + dt.timedelta(days=7))
    due_at = factory.SelfAttribute("original_due_at")
    status = Status.PROCESSING
    pin_hash = "x"
    register_year = 2026
    register_number = factory.Sequence(lambda n: n + 1)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    dossier = factory.SubFactory(DossierFactory, status=Status.RETURNED)
    value = RatingValue.SATISFIED
    at = factory.LazyFunction(lambda: local(2026, 2, 1))


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    code = factory.Sequence(lambda n: f"PA-{n:05d}")
    kind = FeedbackKind.FEEDBACK
    channel = FeedbackChannel.ONLINE
    agency = factory.SubFactory(AgencyFactory)
    title = "Phản ánh thử"
    content = "Nội dung"
    received_at = factory.LazyFunction(lambda: local(2026, 1, 10))
    due_at = factory.LazyAttribute(lambda o: o.received_at + dt.timedelta(days=10))
    pin_hash = "x"


class HotlineCallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HotlineCall

    agency = factory.SubFactory(AgencyFactory)
    started_at = factory.LazyFunction(lambda: local(2026, 1, 10))
    line = "1900 8286"
    topic = "Hỏi thủ tục"
    summary = "Hỏi về giấy tờ cần nộp"
    handler = factory.SubFactory(UserFactory)
    outcome = CallOutcome.ANSWERED
