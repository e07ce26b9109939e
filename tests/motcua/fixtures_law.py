"""The world of the NĐ 118/2025 tests (test_law_nd118.py, test_browser_law_nd118.py): the demo
province with a commune procedure and a provincial one, routed as the sample catalogue
routes them, and officers of the agencies involved. Monday 02/03/2026 is an ordinary
working Monday."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.services import transitions as t
from motcua.services.intake import Applicant, ReceivedDocument, dossier_receive
from tests.factories import UserFactory
from thutuc.accounts.roles import Role
from thutuc.calendar import TZ
from thutuc.models import (
    Agency,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureLevel,
    ProcedureStep,
)
from thutuc.models.catalogue import FeeCollection, ProcedureFee, StepRole


def at(month, day, hour=9, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


MONDAY_9 = at(3, 2, 9)


class Law:
    """The demo province with one commune procedure and one provincial procedure, routed as
    the sample catalogue routes them, and officers of the communes involved."""

    def __init__(self):
        agencies = {a.code: a for a in Agency.objects.exclude(code=None)}
        self.centre = agencies["000.00.06.H99"]
        self.justice = agencies["000.00.11.H99"]
        self.environment = agencies["000.00.20.H99"]
        self.trung_son = agencies["000.17.22.H99"]
        self.bac_son = agencies["000.18.22.H99"]
        self.tan_phu = agencies["000.19.23.H99"]
        self.unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
        field, _ = Field.objects.get_or_create(code="G09-TP", defaults={"name": "Hộ tịch"})
        # a commune procedure: the catalogue names phường Trung Sơn (one commune for all)
        commune = Procedure.objects.create(
            code="1.001193",
            name="Đăng ký khai sinh",
            field=field,
            level=ProcedureLevel.COMMUNE,
            competent_agency=self.trung_son,
        )
        commune.receiving_agencies.set([self.trung_son, self.bac_son, self.tan_phu])
        self.commune_case = self._case(commune, days=3)
        self._step(self.commune_case, 1, StepRole.RECEPTION, self.trung_son, hours=4)
        self._step(self.commune_case, 2, StepRole.SPECIALIST, None, hours=16)
        self._step(self.commune_case, 3, StepRole.LEADER, None, hours=8)
        # a provincial procedure of Sở Tư pháp
        provincial = Procedure.objects.create(
            code="2.000488",
            name="Cấp Phiếu lý lịch tư pháp",
            field=field,
            level=ProcedureLevel.PROVINCE,
            competent_agency=self.justice,
        )
        self.province_case = self._case(provincial, days=10)
        self._step(self.province_case, 1, StepRole.RECEPTION, self.centre, hours=4)
        self._step(self.province_case, 2, StepRole.SPECIALIST, self.unit, hours=40)
        self._step(self.province_case, 3, StepRole.LEADER, self.justice, hours=8)
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

    @staticmethod
    def _case(procedure, *, days):
        case = ProcedureCase.objects.create(
            procedure=procedure, processing_time=days, processing_unit="working_days"
        )
        ProcedureDocument.objects.create(case=case, order=1, name="Tờ khai", originals=1)
        ProcedureDocument.objects.create(case=case, order=2, name="Giấy chứng sinh", originals=1)
        return case

    @staticmethod
    def _step(case, order, role, agency, *, hours):
        return ProcedureStep.objects.create(
            case=case, order=order, name=f"Bước {order}", role=role, agency=agency, allotted_time=hours
        )

    def receive(self, case=None, *, agency=None, actor=None, received_at=MONDAY_9, **kwargs):
        case = case or self.commune_case
        kwargs.setdefault(
            "applicant", Applicant(name="Nguyễn Văn An", phone="0912345678", email="an@example.vn")
        )
        dossier, _pin = dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=agency or self.centre,
            actor=actor or self.reception,
            documents=[
                ReceivedDocument(name=d.name, originals=1, procedure_document_id=d.pk)
                for d in case.documents.all()
            ],
            received_at=received_at,
            **kwargs,
        )
        return dossier

    def hand_over(self, dossier, *, now):
        """The counter's hand-off to the next step, as the transfer form proposes it."""
        step = t.next_step(dossier)
        if dossier.current_step is not None and dossier.current_step.role != StepRole.RECEPTION:
            step = dossier.current_step
        if step is not None and step.role == StepRole.RECEPTION:
            step = ProcedureStep.objects.filter(case_id=dossier.case_id, order__gt=step.order).first()
        return t.dossier_transfer(dossier=dossier, actor=self.reception, step=step, now=now)


@pytest.fixture
def law(province):
    return Law()
