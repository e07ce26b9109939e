"""Late steps by unit and by officer: each step against its own deadline, the same verdict as
the control sheet, and a leader reaching the dossiers behind a count; the dossier page says
at which step an overdue dossier became late."""

import datetime as dt

from django.urls import reverse

from baocao import lateness
from baocao.periods import quarter_period
from motcua.models import DossierEvent
from motcua.selectors_processing import control_sheet_rows, dossier_events

from .conftest import MONDAY

Q1 = quarter_period(2026, 1)  # 15/12/2025 → 14/03/2026


def _by_label(result):
    return {row["label"]: {m: row[m] for m in lateness.MEASURES} for row in result["rows"]}


def test_by_unit_and_by_officer(steps_world):
    w = steps_world
    by_unit = _by_label(lateness.compute(agency_ids=None, period=Q1, grouping="unit"))
    assert by_unit[w.unit.name] == {"ended": 1, "early": 0, "on_time": 0, "late": 1, "running_late": 1}
    assert by_unit[w.department.name] == {"ended": 1, "early": 1, "on_time": 0, "late": 0, "running_late": 0}
    by_officer = lateness.compute(agency_ids=None, period=Q1, grouping="officer")
    rows = {row["key"]: row for row in by_officer["rows"]}
    assert rows[w.specialist.pk]["label"] == "Trần Văn Đức"
    assert rows[w.specialist.pk]["late"] == 1 and rows[w.specialist.pk]["running_late"] == 1
    assert rows[None]["early"] == 1  # the leader's step was handed to the unit, no officer named
    assert by_officer["total"] == {"ended": 2, "early": 1, "on_time": 0, "late": 1, "running_late": 1}


def test_the_same_verdict_as_the_control_sheet(steps_world):
    """Every step the control sheet classifies gets the same verdict in SQL."""
    w = steps_world
    for dossier in (w.finished, w.stuck):
        for row in control_sheet_rows(dossier, dossier_events(dossier)):
            if not row.verdict or row.event.action not in lateness.STEP_ACTIONS:
                continue
            found = {
                verdict
                for verdict in ("early", "on_time", "late")
                if lateness.steps(agency_ids=None, period=Q1)
                .filter(pk=row.event.pk)
                .filter(lateness.measure_q(verdict, Q1, now=MONDAY + dt.timedelta(days=30)))
                .exists()
            }
            assert found == {row.verdict}, row.event


def test_a_period_counts_steps_ended_within_it(steps_world):
    from baocao.periods import quarter_period

    q2 = lateness.compute(agency_ids=None, period=quarter_period(2026, 2), grouping="unit")
    assert q2["total"]["ended"] == 0
    # the stuck step is still late in Q2 (not ended, deadline passed)
    assert q2["total"]["running_late"] == 1


def test_leader_opens_late_steps_by_officer_and_reaches_the_dossiers(client, login, steps_world):
    w = steps_world
    login("lanhdao")  # Sở Tư pháp: its units are in its tree
    page = client.get(reverse("baocao:lateness") + "?kind=quarter&year=2026&quarter=1&grouping=officer")
    html = page.content.decode()
    assert page.status_code == 200 and "Trần Văn Đức" in html
    link = (
        reverse("baocao:lateness_dossiers")
        + f"?kind=quarter&amp;grouping=officer&amp;year=2026&amp;quarter=1&amp;agency={w.department.pk}"
        + f"&amp;measure=late&amp;key={w.specialist.pk}"
    )
    assert link in html
    listing = client.get(link.replace("&amp;", "&")).content.decode()
    assert w.finished.code in listing and w.stuck.code not in listing
    running = client.get(link.replace("&amp;", "&").replace("measure=late", "measure=running_late"))
    assert w.stuck.code in running.content.decode() and w.finished.code not in running.content.decode()


def test_other_agency_and_bad_parameters(client, login, steps_world):
    w = steps_world
    login("lanhdao")
    base = reverse("baocao:lateness_dossiers") + "?kind=quarter&year=2026&quarter=1&measure=late"
    assert client.get(base + f"&agency={w.other_department.pk}").status_code == 404
    assert client.get(base.replace("measure=late", "measure=x")).status_code == 404
    assert client.get(base + "&key=abc").status_code == 404
    login("tiepnhan")
    assert client.get(reverse("baocao:lateness")).status_code == 403


def test_dossier_page_says_where_it_became_late(client, login, steps_world):
    w = steps_world
    login("lanhdao")
    html = client.get(reverse("motcua:dossier_detail", args=[w.stuck.code])).content.decode()
    assert 'data-testid="late-step"' in html and w.steps[0].name in html and "bước chưa kết thúc" in html
    # finished early overall: no such line
    html = client.get(reverse("motcua:dossier_detail", args=[w.finished.code])).content.decode()
    assert 'data-testid="late-step"' not in html


def test_queries_do_not_grow(client, login, steps_world, django_assert_max_num_queries):
    login("sonoivu")
    with django_assert_max_num_queries(15):
        client.get(reverse("baocao:lateness") + "?kind=quarter&year=2026&quarter=1&grouping=unit")
    assert DossierEvent.objects.count() > 4
