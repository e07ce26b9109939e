import pytest

from baocao.periods import quarter_period

from .factories import AgencyFactory


@pytest.fixture
def q1():
    """Q1/2026: 15/12/2025 → 14/03/2026."""
    return quarter_period(2026, 1)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Ủy ban nhân dân xã Kiểm Thử")


@pytest.fixture
def stp(province):
    """Sở Tư pháp of the demo province (the demo leader `lanhdao` works there)."""
    from thutuc.models import Agency

    return Agency.objects.get(code="000.00.11.H99")


@pytest.fixture
def users(province):
    from thutuc.models import User

    return {u.username: u for u in User.objects.all()}
