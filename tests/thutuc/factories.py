"""The catalogue's factories (thutuc): fields, procedures, their cases, papers, fees and
routing steps. The one home of these factories: every test that needs a procedure builds it
here (tests/motcua/factories.py re-exports them next to the dossiers)."""

from decimal import Decimal

import factory

from thutuc.models import (
    Field,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureLevel,
    ProcedureStep,
    TimeUnit,
)
from thutuc.models.catalogue import FeeCollection, FeeKind, StepRole

# The papers of a birth registration, as the counter checks them:
# (name, originals, certified copies, photocopies, mandatory).
BIRTH_PAPERS = [
    ("Tờ khai đăng ký khai sinh", 1, 0, 0, True),
    ("Giấy chứng sinh", 1, 0, 0, True),
    ("Giấy tờ chứng minh nơi cư trú", 0, 1, 1, False),
]


class FieldFactory(factory.django.DjangoModelFactory):
    """A field of its own (a new code each time); `FieldFactory(code="HT")` finds the
    existing field of that code."""

    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n:03d}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử {n:03d}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A commune-level procedure in the civil-status field (Hộ tịch, code HT) unless told."""

    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Đăng ký khai sinh thử nghiệm {n}")
    field = factory.SubFactory(FieldFactory, code="HT", name="Hộ tịch")
    level = ProcedureLevel.COMMUNE


def _next_order(case) -> int:
    procedure = case.procedure
    return procedure.cases.count() + 1 if procedure.pk else 1


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of a procedure (3 working days) with the papers the counter checks and a fee
    collected up front: `documents` takes other papers (same tuples as BIRTH_PAPERS; `[]` for
    none), `fees=[]` leaves the fee out."""

    class Meta:
        model = ProcedureCase
        skip_postgeneration_save = True

    procedure = factory.SubFactory(ProcedureFactory)
    name = ""
    order = factory.LazyAttribute(_next_order)
    processing_time = Decimal("3")
    processing_unit = TimeUnit.WORKING_DAYS

    @factory.post_generation
    def documents(self, create, extracted, **kwargs):
        if not create:
            return
        papers = BIRTH_PAPERS if extracted is None else extracted
        fields = ("name", "originals", "certified_copies", "photocopies", "mandatory")
        for order, paper in enumerate(papers, start=1):
            ProcedureDocument.objects.create(case=self, order=order, **dict(zip(fields, paper, strict=True)))

    @factory.post_generation
    def fees(self, create, extracted, **kwargs):
        if create and extracted is None:
            ProcedureFee.objects.create(
                case=self, kind=FeeKind.CHARGE, amount=Decimal("8000"), collected=FeeCollection.BEFORE
            )


# The catalogue tests' name of the same factory.
ProcedureCaseFactory = CaseFactory


class StepFactory(factory.django.DjangoModelFactory):
    """A routing step of a case: the next one in order, done by a specialist in 2 working days
    (`agency=None`: the procedure's competent agency does it)."""

    class Meta:
        model = ProcedureStep

    case = factory.SubFactory(CaseFactory)
    order = factory.LazyAttribute(lambda o: o.case.steps.count() + 1 if o.case.pk else 1)
    name = "Thẩm định hồ sơ"
    role = StepRole.SPECIALIST
    allotted_time = Decimal("2")
    allotted_unit = TimeUnit.WORKING_DAYS
