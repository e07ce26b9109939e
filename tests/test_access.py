"""The visibility helper: a user of agency A sees nothing of agency B."""

import pytest

from tests.factories import AgencyFactory, UserFactory
from thutuc.accounts.roles import Role
from thutuc.accounts.visibility import (
    can_see_agency,
    restrict_to_visible,
    visible_agencies,
    visible_agency_ids,
)
from thutuc.models import User


@pytest.fixture
def two_agencies(db):
    a = AgencyFactory(name="Xã A")
    a_unit = AgencyFactory(unit=True, parent=a, name="Phòng của A")
    a_subunit = AgencyFactory(unit=True, parent=a_unit, name="Tổ của A")
    b = AgencyFactory(name="Xã B")
    b_unit = AgencyFactory(unit=True, parent=b, name="Phòng của B")
    return a, a_unit, a_subunit, b, b_unit


def test_officer_sees_own_agency_and_units_below_only(two_agencies):
    a, a_unit, a_subunit, b, b_unit = two_agencies
    officer = UserFactory(agency=a, roles=[Role.LEADER])
    assert visible_agency_ids(officer) == {a.pk, a_unit.pk, a_subunit.pk}
    assert set(visible_agencies(officer)) == {a, a_unit, a_subunit}
    assert not can_see_agency(officer, b.pk)
    assert not can_see_agency(officer, b_unit.pk)


def test_unit_specialist_does_not_see_parent_or_sibling(two_agencies):
    a, a_unit, a_subunit, b, _ = two_agencies
    specialist = UserFactory(agency=a_unit, roles=[Role.SPECIALIST])
    assert visible_agency_ids(specialist) == {a_unit.pk, a_subunit.pk}
    assert not can_see_agency(specialist, a.pk)


def test_home_affairs_and_superuser_see_everything(two_agencies):
    a, *_rest, b, _ = two_agencies
    home_affairs = UserFactory(agency=a, roles=[Role.HOME_AFFAIRS])
    root = UserFactory(agency=None, is_superuser=True)
    for user in (home_affairs, root):
        assert visible_agency_ids(user) is None
        assert can_see_agency(user, b.pk)


def test_user_without_agency_and_anonymous_see_nothing(two_agencies):
    from django.contrib.auth.models import AnonymousUser

    orphan = UserFactory(agency=None, roles=[Role.RECEPTION])
    assert visible_agencies(orphan).count() == 0
    assert visible_agencies(AnonymousUser()).count() == 0


def test_inactive_user_sees_nothing(two_agencies):
    a, *_ = two_agencies
    user = UserFactory(agency=a, is_active=False, roles=[Role.LEADER])
    assert visible_agencies(user).count() == 0


def test_restrict_to_visible_filters_any_queryset_by_agency_path(two_agencies):
    a, a_unit, _sub, b, b_unit = two_agencies
    officer = UserFactory(agency=a, roles=[Role.LEADER])
    colleague = UserFactory(agency=a_unit)
    stranger = UserFactory(agency=b_unit)
    visible = restrict_to_visible(User.objects.all(), officer, field="agency")
    assert colleague in visible and officer in visible
    assert stranger not in visible
    either = restrict_to_visible(User.objects.all(), officer, field="agency|agency__parent")
    assert stranger not in either
