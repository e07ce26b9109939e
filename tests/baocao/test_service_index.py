"""The service index (QĐ 766/QĐ-TTg): one agency's figures for January 2026 recomputed by
hand from its dossiers, the same numbers as II.06a, the drill-down behind every figure,
"không có dữ liệu" for what the portal does not hold, and the staff page."""

import datetime as dt

from django.urls import reverse

from baocao import ii06a, selectors, service_index
from baocao.periods import custom_period, month_period
from motcua.models import FeeEntry
from motcua.services import fees

JANUARY = month_period(2026, 1)


# By hand, from the fixture's five dossiers of Trung Sơn in January 2026.
EXPECTED = {
    "received": 3,  # online early, counter late, pending apologised
    "received_online": 1,
    "synced": 1,  # the online one carries its national portal code
    "resolved": 3,  # online early, counter late, carried early
    "on_time": 2,  # online early, carried early
    "resolved_late": 1,
    "pending_overdue": 1,
    "overdue": 2,
    "overdue_apology": 1,
    "overdue_no_apology": 1,
    "online_eligible": 2,  # online early (full), counter late (partial)
    "online": 1,
    "rated": 3,
    "satisfied": 2,
    # issue 19's data, absent from the plain fixture: every received dossier owes the
    # factory case's fee (its ledger's line due), none paid online, nothing digitised
    "fees_due": 3,
    "paid_online": 0,
    "digitised": 0,
    "results_issued": 3,  # the three resolved ones, all approved
    "results_digitised": 0,
    "reused": 0,
}
# With the `issue19` fixture (conftest: payments, scans, an electronic result, a reused paper), by hand.
EXPECTED_19 = EXPECTED | {
    "fees_due": 3,  # online early, counter late, pending apologised
    "paid_online": 1,  # online early, through the gateway (counter late paid cash)
    "digitised": 2,  # online early (scanned at intake), pending apologised (reused paper)
    "results_issued": 3,  # online early, counter late, carried early
    "results_digitised": 2,  # online early (electronic result), counter late (result scanned)
    "reused": 1,  # pending apologised
}
BEHIND_19 = {
    "fees_due": {"online early", "counter late", "pending apologised"},
    "paid_online": {"online early"},
    "digitised": {"online early", "pending apologised"},
    "results_issued": {"online early", "counter late", "carried early"},
    "results_digitised": {"online early", "counter late"},
    "reused": {"pending apologised"},
}
BEHIND = {
    "received": {"online early", "counter late", "pending apologised"},
    "synced": {"online early"},
    "resolved": {"online early", "counter late", "carried early"},
    "on_time": {"online early", "carried early"},
    "overdue": {"counter late", "pending apologised"},
    "overdue_apology": {"pending apologised"},
    "overdue_no_apology": {"counter late"},
    "online_eligible": {"online early", "counter late"},
    "online": {"online early"},
    "rated": {"online early", "counter late", "carried early"},
    "satisfied": {"online early", "carried early"},
}


def _row(table, agency):
    return next(r for r in table.rows if r.agency_id == agency.pk)


def test_one_agency_recomputed_by_hand(january, trung_son):
    table = service_index.compute(JANUARY)
    row = _row(table, trung_son)
    assert row.counts == EXPECTED
    scores = {g.group.key: g.score for g in row.groups}
    assert scores == {
        "publicity": round(18 * 1 / 3, 2),  # 1 of 3 received dossiers synced
        "progress": round(20 * 2 / 3, 2),  # 2 of 3 resolved on time
        "online": round(12 * 1 / 2, 2),  # 1 of 2 online-capable dossiers filed online
        "payment": 0.0,  # 3 dossiers owe a fee, none paid online: a real zero
        "digitisation": 0.0,  # 0 of 3 received digitised, 0 of 3 results (reuse: no data)
        "satisfaction": round(18 * 2 / 3, 2),  # 2 of 3 ratings satisfied
    }
    reuse = next(c for g in row.groups for c in g.components if c.component.key == "reused")
    assert reuse.denominator == 0 and reuse.rate is None  # no digitised dossier: no data
    assert row.total == round(6 + 13.33 + 6 + 0 + 0 + 12, 2)
    assert row.max_available == 100
    assert row.percent == round(100 * row.total / 100, 1)


