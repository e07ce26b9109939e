"""Sessions read from the cache and kept in the database (core/sessions.py, the production
engine when REDIS_URL is set): a signed-in page reads no session row, a sign-out removes
both copies, and an unreachable cache leaves the database to answer alone."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches

from core.sessions import SessionStore
from thutuc.accounts.roles import Role

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/mot-cua/"


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "core.sessions"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"}
    }
    caches["default"].clear()


@pytest.fixture
def unreachable_cache(unreachable_cache, settings):
    """tests/conftest.py's, with the cached session store."""
    settings.SESSION_ENGINE = "core.sessions"
    return unreachable_cache


def test_the_session_is_read_from_the_cache_and_kept_in_the_database(client, cached_sessions):
    user = UserFactory(roles=[Role.RECEPTION])
    client.force_login(user)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert caches["default"].get(SessionStore.cache_key_prefix + key)["_auth_user_id"] == str(user.pk)
    assert client.get(PAGE).status_code == 200
    # the cache emptied (a Redis restart): the database row answers and fills it again
    caches["default"].clear()
    assert client.get(PAGE).status_code == 200
    assert caches["default"].get(SessionStore.cache_key_prefix + key) is not None
    client.post("/dang-xuat/")
    assert not Session.objects.filter(session_key=key).exists()
    assert caches["default"].get(SessionStore.cache_key_prefix + key) is None
    assert client.get(PAGE).status_code == 302  # signed out


def test_an_unreachable_cache_leaves_the_database_to_answer(client, unreachable_cache, caplog):
    user = UserFactory(roles=[Role.RECEPTION])
    with caplog.at_level(logging.WARNING):
        client.force_login(user)
        response = client.get(PAGE)
    assert response.status_code == 200
    assert user.get_full_name() in response.content.decode()
    assert any("session read from the database" in r.getMessage() for r in caplog.records)
    key = client.session.session_key
    assert SessionStore().exists(key)
    client.post("/dang-xuat/")
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(PAGE).status_code == 302
