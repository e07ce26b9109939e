"""The public dashboard /cong-khai/: anonymous, the same figures as the staff reports (II.06a
and the index), cached per month, charts as server-side SVG, no personal data."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from baocao import ii06a, selectors, service_index, views_public
from baocao.periods import custom_period, month_period

from .test_service_index import EXPECTED

pytestmark = pytest.mark.usefixtures("fresh_cache")
URL = reverse("baocao:public_dashboard") + "?month=1&year=2026"


def _row_cells(html, name):
    """The numbers of the agency's row, in the table's order."""
    match = re.search(r"<th scope=\"row\">" + re.escape(name) + r"</th>(.*?)</tr>", html, re.S)
    assert match, name
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def test_anonymous_sees_the_figures_of_the_staff_reports(client, january, trung_son):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    table = ii06a.compute(
        selectors.agency_scope(trung_son),
        custom_period(month_period(2026, 1).start, month_period(2026, 1).end),
    )
    c = table.total.counts
    index = next(r for r in service_index.compute(month_period(2026, 1)).rows if r.agency_id == trung_son.pk)
    received, resolved, on_time, overdue, online, satisfied, points = _row_cells(html, trung_son.name)
    assert int(received) == c[4] + c[5] == EXPECTED["received"]
    assert int(resolved) == c[7] == EXPECTED["resolved"]
    assert int(on_time) == c[8] + c[9] == EXPECTED["on_time"]
    assert int(overdue) == c[10] + c[13] == EXPECTED["overdue"]
    assert online == "33,3"  # 1 of 3 received online (col 4 / (col 4 + col 5))
    assert satisfied == "66,7"  # 2 of 3 ratings
    assert points == f"{index.total:.2f}".replace(".", ",") + f"/{index.max_available}"
    assert "<svg" in html and "<script" not in html and " style=" not in html


def test_online_payment_and_digitisation_count_in_the_public_points_as_in_the_staff_index(
    client, issue19, trung_son
):
    index = next(r for r in service_index.compute(month_period(2026, 1)).rows if r.agency_id == trung_son.pk)
    assert index.total == round(6 + 13.33 + 6 + 3.33 + 13.44 + 12, 2)  # test_service_index, by hand
    points = _row_cells(client.get(URL).content.decode(), trung_son.name)[-1]
    assert points == f"{index.total:.2f}".replace(".", ",") + "/100"


def test_no_data_is_said_not_zero(client, province):
    html = client.get(URL).content.decode()
    assert "không có dữ liệu" in html


def test_a_month_is_computed_once_then_served_from_the_cache(client, january, django_assert_max_num_queries):
    assert cache.get(views_public.cache_key(2026, 1)) is None
    client.get(URL)
    assert cache.get(views_public.cache_key(2026, 1)) is not None
    # cached: the page costs the session's and the nav's queries, not the figures'
    with django_assert_max_num_queries(2):
        assert client.get(URL).status_code == 200


def test_bad_month_is_a_clear_error(client, province):
    response = client.get(reverse("baocao:public_dashboard") + "?month=13&year=abc")
    assert response.status_code == 400
    assert "Xếp hạng" not in response.content.decode() and "errorbox" in response.content.decode()


def test_no_personal_data(client, january):
    html = client.get(URL).content.decode()
    dossier = january["online early"]
    for value in (dossier.applicant_name, dossier.applicant_phone, dossier.applicant_id_number, dossier.code):
        assert value and value not in html


def test_the_rendered_figures_are_cached_and_forgotten_together(client, january):
    from django.core.cache.utils import make_template_fragment_key

    client.get(URL)
    fragment = make_template_fragment_key(views_public.FRAGMENT, [views_public.CACHE_VERSION, 2026, 1])
    assert "public-figures" in cache.get(fragment)
    views_public.forget(2026, 1)
    assert cache.get(fragment) is None and cache.get(views_public.cache_key(2026, 1)) is None


def test_the_dashboard_answers_when_the_cache_is_unreachable(client, january, trung_son, caplog):
    """Redis down: the month's figures are computed for the request (and a warning logged),
    never an error page for the public."""
    import logging

    from django.test import override_settings

    from tests.conftest import unreachable_caches

    with override_settings(CACHES=unreachable_caches()), caplog.at_level(logging.WARNING):
        response = client.get(URL)
    assert response.status_code == 200
    assert trung_son.name in response.content.decode()
    assert any("cache unreachable" in r.getMessage() for r in caplog.records)
