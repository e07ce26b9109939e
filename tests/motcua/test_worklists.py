"""Worklists on /mot-cua/: by role, filters, remaining working time, O(1) queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.models import Status
from motcua.services import transitions as t
from tests.timeutil import earlier_today, local
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.models import CalendarDay, CalendarDayKind
from thutuc.services import calendar_day_save

from .factories import CaseFactory, UserFactory, papers

pytestmark = pytest.mark.django_db
HOME = reverse("motcua:staff_home")


def rows(response):
    return [d.code for d in response.context["page"].object_list]


def due_today_at(agency) -> dt.datetime:
    """10:00 today, an appointment the calendar can give: on a weekend or a holiday the agency
    works today (a make-up day, set through the calendar's service)."""
    today = timezone.localdate()
    if not get_calendar(agency).is_working_day(today):
        calendar_day_save(day=CalendarDay(date=today, kind=CalendarDayKind.WORKING_DAY, reason="Làm bù"))
    return local(today.year, today.month, today.day, 10)


def test_reception_sees_todays_intake_results_to_return_and_due_today(world, client):
    now = timezone.now()
    today = world.dossier(received_at=earlier_today())
    old = world.dossier(received_at=now - dt.timedelta(days=30))
    ready = world.dossier(
        received_at=now - dt.timedelta(days=30), status=Status.RESULT_READY, finished_at=now
    )
    due_today = world.dossier(due_at=due_today_at(world.centre))
    client.force_login(world.reception)
    response = client.get(HOME)
    assert response.status_code == 200 and response.context["current"] == "hom-nay"
    assert rows(response) == [today.code]
    assert "Xin chào Nguyễn Thị Hồng Nhung" in response.content.decode()  # the greeting facts stay
    assert rows(client.get(HOME, {"ds": "cho-tra"})) == [ready.code]
    due = rows(client.get(HOME, {"ds": "den-han-hom-nay"}))
    assert due_today.code in due and old.code not in due


def test_specialist_sees_mine_and_the_units_and_nothing_of_other_agencies(world, client):
    mine = world.dossier(processing=True, assignee=world.specialist)
    colleague = UserFactory(agency=world.unit, roles=[Role.SPECIALIST])
    theirs = world.dossier(processing=True, assignee=colleague)
    elsewhere = world.dossier(
        receiving_agency=world.other_department,
        case=world.other_case,
        status=Status.PROCESSING,
    )
    client.force_login(world.specialist)
    response = client.get(HOME)
    assert response.context["current"] == "cua-toi" and rows(response) == [mine.code]
    unit = rows(client.get(HOME, {"ds": "don-vi"}))
    assert set(unit) == {mine.code, theirs.code} and elsewhere.code not in unit
    assert not any(w.slug == "hom-nay" for w in response.context["worklists"])


def test_leader_sees_the_whole_unit_with_filters(world, client):
    now = timezone.now()
    calendar = get_calendar(world.centre)
    overdue = world.dossier(overdue=True, now=now)
    soon = world.dossier(processing=True, due_at=calendar.add_working_hours(now, Decimal("0.5")))
    later = world.dossier(processing=True, received_at=now)  # due in 5 working days
    waiting = world.dossier(processing=True, received_at=now)
    t.dossier_request_supplement(dossier=waiting, actor=world.leader, items=papers("Tờ khai"), reason="Thiếu")
    client.force_login(world.leader)
    response = client.get(HOME)
    assert response.context["current"] == "cua-toi"
    response = client.get(HOME, {"ds": "don-vi"})
    assert set(rows(response)) == {overdue.code, soon.code, later.code, waiting.code}
    html = response.content.decode()
    assert "quá hạn" in html and "dừng tính thời gian (chờ bổ sung)" in html
    assert rows(client.get(HOME, {"ds": "don-vi", "loc": "qua-han"})) == [overdue.code]
    assert rows(client.get(HOME, {"ds": "don-vi", "loc": "cho-bo-sung"})) == [waiting.code]
    due_soon = rows(client.get(HOME, {"ds": "don-vi", "loc": "sap-den-han"}))
    assert soon.code in due_soon and later.code not in due_soon and overdue.code not in due_soon
    other_case = CaseFactory(procedure__competent_agency=world.department, documents=[], fees=[])
    other = world.dossier(case=other_case, processing=True)
    assert rows(client.get(HOME, {"ds": "don-vi", "thu-tuc": other_case.procedure_id})) == [other.code]


def test_rows_show_remaining_working_time(world, client):
    dossier = world.dossier(processing=True, received_at=timezone.now())
    client.force_login(world.leader)
    response = client.get(HOME, {"ds": "don-vi"})
    [row] = response.context["page"].object_list
    assert row.code == dossier.code and row.deadline_text.startswith("còn ")


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries, count):
    now = timezone.now()
    for i in range(count):
        world.dossier(
            processing=True,
            assignee=world.specialist,
            received_at=now - dt.timedelta(days=i % 10),
        )
    client.force_login(world.leader)
    # 13 on PostgreSQL: the unit list's merged index ranges, then the page's rows by id
    with django_assert_max_num_queries(13):
        response = client.get(HOME, {"ds": "don-vi"})
    assert len(response.context["page"].object_list) == min(count, 25)
    assert response.context["page"].paginator.count == count


