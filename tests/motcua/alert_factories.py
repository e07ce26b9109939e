"""Dossiers at chosen deadlines, for the alert tests (built directly; no intake service)."""

import datetime as dt
import itertools

from django.contrib.auth.models import Group

from core.pins import hash_pin
from motcua.models import Dossier, Status
from thutuc.accounts.roles import Role
from thutuc.calendar import TZ
from thutuc.models import Agency, AgencyLevel, Field, Procedure, ProcedureCase, User

_seq = itertools.count(1)


def local(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


def make_world():
    centre = Agency.objects.create(
        code="000.00.06.H97", name="Trung tâm PVHCC thử", level=AgencyLevel.ONE_STOP_CENTRE
    )
    dept = Agency.objects.create(code="000.00.11.H97", name="Sở Tư pháp thử", level=AgencyLevel.DEPARTMENT)
    unit = Agency.objects.create(name="Phòng Hành chính tư pháp thử", level=AgencyLevel.UNIT, parent=dept)
    other = Agency.objects.create(code="000.00.20.H97", name="Sở khác", level=AgencyLevel.DEPARTMENT)
    field = Field.objects.create(code="HT", name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.001193", name="Đăng ký khai sinh", field=field, level="commune"
    )
    case = ProcedureCase.objects.create(
        procedure=procedure, processing_time=3, processing_unit="working_days"
    )

    def user(username, role, agency, email=""):
        u = User.objects.create(username=username, full_name=username.title(), agency=agency, email=email)
        u.groups.add(Group.objects.get(name=str(role)))
        return u

    people = {
        "specialist": user("cv1", Role.SPECIALIST, unit, "cv1@example.vn"),
        "specialist2": user("cv2", Role.SPECIALIST, unit),
        "leader": user("ld1", Role.LEADER, unit, "ld1@example.vn"),
        "head": user("gd1", Role.LEADER, centre, "gd1@example.vn"),
        "stranger": user("cv9", Role.SPECIALIST, other),
    }
    return {"centre": centre, "dept": dept, "unit": unit, "procedure": procedure, "case": case, **people}


def make_dossier(world, *, due_at, status=Status.PROCESSING, assignee=None, received_at=None):
    n = next(_seq)
    received_at = received_at or due_at - dt.timedelta(days=5)
    code = f"000.00.06.H97-{received_at:%y%m%d}-{n:04d}"
    return Dossier.objects.create(
        code=code,
        procedure=world["procedure"],
        case=world["case"],
        receiving_agency=world["centre"],
        competent_agency=world["dept"],
        current_unit=world["unit"],
        assignee=assignee,
        applicant_name="Nguyễn Văn An",
        received_at=received_at,
        due_at=due_at,
        original_due_at=due_at,
        status=status,
        pin_hash=hash_pin(code, "ABC234"),
        register_year=received_at.year,
        register_number=n,
    )
