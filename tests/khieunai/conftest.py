import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def users(province):
    from thutuc.models import User

    return {u.username: u for u in User.objects.select_related("agency")}


@pytest.fixture
def justice(province):
    """Sở Tư pháp: leader `lanhdao`, its unit Phòng Hành chính tư pháp has `chuyenvien`."""
    from thutuc.models import Agency

    return Agency.objects.get(code="000.00.11.H99")


@pytest.fixture
def commune(province):
    from thutuc.models import Agency

    return Agency.objects.get(code="000.19.23.H99")


@pytest.fixture
def outsider(commune):
    """A leader of another agency (xã Tân Phú)."""
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role

    return UserFactory(username="lanhdaoxa", agency=commune, roles=[Role.LEADER, Role.SPECIALIST])


@pytest.fixture
def submit(justice):
    """Submit to Sở Tư pháp through the service (the way every page does): Nguyễn Văn An
    complains of the reception; keyword arguments change any field."""
    from tests.khieunai.factories import submit_feedback

    def _submit(**kwargs):
        values = {
            "agency": justice,
            "title": "Thái độ tiếp dân chưa tốt",
            "content": "Cán bộ tiếp nhận hẹn lại nhiều lần.",
            "submitter_name": "Nguyễn Văn An",
            "submitter_address": "Số 3 phố Hàng Bè, phường Trung Sơn",
            "submitter_phone": "0912000111",
        }
        return submit_feedback(**{**values, **kwargs})

    return _submit


@pytest.fixture
def login(client, province):
    """Log in one of the demo users (the demo province is seeded first)."""

    def _login(username):
        from thutuc.models import User

        user = User.objects.get(username=username)
        client.force_login(user)
        return user

    return _login