def test_online_payment_and_digitisation_recomputed_by_hand(issue19, trung_son):
    row = _row(service_index.compute(JANUARY), trung_son)
    assert row.counts == EXPECTED_19
    scores = {g.group.key: g.score for g in row.groups}
    assert scores["payment"] == round(10 * 1 / 3, 2)  # 1 of 3 dossiers owing a fee paid online
    # papers 2 of 3 received, results 2 of 3 resolved, reuse 1 of 2 digitised: the mean rate
    assert scores["digitisation"] == round(22 * (2 / 3 + 2 / 3 + 1 / 2) / 3, 2)
    assert row.total == round(6 + 13.33 + 6 + 3.33 + 13.44 + 12, 2)
    # the figure is the ledger's own: paid online is what `Ledger.paid_online` says
    scope = service_index.scope_of(trung_son)
    for dossier in service_index.dossiers_for("fees_due", scope, JANUARY):
        ledger = fees.ledger_of(dossier)
        assert ledger.due > 0
        assert (ledger.paid_online > 0) == (dossier.applicant_name in BEHIND_19["paid_online"])
    for measure, names in BEHIND_19.items():
        dossiers = service_index.dossiers_for(measure, scope, JANUARY)
        assert {d.applicant_name for d in dossiers} == names, measure
        assert dossiers.count() == EXPECTED_19[measure], measure
    assert FeeEntry.objects.filter(method="online").count() == 3  # other agency and February too


def test_periods_before_the_portal_recorded_payment_and_papers_have_no_data(issue19, trung_son, settings):
    """SERVICE_INDEX_DIGITAL_DATA_SINCE: a month ending before it shows online payment and
    digitisation as "không có dữ liệu" (the portal could not record them), not 0 %."""
    settings.SERVICE_INDEX_DIGITAL_DATA_SINCE = JANUARY.end + dt.timedelta(days=1)
    row = _row(service_index.compute(JANUARY), trung_son)
    groups = {g.group.key: g for g in row.groups}
    assert groups["payment"].score is None and groups["digitisation"].score is None
    assert all(c.rate is None for c in groups["digitisation"].components)
    assert row.max_available == 100 - 10 - 22 and row.total == round(6 + 13.33 + 6 + 12, 2)
    assert row.counts == EXPECTED_19  # the counts (and their drill-down) stay
    settings.SERVICE_INDEX_DIGITAL_DATA_SINCE = JANUARY.end  # the period's last day: recorded
    assert _row(service_index.compute(JANUARY), trung_son).groups[3].score == round(10 / 3, 2)


def test_a_period_without_fees_or_papers_has_no_data_for_them(issue19, trung_son):
    """March: nothing received or resolved, so no denominator — "không có dữ liệu", not 0."""
    row = _row(service_index.compute(month_period(2026, 3)), trung_son)
    groups = {g.group.key: g for g in row.groups}
    assert groups["payment"].score is None and groups["digitisation"].score is None


def test_every_figure_drills_down_to_its_dossiers(january, trung_son):
    scope = service_index.scope_of(trung_son)
    for measure, names in BEHIND.items():
        found = {d.applicant_name for d in service_index.dossiers_for(measure, scope, JANUARY)}
        assert found == names, measure
    for measure, count in EXPECTED.items():
        assert service_index.dossiers_for(measure, scope, JANUARY).count() == count, measure


def test_progress_figures_are_those_of_ii06a(january, trung_son):
    """The index reads II.06a's columns: the statistics page of the same days says the same."""
    table = ii06a.compute(
        selectors.agency_scope(trung_son), custom_period(JANUARY.start, JANUARY.end), grouping="unit"
    )
    c = table.total.counts
    row = _row(service_index.compute(JANUARY), trung_son)
    assert row.counts["received"] == c[4] + c[5]
    assert row.counts["received_online"] == c[4]
    assert row.counts["resolved"] == c[7]
    assert row.counts["on_time"] == c[8] + c[9]
    assert row.counts["overdue"] == c[10] + c[13]


def test_no_data_is_not_zero(province, trung_son):
    row = _row(service_index.compute(JANUARY), trung_son)
    assert row.total is None and row.percent is None and row.rank is None
    assert all(g.score is None for g in row.groups)
    assert all(c.rate is None for g in row.groups for c in g.components)


