"""Factories for the counter's tests: procedures with cases, papers, fees and steps."""

import datetime as dt
from decimal import Decimal

import factory

from tests.factories import AgencyFactory, UserFactory
from thutuc.accounts.roles import Role
from thutuc.models import Field, Procedure, ProcedureCase, ProcedureDocument, ProcedureFee, ProcedureStep


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = "HT"
    name = "Hộ tịch"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Đăng ký khai sinh thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory)
    level = "commune"


class CaseFactory(factory.django.DjangoModelFactory):
    """A case with two mandatory papers and one optional, and a fee collected up front."""

    class Meta:
        model = ProcedureCase
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    name = ""
    processing_time = Decimal("3")
    processing_unit = "working_days"

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if not create:
            return
        papers = (
            extracted
            if extracted is not None
            else [
                ("Tờ khai đăng ký khai sinh", 1, 0, 0, True),
                ("Giấy chứng sinh", 1, 0, 0, True),
                ("Giấy tờ chứng minh nơi cư trú", 0, 1, 1, False),
            ]
        )
        for order, (name, originals, certified, photocopies, mandatory) in enumerate(papers, start=1):
            ProcedureDocument.objects.create(
                case=self,
                order=order,
                name=name,
                originals=originals,
                certified_copies=certified,
                photocopies=photocopies,
                mandatory=mandatory,
            )

    @factory.post_generation
    def fees(self, create, extracted, **kwargs):
        if create and extracted is None:
            ProcedureFee.objects.create(case=self, kind="charge", amount=Decimal("8000"), collected="before")


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureStep

    case = factory.SubFactory(CaseFactory)
    order = 1
    name = "Thẩm định hồ sơ"
    allotted_time = Decimal("8")
    allotted_unit = "working_hours"


def reception_officer(agency=None, **kwargs):
    return UserFactory(agency=agency or AgencyFactory(), roles=[Role.RECEPTION], **kwargs)


def local(*args) -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh."""
    from thutuc.calendar import TZ

    return dt.datetime(*args, tzinfo=TZ)
