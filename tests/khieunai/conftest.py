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
    from tests.factories import demo_agency

    return demo_agency("justice")


@pytest.fixture
def commune(province):
    from tests.factories import demo_agency

    return demo_agency("commune")


@pytest.fixture
def outsider(commune):
    """A leader of another agency (xã Tân Phú)."""
    from tests.factories import leader_of

    return leader_of(commune, "lanhdaoxa")


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
