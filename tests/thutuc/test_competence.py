"""The competent agency proposed at intake and the administrative level of an agency
(thutuc/competence.py; NĐ 118/2025/NĐ-CP Điều 3 khoản 7, Điều 14 khoản 2, Điều 20)."""

import pytest

from tests.factories import AgencyFactory
from tests.thutuc.factories import ProcedureFactory
from thutuc.competence import (
    COMMUNE,
    PROVINCE,
    AgencyTree,
    competent_agency_choices,
    propose_competent_agency,
)
from thutuc.models import AgencyLevel, ProcedureLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree_world():
    province = AgencyFactory(level=AgencyLevel.PROVINCE, name="UBND tỉnh")
    centre = AgencyFactory(level=AgencyLevel.ONE_STOP_CENTRE, parent=province, name="Trung tâm tỉnh")
    department = AgencyFactory(level=AgencyLevel.DEPARTMENT, parent=province, name="Sở Tư pháp")
    unit = AgencyFactory(unit=True, parent=department)
    commune_a = AgencyFactory(level=AgencyLevel.COMMUNE, parent=province, name="Xã A")
    commune_b = AgencyFactory(level=AgencyLevel.COMMUNE, parent=province, name="Xã B")
    centre_b = AgencyFactory(level=AgencyLevel.ONE_STOP_CENTRE, parent=commune_b, name="Trung tâm xã B")
    # in the civil-status field (ProcedureFactory's): a commune one and a provincial one
    commune_procedure = ProcedureFactory(code="1.001193", name="Khai sinh", competent_agency=commune_a)
    province_procedure = ProcedureFactory(
        code="2.000488", level=ProcedureLevel.PROVINCE, competent_agency=department
    )
    return locals()


def test_levels_follow_the_tree(tree_world):
    w, tree = tree_world, AgencyTree.load()
    assert tree.level(w["centre"].pk) == PROVINCE  # a centre is the level of the body above it
    assert tree.level(w["unit"].pk) == PROVINCE  # a unit of a department: provincial
    assert tree.level(w["centre_b"].pk) == COMMUNE  # a commune's one-stop centre (Điều 7 khoản 3)
    assert tree.commune_of(w["centre_b"].pk) == w["commune_b"].pk
    assert tree.within(w["unit"].pk, w["department"].pk) and not tree.within(w["department"].pk, w["unit"].pk)
    assert tree.across_levels(w["centre"].pk, w["commune_a"].pk)  # Điều 20 khoản 1
    assert not tree.across_levels(w["centre"].pk, w["department"].pk)


def test_a_commune_procedure_goes_to_the_applicants_commune_nd118_art20(tree_world):
    w = tree_world
    procedure = w["commune_procedure"]
    # filed at the provincial centre for an applicant of commune B: commune B decides
    assert (
        propose_competent_agency(
            procedure=procedure, receiving_agency=w["centre"], applicant_commune=w["commune_b"]
        )
        == w["commune_b"]
    )
    # no commune given: the commune of the counter (commune B's centre), not the catalogue's A
    assert propose_competent_agency(procedure=procedure, receiving_agency=w["centre_b"]) == w["commune_b"]
    # at the provincial centre with no commune: the catalogue's competent agency
    assert propose_competent_agency(procedure=procedure, receiving_agency=w["centre"]) == w["commune_a"]


def test_other_procedures_go_to_the_catalogues_competent_agency(tree_world):
    w = tree_world
    procedure = w["province_procedure"]
    for counter in (w["centre"], w["centre_b"], w["commune_a"]):
        assert (
            propose_competent_agency(
                procedure=procedure, receiving_agency=counter, applicant_commune=w["commune_b"]
            )
            == w["department"]
        )
    procedure.competent_agency = None
    assert propose_competent_agency(procedure=procedure, receiving_agency=w["centre"]) == w["centre"]


def test_choices_are_the_agencies_of_the_procedures_level(tree_world):
    w = tree_world
    communes = set(competent_agency_choices(w["commune_procedure"]))
    assert {w["commune_a"], w["commune_b"]} <= communes and w["department"] not in communes
    provincial = set(competent_agency_choices(w["province_procedure"]))
    assert (
        w["department"] in provincial and w["commune_a"] not in provincial and w["centre"] not in provincial
    )


def test_a_cycle_entered_by_hand_does_not_hang_the_tree(tree_world):
    from thutuc.models import Agency

    w = tree_world
    Agency.objects.filter(pk=w["province"].pk).update(parent=w["unit"])  # unit → … → province → unit
    tree = AgencyTree.current()
    assert len(list(tree.ancestors(w["unit"].pk))) <= 12