def test_pagination(world, client):
    for _ in range(30):
        world.dossier(processing=True)
    client.force_login(world.leader)
    second = client.get(HOME, {"ds": "don-vi", "trang": 2})
    assert len(rows(second)) == 5
    assert "Trang 2/2" in second.content.decode()


def test_unit_worklist_pages_match_the_plain_order_across_units_statuses_and_tied_deadlines(
    world, client, monkeypatch
):
    """The unit worklist reads one index range per (unit, status) and merges them on
    PostgreSQL (WorklistRows): its pages must be exactly the plain ORDER BY due_at, pk pages,
    ties on the deadline included; past COUNT_CAP rows the count says "more than"."""
    from motcua import selectors_processing

    now = timezone.now()
    calendar = get_calendar(world.centre)
    tied = calendar.add_working_hours(now - dt.timedelta(days=20), 1)  # overdue, like all below
    # received and kept at the department (its procedure has no routing step)
    at_department = CaseFactory(procedure__competent_agency=world.department, documents=[], fees=[])
    statuses = [Status.RECEIVED, Status.PROCESSING, Status.WAITING_PAYMENT]
    for i in range(36):
        status, here = statuses[i % 3], world.unit if i % 2 else world.department
        world.dossier(
            status=status,
            **({"case": at_department} if status == Status.RECEIVED and here == world.department else {}),
            **({"unit": here} if status != Status.RECEIVED else {}),
            due_at=tied if i % 4 == 0 else calendar.add_working_hours(tied, Decimal(i) / 4),
        )
    world.dossier(
        case=world.other_case, receiving_agency=world.other_department, processing=True, due_at=tied
    )
    plain = [
        d.code
        for d in selectors_processing.worklist_queryset(
            world.leader, "don-vi", filter_slug="qua-han", now=now
        )
    ]
    assert len(plain) == 36
    client.force_login(world.leader)
    seen = []
    for number in (1, 2):
        response = client.get(HOME, {"ds": "don-vi", "loc": "qua-han", "trang": number})
        seen += rows(response)
    assert seen == plain
    assert "36 hồ sơ" in response.content.decode()

    # one unit and one status: a single index range (no UNION) — the specialist's unit
    client.force_login(world.specialist)
    unit_rows = rows(client.get(HOME, {"ds": "don-vi", "loc": "qua-han"}))
    assert unit_rows == [c for c in plain if c in set(unit_rows)] and len(unit_rows) == 18
    waiting = rows(client.get(HOME, {"ds": "don-vi", "loc": "cho-bo-sung"}))
    assert waiting == []
    client.force_login(world.leader)  # several ranges, nothing in them: an empty first page
    assert rows(client.get(HOME, {"ds": "don-vi", "loc": "qua-han", "thu-tuc": 10**6})) == []

    client.force_login(world.leader)
    monkeypatch.setattr(selectors_processing, "COUNT_CAP", 30)
    response = client.get(HOME, {"ds": "don-vi", "loc": "qua-han"})
    assert response.context["count_capped"] is True and rows(response) == plain[:25]
    assert "Hơn 30 hồ sơ" in response.content.decode()


def test_the_procedure_filter_lists_what_the_officer_sees_and_is_kept_a_few_minutes(
    world, client, django_assert_num_queries
):
    """Issue 21 §2: the filter's list (the procedures of the dossiers one sees) is kept per
    set of visible agencies for WORKLIST_PROCEDURES_SECONDS; another unit's officers have
    their own list."""
    from django.core.cache import cache

    from motcua.selectors_processing import WORKLIST_PROCEDURES_SECONDS, worklist_procedures

    mine = world.dossier(processing=True)
    elsewhere_case = CaseFactory(procedure__competent_agency=world.other_department, documents=[], fees=[])
    world.dossier(case=elsewhere_case, receiving_agency=world.other_department, processing=True)
    listed = worklist_procedures(world.leader)
    assert [pk for pk, _code, _name in listed] == [mine.procedure_id]
    with django_assert_num_queries(0):  # from the cache (the visible agencies are kept on the user)
        assert worklist_procedures(world.leader) == listed
    client.force_login(world.leader)
    html = client.get(HOME, {"ds": "don-vi"}).content.decode()
    assert f'<option value="{mine.procedure_id}">' in html
    assert f'<option value="{elsewhere_case.procedure_id}"' not in html
    # a procedure new to the unit shows once the entry has expired
    other_case = CaseFactory(procedure__competent_agency=world.department, documents=[], fees=[])
    world.dossier(case=other_case, processing=True)
    assert len(worklist_procedures(world.leader)) == 1
    assert 60 <= WORKLIST_PROCEDURES_SECONDS <= 600
    cache.clear()
    assert {pk for pk, _code, _name in worklist_procedures(world.leader)} == {
        mine.procedure_id,
        other_case.procedure_id,
    }
