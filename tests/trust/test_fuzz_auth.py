"""Hostile input to the login and password-change forms."""

import pytest
from hypothesis import given

from thutuc.models import User

from .fuzz import check_post
from .fuzz_strategies import examples, mutation

LOGIN = {"username": "text", "password": "text"}
OLD = "Mat-khau-cu-2026!"


pytestmark = pytest.mark.usefixtures("fresh_cache")  # no lockout state from another test


@pytest.mark.parametrize("url", ["/dang-nhap/", "/quan-tri/login/"])
@examples(40)
@given(change=mutation(LOGIN))
def test_login(province, client, url, change):
    user = User.objects.get(username="tiepnhan")
    user.set_password(OLD)
    user.save()
    data = {k: v for k, v in {"username": "tiepnhan", "password": "sai", **change}.items() if v is not None}
    response = client.post(url, data)
    # 200 with the form again; 302 only for the real password; a lockout (403/429) is allowed
    assert response.status_code in (200, 302, 403, 429)
    if response.status_code == 200:
        form = response.context["form"]
        assert form.errors
        from .fuzz import assert_form_errors_shown

        assert_form_errors_shown(response, form, data, {"username": "text"})
        assert "_auth_user_id" not in client.session
    client.logout()


CHANGE = {"old_password": "text", "new_password1": "text", "new_password2": "text"}


def test_password_change(province, client):
    user = User.objects.get(username="tiepnhan")

    @examples(40)
    @given(change=mutation(CHANGE))
    def run(change):
        user.set_password(OLD)
        user.save()
        client.force_login(user)
        new = "Mot-Cua-Moi-2026#"
        data = {"old_password": OLD, "new_password1": new, "new_password2": new, **change}
        data = {k: v for k, v in data.items() if v is not None}

        def changed(response, before, after):
            fresh = User.objects.get(pk=user.pk)
            sent = data["new_password1"]
            assert fresh.check_password(sent[-1] if isinstance(sent, list) else sent)

        check_post(
            client,
            "/doi-mat-khau/",
            data,
            kinds={},  # passwords are never rendered back
            models=[User],
            state=lambda: User.objects.get(pk=user.pk).password,
            on_success=changed,
        )

    run()


@pytest.mark.parametrize("url", ["/dang-nhap/", "/quan-tri/login/"])
def test_over_long_usernames_are_refused_by_the_form_not_the_database(province, client, url):
    """Found on PostgreSQL: Django's login forms set the username's max_length without a
    validator, so a 300-character name reached authenticate() and django-axes failed to store
    the failed attempt (varchar 255): a 500. The form refuses it; nothing is recorded."""
    from axes.models import AccessAttempt

    response = client.post(url, {"username": "a" * 300, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
    client.post(url, {"username": "tiepnhan", "password": "sai"})
    assert AccessAttempt.objects.get().username == "tiepnhan"  # ordinary failures still count
