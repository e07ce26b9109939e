# ruff: noqa: F811  (the `world` fixture is imported, then requested by name)
"""Hostile query strings and lookups: citizen tracking and rating, the catalogue search,
worklists, the register, notifications, khieunai lists and checks, statistics filters."""

import pytest
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from motcua.models import Dossier, DossierEvent, Rating, Status

from .fuzz import assert_form_errors_shown, is_vietnamese, row_counts
from .fuzz_strategies import examples, hostile_value

OK = {200, 302, 400, 404, 429}
MODELS = [Dossier, DossierEvent, Rating]


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def params(keys: dict[str, str]):
    """Any subset of the page's GET keys, each with a hostile value."""
    return st.fixed_dictionaries({}, optional={k: hostile_value(kind) for k, kind in keys.items()})


def get_ok(client, url, query, *, form_key="form", kinds=None):
    before = row_counts(MODELS)
    response = client.get(url, query)
    assert response.status_code in OK, (url, response.status_code)
    assert row_counts(MODELS) == before, "a lookup saved something"
    form = response.context.get(form_key) if response.context is not None else None
    if form is not None and getattr(form, "is_bound", False) and form.errors and response.status_code != 404:
        assert_form_errors_shown(response, form, query, kinds or {})
    reasons = response.context.get("reasons") if response.context is not None else None
    if response.status_code == 400 and reasons is not None:  # a query parameter refused (400.html)
        html = response.content.decode()
        assert reasons, "a refused query parameter must say why"
        for reason in reasons:
            assert is_vietnamese(reason.split(": ", 1)[-1]), reason
            assert escape(reason) in html
    return response


# --- citizen pages -----------------------------------------------------------------------


TRACK = {"ma": "text", "pin": "text"}


@examples(50)
@given(query=params(TRACK), method=st.sampled_from(["get", "post"]))
def test_tracking_lookup(world, client, query, method):
    world.dossier()
    before = row_counts(MODELS)
    response = getattr(client, method)("/tra-cuu/", query)
    assert response.status_code in OK
    assert row_counts(MODELS) == before
    form = response.context["form"]
    if form.is_bound and form.errors:
        assert_form_errors_shown(response, form, query, TRACK)


@examples(40)
@given(query=params({"value": "choice", "comment": "text", "pin": "text"}), right_code=st.booleans())
def test_citizen_rating(world, client, query, right_code):
    dossier = world.dossier(status=Status.RETURNED)
    data = {"ma": dossier.code if right_code else "X", "pin": dossier.pin, "value": "satisfied", **query}
    before = row_counts(MODELS)
    response = client.post("/tra-cuu/danh-gia/", data)
    assert response.status_code in OK | {409}
    saved = Rating.objects.filter(dossier=dossier).first()
    if saved is None:
        assert row_counts(MODELS) == before
        for key in ("form", "rating_form"):
            form = response.context.get(key)
            if form is not None and form.is_bound and form.errors:
                assert_form_errors_shown(response, form, data, {"comment": "text"})
    else:
        assert saved.value == data["value"] and saved.comment == data.get("comment", "").strip()


CATALOGUE = {"q": "text", "linh_vuc": "id", "cap": "choice", "page": "number"}


@examples(50)
@given(query=params(CATALOGUE))
def test_catalogue_search(world, client, query):
    get_ok(client, "/thu-tuc/", query, kinds=CATALOGUE)


@examples(30)
@given(code=hostile_value("text"))
def test_procedure_page_with_any_code(world, client, code):
    code = code[-1] if isinstance(code, list) else code
    response = client.get(
        "/thu-tuc/" + code.replace("/", "%2F").replace("?", "%3F").replace("#", "%23") + "/"
    )
    assert response.status_code in OK


@examples(30)
@given(query=params({"trang": "number"}))
def test_published_answers(db, client, query):
    get_ok(client, "/phan-anh/cong-khai/", query)


@examples(30)
@given(query=params({"month": "number", "year": "number", "kind": "choice"}))
def test_public_dashboard(db, client, query):
    get_ok(client, "/cong-khai/", query)


# --- staff lookups -----------------------------------------------------------------------

