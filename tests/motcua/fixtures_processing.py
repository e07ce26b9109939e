"""Fixtures of the processing tests (imported by each test module that needs them)."""

from types import SimpleNamespace

import pytest

from thutuc.catalogue.versions import case_version_for
from thutuc.models import Agency, User
from thutuc.models.catalogue import StepRole

from .factories_processing import CaseFactory, DossierFactory, StepFactory


@pytest.fixture
def world(province):
    """The demo province with one procedure routed Phòng Hành chính tư pháp → Sở Tư pháp,
    received at the one-stop centre, and the five demo officers."""
    centre = Agency.objects.get(code="000.00.06.H99")
    department = Agency.objects.get(code="000.00.11.H99")
    unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
    other_department = Agency.objects.get(code="000.00.20.H99")
    case = CaseFactory(procedure__competent_agency=department)
    appraise = StepFactory(case=case, order=1, name="Thẩm định hồ sơ", agency=unit, role=StepRole.SPECIALIST)
    sign = StepFactory(
        case=case, order=2, name="Phê duyệt kết quả", agency=None, role=StepRole.LEADER, allotted_time=1
    )
    users = {u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien", "lanhdao"])}
    # A dossier is routed along its own frozen copy of the steps (its case version): the steps
    # the tests hand it along are those, the same for every dossier of this case.
    route = case_version_for(case=case, channel="direct")

    def dossier(**kwargs):
        kwargs.setdefault("case", case)
        kwargs.setdefault("receiving_agency", centre)
        kwargs.setdefault("competent_agency", department)
        kwargs.setdefault("received_by", users["tiepnhan"])
        return DossierFactory(**kwargs)

    return SimpleNamespace(
        centre=centre,
        department=department,
        unit=unit,
        other_department=other_department,
        case=case,
        steps=list(route.steps.order_by("order")),
        catalogue_steps=[appraise, sign],
        reception=users["tiepnhan"],
        specialist=users["chuyenvien"],
        leader=users["lanhdao"],
        dossier=dossier,
    )
