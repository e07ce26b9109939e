"""Agencies with a life (issue 18): in force between valid_from and valid_to, no new dossiers
after their last day, and what each kind of counter receives."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import AgencyFactory
from tests.thutuc.factories import ProcedureFactory
from thutuc.catalogue.places import receivable_procedures
from thutuc.competence import communes, competent_agency_choices
from thutuc.models import Agency, AgencyLevel, CentreKind, ProcedureLevel

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("valid_from", "valid_to", "is_active", "in_force"),
    [
        (None, None, True, True),
        (TODAY, TODAY, True, True),  # both days included
        (None, TODAY - DAY, True, False),  # ended yesterday
        (TODAY + DAY, None, True, False),  # not begun
        (None, None, False, False),  # switched off
    ],
)
def test_an_agency_is_in_force_between_its_dates(valid_from, valid_to, is_active, in_force):
    agency = AgencyFactory(valid_from=valid_from, valid_to=valid_to, is_active=is_active)
    assert agency.is_in_force() is in_force
    assert agency.can_receive_dossiers is in_force
    assert Agency.objects.in_force().filter(pk=agency.pk).exists() is in_force


def test_an_ended_agency_is_no_longer_offered_but_counts_for_the_periods_it_lived(db):
    ended = AgencyFactory(valid_to=TODAY - DAY, is_active=False)
    switched_off = AgencyFactory(is_active=False)
    procedure = ProcedureFactory()
    assert ended not in communes() and ended not in competent_agency_choices(procedure)
    lived = Agency.objects.in_force_during(TODAY - 10 * DAY, TODAY - 5 * DAY)
    assert ended in lived and switched_off not in lived
    assert ended not in Agency.objects.in_force_during(TODAY, TODAY)


def test_an_agency_cannot_end_before_it_begins(db):
    agency = AgencyFactory.build(valid_from=TODAY, valid_to=TODAY - DAY)
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        agency.full_clean()


def test_what_each_kind_of_counter_receives(db):
    by_level = ProcedureFactory(level=ProcedureLevel.COMMUNE)
    named = ProcedureFactory(level=ProcedureLevel.PROVINCE)
    point = AgencyFactory(
        code=None, level=AgencyLevel.UNIT, centre_kind=CentreKind.RECEIVING_POINT, name="Điểm tiếp nhận Đông"
    )
    branch = AgencyFactory(level=AgencyLevel.UNIT, centre_kind=CentreKind.BRANCH, name="Chi nhánh số 1")
    centre = AgencyFactory(level=AgencyLevel.ONE_STOP_CENTRE, centre_kind=CentreKind.PROVINCIAL)
    named.receiving_agencies.add(point)
    assert set(receivable_procedures(point)) == {named}
    assert set(receivable_procedures(branch)) == set(receivable_procedures(centre)) >= {by_level, named}
