"""The signed-in user, its roles and permissions are cached between requests
(thutuc/accounts/access.py): a staff page costs no query for them, and every change to them
is seen on the very next request."""

import pytest
from django.contrib.auth.models import Group, Permission

from thutuc.accounts.roles import Role
from thutuc.models import User

from ..factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/__bench__/base"  # a minimal page extending base.html (the bench's logged-in floor)


@pytest.fixture
def bench_urls(settings):
    if "bench" not in settings.INSTALLED_APPS:
        pytest.skip("the bench app is a development tool")
    settings.ROOT_URLCONF = "bench.urls"


@pytest.mark.parametrize(
    "engine, tables",
    [
        ("django.contrib.sessions.backends.db", ["django_session", "motcua_notification"]),
        # production (REDIS_URL): the session read from the cache (core/sessions.py)
        ("core.sessions", ["motcua_notification"]),
    ],
)
def test_a_logged_in_page_queries_only_the_session_and_the_alert_badge(
    client, bench_urls, settings, django_assert_num_queries, engine, tables
):
    settings.SESSION_ENGINE = engine
    user = UserFactory(roles=[Role.LEADER])
    client.force_login(user)
    assert client.get(PAGE).status_code == 200  # warms the cache
    with django_assert_num_queries(len(tables)) as captured:  # (the session), the unread-alerts badge
        response = client.get(PAGE)
    assert response.status_code == 200
    for table, query in zip(tables, captured.captured_queries, strict=True):
        assert table in query["sql"]
    assert user.get_full_name() in response.content.decode()


def test_the_navigation_follows_each_users_permissions_and_superuser_flag(client, bench_urls):
    """The staff navigation is rendered once per set of roles and permissions
    ({% memo %}): a permission given to one user shows in that user's menu only."""
    complaints = "Phản ánh, khiếu nại"  # khieunai's entry, shown by permission, not by role
    admin_entry = "Quản trị danh mục"
    # catalogue admins hold no khieunai permission
    one, other = UserFactory(roles=[Role.CATALOGUE_ADMIN]), UserFactory(roles=[Role.CATALOGUE_ADMIN])
    boss = UserFactory(roles=[Role.SPECIALIST], is_superuser=True)

    def menu(user) -> str:
        client.force_login(user)
        return client.get(PAGE).content.decode()

    assert complaints not in menu(one) and complaints not in menu(other)
    one.user_permissions.add(
        Permission.objects.get(codename="view_feedback", content_type__app_label="khieunai")
    )
    assert complaints in menu(one)
    assert complaints not in menu(other)
    specialist = UserFactory(roles=[Role.SPECIALIST])
    assert admin_entry in menu(boss) and admin_entry not in menu(specialist)


def test_a_role_given_or_taken_shows_on_the_next_request(client, bench_urls):
    user = UserFactory(roles=[Role.SPECIALIST])
    client.force_login(user)
    reports = "Báo cáo các đơn vị"  # the Sở Nội vụ menu entry

    def menu_shows_reports() -> bool:
        return reports in client.get(PAGE).content.decode()

    assert not menu_shows_reports()
    home_affairs = Group.objects.get(name=str(Role.HOME_AFFAIRS))
    user.groups.add(home_affairs)
    assert menu_shows_reports()
    user.groups.remove(home_affairs)
    assert not menu_shows_reports()
    # from the group's side (the admin's group page): the same
    home_affairs.user_set.add(user)
    assert menu_shows_reports()
    home_affairs.user_set.clear()
    assert not menu_shows_reports()
    user.groups.add(home_affairs)
    assert menu_shows_reports()
    user.groups.clear()
    assert not menu_shows_reports()


def test_a_permission_given_to_a_group_or_user_shows_at_once(client):
    user = UserFactory(roles=[Role.SPECIALIST])
    assert not User.objects.get(pk=user.pk).has_perm("thutuc.view_accesslog")
    client.force_login(user)
    permission = Permission.objects.get(codename="view_accesslog", content_type__app_label="thutuc")
    Group.objects.get(name=str(Role.SPECIALIST)).permissions.add(permission)
    try:
        assert User.objects.get(pk=user.pk).has_perm("thutuc.view_accesslog")
    finally:
        Group.objects.get(name=str(Role.SPECIALIST)).permissions.remove(permission)
    assert not User.objects.get(pk=user.pk).has_perm("thutuc.view_accesslog")
    user.user_permissions.add(permission)
    assert User.objects.get(pk=user.pk).has_perm("thutuc.view_accesslog")
    permission.user_set.remove(user)
    assert not User.objects.get(pk=user.pk).has_perm("thutuc.view_accesslog")


def test_a_deactivated_user_or_changed_password_ends_the_session_at_once(client):
    user = UserFactory(roles=[Role.RECEPTION])
    client.force_login(user)
    assert client.get("/mot-cua/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/mot-cua/").status_code == 302  # to the login page
    user.is_active = True
    user.save()
    client.force_login(user)
    assert client.get("/mot-cua/").status_code == 200
    user.set_password("mat-khau-moi-2026!")
    user.save()
    assert client.get("/mot-cua/").status_code == 302


def test_the_agency_shown_is_the_agency_in_force(client):
    user = UserFactory(roles=[Role.RECEPTION], agency=AgencyFactory(name="Ủy ban nhân dân xã Cũ"))
    client.force_login(user)
    client.get("/mot-cua/")
    agency = user.agency
    agency.name = "Ủy ban nhân dân xã Mới"
    agency.save()
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    assert get_user(request).agency.name == "Ủy ban nhân dân xã Mới"
    user.agency = AgencyFactory(name="Ủy ban nhân dân phường Khác")
    user.save()
    assert get_user(request).agency.name == "Ủy ban nhân dân phường Khác"