STATS = {
    "agency": "id",
    "kind": "choice",
    "year": "number",
    "quarter": "number",
    "date_from": "date",
    "date_to": "date",
    "grouping": "choice",
    "role": "choice",
}
INDEX = {"kind": "choice", "year": "number", "month": "number", "quarter": "number", "agency": "id"}
REGISTER = {
    "co_quan": "id",
    "nam": "number",
    "thu_tuc": "id",
    "trang_thai": "choice",
    "tu_ngay": "date",
    "den_ngay": "date",
    "page": "number",
}
# URL name → (user, {key: kind}): every query parameter the page reads (tests/trust/
# test_fuzz_inventory.py QUERY_TABLE says which pages read one; this table must cover them).
STAFF_PAGES = {
    "motcua:staff_home": (
        "lanhdao",
        {"ds": "choice", "loc": "choice", "thu-tuc": "id", "trang": "number", "ngay": "date"},
    ),
    "motcua:search": ("tiepnhan", {"q": "text"}),
    "motcua:notifications": ("lanhdao", {"chua-doc": "choice", "trang": "number"}),
    "motcua:register": ("tiepnhan", REGISTER),
    "motcua:online_inbox": ("tiepnhan", {"xem": "choice", "trang": "number"}),
    "motcua:register_xlsx": ("tiepnhan", REGISTER),
    "motcua:register_pdf": ("tiepnhan", REGISTER),
    "motcua:fee_report": ("tiepnhan", {"co_quan": "id", "tu_ngay": "date", "den_ngay": "date"}),
    "motcua:fee_report_xlsx": ("lanhdao", {"co_quan": "id", "tu_ngay": "date", "den_ngay": "date"}),
    "khieunai:staff_list": (
        "lanhdao",
        {
            "loai": "choice",
            "trang_thai": "choice",
            "han": "choice",
            "q": "text",
            "trang": "number",
            "xuat": "choice",
        },
    ),
    "khieunai:hotline": ("giamdoc", {"ngay": "date"}),
    "khieunai:hotline_dossier_check": ("giamdoc", {"ma": "text"}),
    "khieunai:hotline_export": ("giamdoc", {"tu": "date", "den": "date"}),
    "khieunai:reception": ("giamdoc", {"nam": "number", "xuat": "choice"}),
    "baocao:index": ("lanhdao", {"year": "number", "quarter": "number"}),
    "baocao:statistics": ("sonoivu", STATS),
    "baocao:drill_down": (
        "sonoivu",
        {**STATS, "col": "number", "key": "id", "format": "choice", "page": "number"},
    ),
    "baocao:service_index": ("lanhdao", INDEX),
    "baocao:service_index_dossiers": (
        "sonoivu",
        {**INDEX, "measure": "choice", "format": "choice", "page": "number"},
    ),
    "baocao:lateness": ("lanhdao", STATS),
    "baocao:lateness_dossiers": (
        "sonoivu",
        {**STATS, "measure": "choice", "key": "text", "format": "choice", "page": "number"},
    ),
}


def test_every_page_of_the_query_inventory_is_here():
    from .test_fuzz_inventory import QUERY_TABLE

    listed = {name for name, test in QUERY_TABLE.items() if test.endswith("::test_staff_lookups")}
    assert listed == set(STAFF_PAGES)


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_staff_lookups(world, client, name):
    from django.urls import reverse

    from thutuc.models import User

    username, kinds = STAFF_PAGES[name]
    url = reverse(name)
    client.force_login(User.objects.get(username=username))
    world.dossier()

    @examples(20)
    @given(query=params(kinds))
    def run(query):
        get_ok(client, url, query, kinds=kinds)

    run()


NUL_VALUES = ["\x00", "a\x00b", "000.00.06.H99\x00"]


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_nul_in_every_staff_lookup_param(world, client, name):
    """PostgreSQL refuses NUL in a text literal: every parameter is tried with it."""
    from django.urls import reverse

    from thutuc.models import User

    username, kinds = STAFF_PAGES[name]
    url = reverse(name)
    client.force_login(User.objects.get(username=username))
    for key in kinds:
        for value in NUL_VALUES:
            get_ok(client, url, {key: value}, kinds=kinds)


@pytest.mark.parametrize(
    "path",
    [
        "/thu-tuc/{}/",
        "/tra-cuu/?ma={}&pin={}",
        "/mot-cua/ho-so/{}/",
        "/mot-cua/ho-so/{}/giay-tiep-nhan.pdf",
        "/mot-cua/ho-so/{}/danh-gia/",
        "/mot-cua/tiep-nhan/xong/{}/",
        "/mot-cua/tiep-nhan/phieu/{}/",
        "/khieu-nai/{}/",
        "/khieu-nai/{}/thong-bao/",
        "/bao-cao/thong-ke/xuat/{}/",
    ],
)
def test_nul_in_paths_and_codes_is_not_found(world, client, path):
    from thutuc.models import User

    client.force_login(User.objects.get(username="giamdoc"))
    for value in NUL_VALUES:
        response = client.get(path.format(value, value))
        assert response.status_code in (200, 404)
