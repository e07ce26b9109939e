import pytest

from motcua.services.intake import Applicant

from .factories import CaseFactory, papers_of, reception_officer


@pytest.fixture
def officer(db):
    return reception_officer()


@pytest.fixture
def case(db, officer):
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    return case


@pytest.fixture
def receive(officer, case):
    """Accept a dossier with every paper of `case`; keyword arguments override."""
    from motcua.services.intake import dossier_receive

    def _receive(**kwargs):
        the_case = kwargs.pop("case", case)
        params = {
            "procedure": the_case.procedure,
            "case": the_case,
            "agency": officer.agency,
            "actor": officer,
            "applicant": Applicant(name="Nguyễn Văn An", phone="0912345678", email="an@example.vn"),
            "documents": papers_of(the_case),
            **kwargs,
        }
        return dossier_receive(**params)

    return _receive


@pytest.fixture
def alert_world(db):
    """The deadline alerts' own agencies: a one-stop centre, Sở Tư pháp thử and its Phòng, and
    another department; one procedure (3 working days) received at the centre and routed to
    the Phòng; its officers: two specialists and a leader in the Phòng, the centre's director
    (`head`), the department's leader (`director`), a stranger of the other department and the
    centre's reception officer.

    `alert_world.dossier(due_at=..., assignee=...)` is DossierFactory with that procedure: a
    dossier at the Phòng whose deadline is `due_at`, taken in hand by `assignee` himself (so no
    hand-off message), left at the Phòng unassigned without one (handed on by its leader when
    a `status` past the receipt is asked for); its applicant left neither
    e-mail nor phone (no message to the applicant): only the alerts under test are sent."""
    from types import SimpleNamespace

    from django.contrib.auth.models import Group

    from motcua.models import Status
    from tests.factories import AgencyFactory, UserFactory
    from thutuc.accounts.roles import Role
    from thutuc.models import AgencyLevel

    from .factories import DossierFactory, StepFactory

    for role in Role:  # a transactional test starts from flushed tables
        Group.objects.get_or_create(name=str(role))
    centre = AgencyFactory(
        code="000.00.06.H97", name="Trung tâm PVHCC thử", level=AgencyLevel.ONE_STOP_CENTRE
    )
    dept = AgencyFactory(code="000.00.11.H97", name="Sở Tư pháp thử", level=AgencyLevel.DEPARTMENT)
    unit = AgencyFactory(unit=True, name="Phòng Hành chính tư pháp thử", parent=dept)
    other = AgencyFactory(code="000.00.20.H97", name="Sở khác", level=AgencyLevel.DEPARTMENT)
    case = CaseFactory(
        procedure__code="1.001193",
        procedure__name="Đăng ký khai sinh",
        procedure__competent_agency=dept,
        processing_time=3,
    )
    # the Phòng's step: long enough that no step alert fires in these tests
    StepFactory(case=case, agency=unit, allotted_time=30)

    def user(username, role, agency, email=""):
        return UserFactory(
            username=username, full_name=username.title(), agency=agency, email=email, roles=[role]
        )

    people = {
        "reception": user("tn1", Role.RECEPTION, centre),
        "specialist": user("cv1", Role.SPECIALIST, unit, "cv1@example.vn"),
        "specialist2": user("cv2", Role.SPECIALIST, unit),
        "leader": user("ld1", Role.LEADER, unit, "ld1@example.vn"),
        "head": user("gd1", Role.LEADER, centre, "gd1@example.vn"),
        # the competent department's leader, who writes apologies (NĐ 118/2025 Điều 19 khoản 6)
        "director": user("gd2", Role.LEADER, dept),
        "stranger": user("cv9", Role.SPECIALIST, other),
    }

    def dossier(*, assignee=None, **kwargs):
        values = {
            "case": case,
            "receiving_agency": centre,
            "received_by": people["reception"],
            "applicant_email": "",
            "applicant_phone": "",
            "actor": people["leader"],
            "assignee": assignee,
            "transferred_by": assignee or people["leader"],
            "status": Status.PROCESSING if assignee else Status.RECEIVED,
        }
        return DossierFactory(**{**values, **kwargs})

    return SimpleNamespace(centre=centre, dept=dept, unit=unit, case=case, dossier=dossier, **people)


@pytest.fixture
def law(province):
    """The NĐ 118/2025 world: the demo province with a commune procedure and a provincial one
    (tests/motcua/factories.py LawWorld). Monday 02/03/2026 is an ordinary working Monday."""
    from .factories import LawWorld

    return LawWorld()
