"""The permission matrix, generated from the URL configuration (issue 9).

- every URL name of the URLconf outside the admin has exactly one entry in
  tests/trust/perms_matrix.py (a new URL without one fails here, naming it);
- every (URL, role, own/other agency) is requested and must get the status of the matrix;
  every page a unit-level officer may open is searched for the other agency's MARKER;
- every write is POSTed as every role, and the target's state must not change when the
  request must not act;
- the admin (/quan-tri/) is covered per registered ModelAdmin from each role's permissions,
  so that a model registered later is covered without a new entry.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .perms_matrix import LOGIN, MATRIX, REDIRECT, expected
from .perms_world import ROLES

pytestmark = pytest.mark.django_db


# --- the URLconf ----------------------------------------------------------------------------------


def url_names(patterns=None, namespace="", prefix="") -> dict[str, str]:
    """{"namespace:name": full route} for every named URL of the URLconf, recursively."""
    found: dict[str, str] = {}
    for item in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(item.pattern)
        if isinstance(item, URLResolver):
            inner = f"{namespace}{item.namespace}:" if item.namespace else namespace
            found.update(url_names(item.url_patterns, inner, route))
        elif isinstance(item, URLPattern) and item.name:
            found[f"{namespace}{item.name}"] = route
    return found


def test_every_url_name_has_exactly_one_matrix_entry():
    names = {name for name in url_names() if not name.startswith("admin:")}
    missing = sorted(names - MATRIX.keys())
    assert not missing, (
        "URL names without an entry in tests/trust/perms_matrix.py MATRIX (say who may open "
        f"them, own and other agency): {', '.join(missing)}"
    )
    stale = sorted(MATRIX.keys() - names)
    assert not stale, f"matrix entries for URL names that no longer exist: {', '.join(stale)}"


def test_every_admin_url_is_generated_by_the_site_or_a_registered_model_admin():
    admin_names = {name.removeprefix("admin:") for name in url_names() if name.startswith("admin:")}
    covered = set(ADMIN_SITE_URLS)
    for model_admin in admin.site._registry.values():
        covered |= {p.name for p in model_admin.get_urls() if p.name}
    assert admin_names <= covered, sorted(admin_names - covered)


# --- request helpers ------------------------------------------------------------------------------


def _login_as(client, world, role):
    user = None if role == "anon" else world.users[role]
    if user is not None:
        client.force_login(user)
    return user


def _assert_status(response, want, *, login_url):
    got = response.status_code
    location = response.headers.get("Location", "")
    if want == LOGIN:
        assert got == 302 and location.startswith(login_url), (got, location)
    elif want == REDIRECT:
        assert got == 302 and not location.startswith(login_url), (got, location)
    else:
        assert got == want, (got, location)


def _text_of(response) -> str:
    """The readable text of a response (HTML, JSON, Excel cells, PDF text)."""
    content_type = response.headers.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        rows = (row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
        return "\n".join(str(cell) for row in rows for cell in row)
    if content_type.startswith("application/pdf"):
        import subprocess

        from tests.motcua.pdftext import pdf_text

        try:
            return pdf_text(body)
        except subprocess.CalledProcessError:  # the matrix's stub files are not real PDFs
            return body.decode("latin-1")
    return body.decode("utf-8", "replace")


def _assert_no_leak(response, role, world, typed=()):
    """Nothing of the other agency on a page a unit-level officer may open. What the request
    itself sent (`typed`: a search box shows the officer's own query back) is not a leak."""
    if role == "sonoivu" or response.status_code != 200:
        return
    text = _text_of(response)
    for value in typed:
        text = text.replace(str(value), "")
    leaked = [secret for secret in world.secrets if secret in text]
    assert not leaked, f"another agency's data on the page: {leaked}"


# --- the matrix: reads ----------------------------------------------------------------------------


def _read_cases():
    for name, entry in MATRIX.items():
        for side in entry.sides:
            for role in ROLES:
                yield pytest.param(name, role, side, id=f"{name}|{role}|{side}")


def _url(name, entry, world, side, user):
    url = reverse(name, kwargs=entry.kwargs(world, side, user))
    query = entry.query(world, side, user)
    return f"{url}?{urlencode(query)}" if query else url


@pytest.mark.parametrize(("name", "role", "side"), list(_read_cases()))
def test_matrix_get(client, perms_world, perms_media, name, role, side):
    entry = MATRIX[name]
    user = _login_as(client, perms_world, role)
    response = client.get(_url(name, entry, perms_world, side, user))
    _assert_status(response, expected(entry.expect[role], side), login_url=reverse("login"))
    _assert_no_leak(response, role, perms_world, typed=entry.query(perms_world, side, user).values())
    if entry.check is not None and response.status_code == 200:
        entry.check(response, perms_world, role, side)


# --- the matrix: writes ---------------------------------------------------------------------------


def _write_cases():
    for name, entry in MATRIX.items():
        if entry.post is None:
            continue
        for side in entry.sides:
            for role in ROLES:
                yield pytest.param(name, role, side, id=f"{name}|{role}|{side}|POST")


REFUSALS = {LOGIN, 400, 403, 404, 405, 409}


@pytest.mark.parametrize(("name", "role", "side"), list(_write_cases()))
def test_matrix_post(client, perms_world, perms_media, name, role, side):
    entry = MATRIX[name]
    post = entry.post
    user = _login_as(client, perms_world, role)
    state_side = "other" if side == "any" else side
    before = post.state(perms_world, state_side) if post.state else None
    response = client.post(_url(name, entry, perms_world, side, user), post.data(perms_world, side, user))
    want = expected(post.expect[role], side)
    _assert_status(response, want, login_url=reverse("login"))
    must_not_act = want in REFUSALS or post.always_unchanged or (side == "other" and role != "sonoivu")
    if post.state and must_not_act:
        assert post.state(perms_world, state_side) == before, "the refused request changed the data"


# --- the admin, generated per ModelAdmin ----------------------------------------------------------

ADMIN_SITE_URLS = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
    "app_list",
}
STANDARD = re.compile(r"^(?P<prefix>\w+?)_(?P<view>changelist|add|history|delete|change)$")


