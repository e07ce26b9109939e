from decimal import Decimal

import factory

from thutuc.models import Field, Procedure, ProcedureCase, ProcedureLevel, TimeUnit


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử {n}")


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
    order = factory.Sequence(lambda n: n + 1)
    processing_time = Decimal(5)
    processing_unit = TimeUnit.WORKING_DAYS