def test_province_ranking_and_total(january, trung_son, stp):
    table = service_index.compute(JANUARY)
    ranked = [r for r in table.rows if r.rank is not None]
    assert [r.agency_id for r in ranked][:2] in ([trung_son.pk, stp.pk], [stp.pk, trung_son.pk])
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    assert all(a.percent >= b.percent for a, b in zip(ranked, ranked[1:], strict=False))
    # the province counts every dossier once (Trung Sơn's three + Sở Tư pháp's one)
    assert table.province.counts["received"] == 4 and table.province.counts["resolved"] == 4


def test_month_quarter_and_year_periods(january, trung_son):
    from baocao.periods import quarter_period, year_period

    assert JANUARY.start.isoformat() == "2026-01-01" and JANUARY.end.isoformat() == "2026-01-31"
    assert month_period(2026, 12).end.isoformat() == "2026-12-31"
    assert str(JANUARY.label) == "Tháng 1 năm 2026"
    quarter = _row(service_index.compute(quarter_period(2026, 1)), trung_son)
    # Q1/2026 runs 15/12/2025 → 14/03/2026: the February dossier and the carried one count
    assert quarter.counts["received"] == 5
    assert _row(service_index.compute(year_period(2026)), trung_son).counts["received"] == 5


# --- the staff page ------------------------------------------------------------------------------


def test_page_shows_ranking_components_and_links(client, login, january, trung_son):
    login("sonoivu")  # Sở Nội vụ
    url = reverse("baocao:service_index") + f"?kind=month&year=2026&month=1&agency={trung_son.pk}"
    html = client.get(url).content.decode()
    assert "Xếp hạng các cơ quan, đơn vị – Tháng 1 năm 2026" in html
    assert "Chi tiết: " + trung_son.name in html
    assert html.count("không có dữ liệu") >= 2  # procedures published, reuse (nothing digitised)
    link = (
        reverse("baocao:service_index_dossiers")
        + f"?kind=month&amp;year=2026&amp;month=1&amp;agency={trung_son.pk}&amp;measure=overdue_no_apology"
    )
    assert link in html
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert "counter late" not in listing  # the list shows codes, not names
    dossier = january["counter late"]
    assert dossier.code in listing and january["pending apologised"].code not in listing


def test_leader_drills_only_into_own_agency(client, login, january, trung_son, stp):
    login("lanhdao")  # Sở Tư pháp
    base = reverse("baocao:service_index_dossiers") + "?kind=month&year=2026&month=1&measure=received"
    assert client.get(base + f"&agency={stp.pk}").status_code == 200
    assert client.get(base + f"&agency={trung_son.pk}").status_code == 404
    assert client.get(base).status_code == 404  # the province: Sở Nội vụ only
    assert (
        client.get(base.replace("measure=received", "measure=nonsense") + f"&agency={stp.pk}").status_code
        == 404
    )
    page = client.get(reverse("baocao:service_index") + "?kind=month&year=2026&month=1")
    assert page.status_code == 200 and "Chi tiết: " + stp.name in page.content.decode()


def test_page_queries_do_not_grow_with_agencies(client, login, issue19, django_assert_max_num_queries):
    login("lanhdao")
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("baocao:service_index") + "?kind=month&year=2026&month=1").status_code == 200
        )


def test_payment_and_digitisation_figures_link_to_their_dossiers(client, login, issue19, trung_son):
    login("sonoivu")
    query = f"?kind=month&year=2026&month=1&agency={trung_son.pk}"
    html = client.get(reverse("baocao:service_index") + query).content.decode()
    listing_url = reverse("baocao:service_index_dossiers") + query
    for measure in ("paid_online", "fees_due", "digitised", "results_issued", "results_digitised", "reused"):
        assert listing_url.replace("&", "&amp;") + f"&amp;measure={measure}" in html, measure
    codes = {name: issue19[name].code for name in issue19}
    for measure, names in BEHIND_19.items():
        listing = client.get(listing_url + f"&measure={measure}").content.decode()
        assert {name for name, code in codes.items() if code in listing} == names, measure


def test_bad_period_is_a_form_error(client, login, province):
    login("lanhdao")
    response = client.get(reverse("baocao:service_index") + "?kind=month&year=abc&month=13")
    assert response.status_code == 200 and "Xếp hạng" not in response.content.decode()