def _admin_cases():
    for name in sorted(ADMIN_SITE_URLS):
        if name == "app_list":
            for label in sorted({m._meta.app_label for m in admin.site._registry}):
                yield pytest.param("app_list", label, id=f"admin:app_list[{label}]")
        else:
            yield pytest.param(name, None, id=f"admin:{name}")
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if pattern.name:
                yield pytest.param(pattern.name, model._meta.label, id=f"admin:{pattern.name}")


def _perm(user, model, action) -> bool:
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


def _admin_request(name, target, user):
    """(url, expected status or set of acceptable statuses for a staff user)."""
    from django.apps import apps

    if name == "app_list":
        models = [m for m in admin.site._registry if m._meta.app_label == target]
        allowed = any(_perm(user, m, a) for m in models for a in ("view", "change", "add", "delete"))
        return reverse("admin:app_list", kwargs={"app_label": target}), 200 if allowed else 404
    if target is None:
        if name == "view_on_site":
            from django.contrib.contenttypes.models import ContentType

            from thutuc.models import Agency

            agency = Agency.objects.order_by("pk").first()
            ct = ContentType.objects.get_for_model(Agency)
            url = reverse("admin:view_on_site", kwargs={"content_type_id": ct.pk, "object_id": agency.pk})
            return url, {302, 404}  # to the object's page if it has one
        if name == "autocomplete":
            query = {"app_label": "thutuc", "model_name": "user", "field_name": "agency", "term": "Sở"}
            from thutuc.models import Agency

            return f"{reverse('admin:autocomplete')}?{urlencode(query)}", (
                200 if _perm(user, Agency, "view") or _perm(user, Agency, "change") else 403
            )
        status = {"login": 302, "logout": 405}.get(name, 200)
        return reverse(f"admin:{name}"), status
    model = apps.get_model(target)
    model_admin = admin.site._registry[model]
    obj = model._default_manager.order_by("pk").first()
    pattern = next(p for p in model_admin.get_urls() if p.name == name)
    kwargs = {key: obj.pk if obj else 0 for key in pattern.pattern.converters}
    url = reverse(f"admin:{name}", kwargs=kwargs)
    # What the role's permissions allow, narrowed (never widened) by the ModelAdmin's own
    # rules (a read-only admin, a case that cannot be deleted, ...).
    request = RequestFactory().get(url)
    request.user = user
    view_or_change = (_perm(user, model, "view") or _perm(user, model, "change")) and (
        model_admin.has_view_or_change_permission(request, obj)
    )
    if name == "auth_user_password_change":  # (it ends in "_change" but needs the change right)
        allowed = _perm(user, model, "change") and model_admin.has_change_permission(request, obj)
        return url, 200 if allowed else 403
    match = STANDARD.match(name)
    if match is None:  # a custom admin view (import, export...)
        return url, {200, 302, 405} if view_or_change else {403}
    view = match["view"]
    if view == "add":
        allowed = _perm(user, model, "add") and model_admin.has_add_permission(request)
    elif view == "delete":
        allowed = _perm(user, model, "delete") and model_admin.has_delete_permission(request, obj)
    else:
        allowed = view_or_change
    if obj is None and view == "history":
        return url, {302}  # Django's history view says "does not exist" before it checks rights
    if obj is None and view in ("change", "delete"):
        return url, {302} if allowed else {403}  # "does not exist" back to the index
    return url, 200 if allowed else 403


@pytest.mark.parametrize(("name", "target"), list(_admin_cases()))
@pytest.mark.parametrize("role", ROLES)
def test_admin_matrix(client, perms_world, name, target, role):
    """Non-staff (anonymous and every officer but quantri) are sent to the admin login;
    quantri gets exactly what the role's permissions allow."""
    user = _login_as(client, perms_world, role)
    probe = user if user is not None else perms_world.users["quantri"]
    url, want = _admin_request(name, target, probe)
    response = client.get(url)
    admin_login = reverse("admin:login")
    if user is not None and user.is_staff:
        allowed = want if isinstance(want, set) else {want}
        assert response.status_code in allowed, (response.status_code, response.headers.get("Location"))
    elif name == "login":
        assert response.status_code == 200  # the form ("not authorised" for an officer)
    elif name == "logout":
        assert response.status_code == 302 and response.url == reverse("admin:index")
    else:
        assert response.status_code == 302 and response.url.startswith(admin_login), response.status_code


def _admin_delete_cases():
    for model in admin.site._registry:
        for role in ROLES:
            yield pytest.param(model._meta.label, role, id=f"admin:delete[{model._meta.label}]|{role}|POST")


@pytest.mark.parametrize(("label", "role"), list(_admin_delete_cases()))
def test_admin_delete_needs_the_permission(client, perms_world, label, role):
    """POST the delete confirmation of each model's first row as each role without the
    permission: refused, and the row is still there."""
    from django.apps import apps

    model = apps.get_model(label)
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        pytest.skip(f"no {label} row in the matrix data")
    user = _login_as(client, perms_world, role)
    if user is not None and _perm(user, model, "delete"):
        pytest.skip("the role may delete this model")
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url.startswith(reverse("admin:login"))
    assert model._default_manager.filter(pk=obj.pk).exists()
