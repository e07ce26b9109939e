import pytest


@pytest.fixture
def catalogue(province):
    """The demo province with its sample catalogue (seeded by thutuc.demo.seed)."""
    from thutuc import demo
    from thutuc.models import Procedure

    demo.seed_catalogue()

    assert Procedure.objects.filter(is_sample=True).count() >= 30
    return province
