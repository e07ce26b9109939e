"""A day at the counter (issue 13 §1–§2): worklists for every state and any day, action
buttons that look different and ask first, "Đã nhận đủ" at intake, the receipt printed from
the result page, and dossier codes that are links for whoever may open them."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core import pins
from motcua.models import Dossier, Status
from motcua.services import transitions as t
from tests.factories import UserFactory
from tests.motcua.factories import intake_form
from thutuc.accounts.roles import Role
from thutuc.calendar import TZ
from thutuc.models import AccessAction, AccessLog

pytestmark = pytest.mark.django_db
HOME = reverse("motcua:staff_home")


def rows(response):
    return [d.code for d in response.context["page"].object_list]


# --- worklists -----------------------------------------------------------------------------------


def test_the_counter_lists_every_state_it_acts_on_for_any_date(world, client):
    now = timezone.now()
    long_ago = now - dt.timedelta(days=60)
    waiting_transfer = world.dossier(received_at=long_ago)  # still at the counter, overdue
    supplement = world.dossier(received_at=long_ago, waiting_supplement=True)
    payment = world.dossier(received_at=long_ago, status=Status.WAITING_PAYMENT)
    ready = world.dossier(
        received_at=long_ago, status=Status.RESULT_READY, finished_at=now - dt.timedelta(days=50)
    )
    returned = world.dossier(
        received_at=long_ago, status=Status.RETURNED, finished_at=now - dt.timedelta(days=50)
    )
    client.force_login(world.reception)
    at_counter = rows(client.get(HOME, {"ds": "tai-quay"}))
    assert set(at_counter) == {waiting_transfer.code, supplement.code, payment.code}
    assert rows(client.get(HOME, {"ds": "tai-quay", "loc": "cho-chuyen"})) == [waiting_transfer.code]
    assert rows(client.get(HOME, {"ds": "tai-quay", "loc": "cho-bo-sung"})) == [supplement.code]
    assert rows(client.get(HOME, {"ds": "tai-quay", "loc": "cho-nop-phi"})) == [payment.code]
    overdue = rows(client.get(HOME, {"ds": "tai-quay", "loc": "qua-han"}))
    assert set(overdue) == {waiting_transfer.code, payment.code}  # the supplement's clock stopped
    assert rows(client.get(HOME, {"ds": "cho-tra"})) == [ready.code]  # whatever its date
    assert returned.code not in at_counter
    # the day lists take any day
    day = long_ago.astimezone(TZ).date()
    received = rows(client.get(HOME, {"ds": "hom-nay", "ngay": day.isoformat()}))
    assert set(received) == {waiting_transfer.code, supplement.code, payment.code, ready.code, returned.code}
    assert rows(client.get(HOME, {"ds": "hom-nay"})) == []  # nothing received today
    assert client.get(HOME, {"ds": "hom-nay", "ngay": "31/02/2026"}).status_code == 400  # not a date
    due_day = waiting_transfer.due_at.astimezone(TZ).date()
    assert waiting_transfer.code in rows(
        client.get(HOME, {"ds": "den-han-hom-nay", "ngay": due_day.isoformat()})
    )


def test_a_passed_deadline_reads_overdue_in_the_lists(world, client):
    dossier = world.dossier(received_at=timezone.now() - dt.timedelta(days=30))
    client.force_login(world.reception)
    [row] = client.get(HOME, {"ds": "tai-quay"}).context["page"].object_list
    assert (
        row.code == dossier.code
        and row.deadline_text.startswith("quá hạn")
        and row.deadline_css == "status-bad"
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_counter_lists_stay_constant_in_queries(world, client, django_assert_max_num_queries, count):
    for i in range(count):
        world.dossier(received_at=timezone.now() - dt.timedelta(days=20 + i))  # all overdue
    client.force_login(world.reception)
    with django_assert_max_num_queries(12):
        response = client.get(HOME, {"ds": "tai-quay", "loc": "qua-han"})
    assert len(rows(response)) == min(count, 25)


# --- the detail page: looks and confirmations ------------------------------------------------------


def test_consequential_actions_ask_first_and_look_different(world, client):
    dossier = t.dossier_transfer(dossier=world.dossier(), actor=world.reception, step=world.steps[1])
    client.force_login(world.leader)
    response = client.get(reverse("motcua:dossier_detail", args=[dossier.code]))
    looks = {
        transition.action: (look, confirm)
        for transition, _form, look, confirm in response.context["action_forms"]
    }
    for action in ("approve", "refuse", "stop", "withdraw"):
        assert dossier.code in looks[action][1], action  # asks, naming the dossier
    assert looks["approve"][0] == "approve"
    destructive = {looks[a][0] for a in ("refuse", "stop", "withdraw")}
    assert len(destructive) == 3 and "approve" not in destructive and "primary" not in destructive
    assert looks["request_supplement"][1] == ""  # an everyday step does not ask
    html = response.content.decode()
    assert 'class="approve" data-action="approve" data-confirm=' in html
    assert 'class="danger" data-action="refuse" data-confirm=' in html
    assert "/static/js/confirm.js" in html and "<script>" not in html and " onclick=" not in html


def test_submitting_a_report_asks_first(province, client):
    from baocao import services
    from thutuc.models import Agency, User

    leader = User.objects.get(username="lanhdao")
    report = services.report_create(
        agency=Agency.objects.get(code="000.00.11.H99"), year=2026, quarter=1, actor=leader
    )
    client.force_login(leader)
    html = client.get(reverse("baocao:report_detail", args=[report.pk])).content.decode()
    assert 'data-confirm="Gửi báo cáo quý 1/2026 đến Sở Nội vụ?' in html and "/static/js/confirm.js" in html


# --- intake: "Đã nhận đủ", print from the result page ---------------------------------------------


def test_one_tick_receives_every_mandatory_paper(officer, case, client):
    client.force_login(officer)
    data = intake_form(case, check=False, all_received="on")
    response = client.post("/mot-cua/tiep-nhan/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    mandatory = set(case.documents.filter(mandatory=True).values_list("name", flat=True))
    assert set(dossier.documents.values_list("name", flat=True)) == mandatory  # the optional one stays out
    # without it, the missing papers are still refused
    response = client.post(
        "/mot-cua/tiep-nhan/", intake_form(case, token="2b0a6d1e-7c53-4d6e-9a55-0c7d8f6c1a02", check=False)
    )
    assert response.status_code == 200 and Dossier.objects.count() == 1
    page = client.get("/mot-cua/tiep-nhan/", {"thu_tuc": case.procedure.code}).content.decode()
    assert 'name="all_received"' in page and "Đã nhận đủ" in page and 'data-mandatory="1"' in page


def test_the_receipt_prints_from_the_result_page(officer, case, client):
    client.force_login(officer)
    client.post("/mot-cua/tiep-nhan/", intake_form(case))
    dossier = Dossier.objects.get()
    done = client.get(reverse("motcua:intake_done", args=[dossier.code])).content.decode()
    print_url = reverse("motcua:receipt_print", args=[dossier.code])
    assert f'href="{print_url}"' in done
    pin = pins.unseal(dossier.code, client.session["counter_receipt_pins"][dossier.code])
    assert len(pin) == pins.PIN_LENGTH
    response = client.get(print_url)
    html = response.content.decode()
    assert response.status_code == 200 and dossier.code in html and pin in html
    assert (
        'data-autoprint="1"' in html
        and "/static/js/print.js" in html
        and "/static/css/print-form.css" in html
    )
    assert "<style" not in html and "<script>" not in html  # the strict CSP holds
    assert AccessLog.objects.filter(action=AccessAction.PRINT, object_ref=dossier.code).count() == 1


# --- dossier codes as links ---------------------------------------------------------------------------


def _render(template, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load dossier_links %}" + template).render(
        Context({"request": request, "user": user, **context})
    )


def test_a_code_links_for_whoever_may_open_it_without_a_query_per_row(world, django_assert_max_num_queries):
    # decided at the centre: their codes carry its identifier (NĐ 118/2025 Điều 28)
    mine = [world.dossier(competent_agency=world.centre) for _ in range(20)]
    theirs = world.dossier(receiving_agency=world.other_department, case=world.other_case, received_by=None)
    specialist = type(world.specialist).objects.get(pk=world.specialist.pk)  # nothing cached yet
    template = (
        "{% for d in dossiers %}[{% dossier_link d %}]{% endfor %}|"
        "{% for c in codes %}[{% dossier_link c %}]{% endfor %}"
    )
    # roles, visible agencies, their codes: three queries for 42 codes
    with django_assert_max_num_queries(3):
        html = _render(
            template, world.reception, dossiers=[*mine, theirs], codes=[d.code for d in [*mine, theirs]]
        )
    assert html.count('class="dossier-code"') == 40  # both forms of each own code, not the other's
    assert f"[{theirs.code}]" in html
    # the specialist's unit decides nothing at the centre: codes of the centre are text for him
    assert 'class="dossier-code"' not in _render("{% dossier_link code %}", specialist, code=mine[0].code)
    # a citizen (anonymous) never gets a link
    from django.contrib.auth.models import AnonymousUser

    assert _render("{% dossier_link d %}", AnonymousUser(), d=mine[0]) == mine[0].code


def _pdf_links(content: bytes) -> str:
    """poppler's pdftohtml keeps a PDF's link annotations as <a href>."""
    import subprocess

    result = subprocess.run(
        ["pdftohtml", "-stdout", "-xml", "-i", "-q", "-", "-"],
        input=content,
        capture_output=True,
        check=False,
    )
    if result.returncode:  # older poppler: no stdin
        raise AssertionError(result.stderr.decode())
    return result.stdout.decode("utf-8", "replace")


def test_the_register_and_its_pdf_link_each_code(world, client):
    # decided at the centre: the register's bare code carries its identifier
    dossier = world.dossier(received_at=timezone.now(), competent_agency=world.centre)
    leader = UserFactory(agency=world.centre, roles=[Role.LEADER])
    client.force_login(leader)
    html = client.get(reverse("motcua:register")).content.decode()
    assert f'<a href="{reverse("motcua:dossier_detail", args=[dossier.code])}" class="dossier-code">' in html
    links = _pdf_links(client.get(reverse("motcua:register_pdf")).content)
    assert f"http://testserver/mot-cua/ho-so/{dossier.code}/" in links
