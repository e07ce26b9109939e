"""The demo's reorganisations (motcua/demo_reorganisation.py, issue 18): the district split on
01/07/2025 and the 2026 merger of two wards, carried out by the operation itself."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua import demo_reorganisation as story
from motcua.models import Dossier, DossierEvent, EventAction
from motcua.models.dossier import OPEN_STATUSES
from tests.motcua.factories import CaseFactory
from thutuc.models import Agency, Reorganisation, User


@pytest.fixture
def seeded(province):
    CaseFactory(processing_time=5)
    story.seed()
    return province


def test_the_district_ended_and_its_open_dossiers_went_to_the_three_communes(seeded):
    district = Agency.objects.get(code=story.DISTRICT[0])
    assert district.valid_to == dt.date(2025, 6, 30) and not district.is_active
    assert not Dossier.objects.filter(competent_agency=district, status__in=OPEN_STATUSES).exists()
    assert Dossier.objects.filter(competent_agency=district).exists()  # the finished ones stay
    communes = Agency.objects.filter(code__in=[code for code, _name in story.NEW_COMMUNES])
    moved = {
        c.name: Dossier.objects.filter(competent_agency=c, received_at__year=2025).count() for c in communes
    }
    assert all(moved.values()), moved
    assert (
        sum(moved.values())
        == Reorganisation.objects.get(decision_number=story.DISTRICT_DECISION).summary["dossiers"]
    )


def test_the_merged_ward_holds_dossiers_from_both_sides_of_the_date(seeded):
    merged = Agency.objects.get(code=story.NEW_WARD[0])
    start = timezone.make_aware(dt.datetime.combine(merged.valid_from, dt.time()))
    inherited = Dossier.objects.filter(competent_agency=merged, received_at__lt=start)
    assert (
        inherited.exists()
        and inherited.exclude(receiving_agency__code__in=[c for c, _n in story.OLD_WARDS]).count() == 0
    )
    assert (
        DossierEvent.objects.filter(dossier__in=inherited, action=EventAction.REORGANISE).count()
        == inherited.count()
    )
    assert Dossier.objects.filter(receiving_agency=merged, received_at__gte=start).exists()
    assert User.objects.get(username="lanhdao_lamson").agency == merged


def test_seeding_again_adds_nothing(seeded):
    counts = (Dossier.objects.count(), DossierEvent.objects.count(), Reorganisation.objects.count())
    story.seed()
    assert (Dossier.objects.count(), DossierEvent.objects.count(), Reorganisation.objects.count()) == counts
