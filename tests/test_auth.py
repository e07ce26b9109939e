import pytest

from thutuc.demo import DEMO_PASSWORD


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    assert "Đăng nhập dành cho cán bộ" in response.content.decode()


def test_wrong_password_gives_vietnamese_error_and_keeps_username(client, province):
    response = client.post("/dang-nhap/", {"username": "tiepnhan", "password": "sai-mat-khau"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert 'value="tiepnhan"' in html


def test_login_lands_on_staff_home_with_agency_and_role(client, province):
    response = client.post("/dang-nhap/", {"username": "tiepnhan", "password": DEMO_PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/mot-cua/"
    assert "Trang làm việc" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Minh Sơn" in html
    assert "Cán bộ một cửa" in html


def test_staff_home_requires_login(client, db):
    response = client.get("/mot-cua/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize(
    ("username", "sees_admin_link"),
    [("quantri", True), ("tiepnhan", False), ("lanhdao", False), ("sonoivu", False)],
)
def test_navigation_follows_role(client, province, login, username, sees_admin_link):
    login(username)
    html = client.get("/mot-cua/").content.decode()
    assert ("/quan-tri/" in html) is sees_admin_link


def test_logout_is_a_post_and_ends_the_session(client, province, login):
    login("tiepnhan")
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert client.get("/mot-cua/").status_code == 302


def test_password_change_validates_in_vietnamese(client, province, login):
    login("tiepnhan")
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": DEMO_PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu phải có ít nhất 10 ký tự." in html
    assert "This password" not in html


def test_catalogue_admin_reaches_admin_but_reception_does_not(client, province, login):
    login("quantri")
    assert client.get("/quan-tri/thutuc/agency/").status_code == 200
    client.logout()
    login("tiepnhan")
    assert client.get("/quan-tri/thutuc/agency/").status_code == 302  # not staff: sent to admin login


def test_catalogue_admin_cannot_grant_superuser(client, province, login):
    from thutuc.models import User

    admin_user = login("quantri")
    target = User.objects.get(username="tiepnhan")
    form = client.get(f"/quan-tri/thutuc/user/{target.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in form
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser


def test_the_portal_backend_keeps_permissions_and_reads_the_agency_with_the_user(
    province, django_assert_num_queries
):
    """thutuc.accounts.backend.PortalBackend: the same answers as Django's ModelBackend (group and own
    permissions, superuser, inactive user); roles and permissions read once and kept in the
    cache between requests (accounts/access.py); none for the logged-in user's agency."""
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    from thutuc.accounts.backend import PortalBackend
    from thutuc.models import User

    backend = PortalBackend()
    officer = User.objects.get(username="tiepnhan")
    officer.user_permissions.add(Permission.objects.get(codename="view_calendarday"))
    with django_assert_num_queries(2):  # the user with its agency; its roles and permissions
        user = backend.get_user(officer.pk)
    with django_assert_num_queries(0):
        assert user.agency.name  # read with the user
        permissions = backend.get_all_permissions(user)  # read with the user, kept with it
        assert backend.has_perm(user, "motcua.add_dossier")
    with django_assert_num_queries(0):  # the next request's user: from the cache
        again = backend.get_user(officer.pk)
        assert again.agency.name and backend.get_all_permissions(again) == permissions
    assert permissions == ModelBackend().get_all_permissions(User.objects.get(pk=officer.pk))
    assert "thutuc.view_calendarday" in permissions  # its own
    assert "motcua.add_dossier" in permissions and "thutuc.change_procedure" not in permissions
    admin = User.objects.create_superuser("root", "root@example.vn", "x")
    assert backend.get_all_permissions(admin) == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    officer.is_active = False
    officer.save()
    assert backend.get_user(officer.pk) is None
    assert backend.get_all_permissions(User.objects.get(pk=officer.pk)) == set()
