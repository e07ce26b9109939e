"""The working calendar's database side: make-up days imported from the package, overrides
and their validation, office hours, the announcement of a change (after commit), the admin."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.factories import AgencyFactory
from tests.timeutil import local
from thutuc import calendar_store as cal
from thutuc.calendar import SATURDAY
from thutuc.models import Agency, CalendarDay, CalendarDayKind
from thutuc.services import (
    agency_save,
    calendar_day_delete,
    calendar_day_save,
    calendar_days_delete,
    calendar_import_makeup_days,
)

from . import calendar_tasks

D = dt.date
OFF, WORK = CalendarDayKind.DAY_OFF, CalendarDayKind.WORKING_DAY


@pytest.fixture
def announcements(settings):
    """(agency_id, dates) of every calendar change announced during the test (dates None:
    every day), as the task named by CALENDAR_CHANGE_TASK receives them."""
    settings.CALENDAR_CHANGE_TASK = "tests.thutuc.calendar_tasks.record_calendar_change"
    calendar_tasks.received.clear()
    yield calendar_tasks.received
    calendar_tasks.received.clear()


def override(day, kind, agency=None, reason="Thử nghiệm"):
    return CalendarDay(date=day, kind=kind, agency=agency, reason=reason)


# --- make-up days imported from the package --------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "works"),
    [
        (D(2026, 8, 22), True),  # make-up Saturday for Monday 31/08/2026
        (D(2026, 8, 31), False),
        (D(2025, 4, 26), True),  # make-up Saturday for Friday 02/05/2025
        (D(2025, 5, 2), False),
        (D(2024, 5, 4), True),
        (D(2019, 1, 5), True),
        (D(2026, 8, 29), False),  # an ordinary Saturday
    ],
)
def test_the_migration_imported_the_make_up_days(day, works):
    assert cal.is_working_day(day) is works
    if works and day.weekday() == SATURDAY:
        row = CalendarDay.objects.get(date=day, agency=None)
        assert row.imported and row.kind == WORK


@pytest.mark.django_db
def test_imported_reason_cites_the_swap():
    row = CalendarDay.objects.get(date=D(2026, 8, 22), agency=None)
    assert row.reason.startswith("Làm bù cho ngày nghỉ thứ Hai 31/08/2026")
    assert "Ngày nghỉ (thay cho ngày 22/08/2026)" in row.reason


@pytest.mark.django_db
def test_import_is_idempotent_and_announced_once(announcements, django_capture_on_commit_callbacks):
    CalendarDay.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        created = calendar_import_makeup_days(years=range(2025, 2027))
    assert sorted(row.date for row in created) == [D(2025, 4, 26), D(2026, 8, 22)]
    assert announcements == [(None, frozenset({D(2025, 4, 26), D(2026, 8, 22)}))]
    with django_capture_on_commit_callbacks(execute=True):
        assert calendar_import_makeup_days(years=range(2025, 2027)) == []
    assert len(announcements) == 1  # nothing new, nothing announced
    assert CalendarDay.objects.count() == 2


@pytest.mark.django_db
def test_import_leaves_an_admins_decision_alone():
    row = CalendarDay.objects.get(date=D(2026, 8, 22), agency=None)
    row.kind, row.reason, row.imported = OFF, "Hủy làm bù theo văn bản mới", False
    calendar_day_save(day=row)
    assert calendar_import_makeup_days(years=[2026]) == []
    assert cal.is_working_day(D(2026, 8, 22)) is False


@pytest.mark.django_db
def test_sync_calendar_command(capsys):
    CalendarDay.objects.filter(date__year=2025).delete()
    call_command("sync_calendar", "--years", "2025-2030")
    out = capsys.readouterr().out
    assert "26/04/2025" in out and "Đã nhập 1 ngày làm bù mới" in out
    call_command("sync_calendar", "--years", "2025,2026")
    assert "Đã nhập 0 ngày" in capsys.readouterr().out
    call_command("sync_calendar")  # default range around this year
    for bad in ("2030-2025", "năm ngoái", "25"):
        with pytest.raises(CommandError, match="không hợp lệ"):
            call_command("sync_calendar", "--years", bad)


@pytest.mark.django_db
def test_seed_demo_imports_the_make_up_days():
    from thutuc import demo

    CalendarDay.objects.all().delete()
    demo.seed()
    demo.seed()
    assert set(CalendarDay.objects.values_list("date", flat=True)) >= {D(2025, 4, 26), D(2026, 8, 22)}
    assert CalendarDay.objects.filter(date=D(2026, 8, 22)).count() == 1


# --- the public API reading the database ------------------------------------------------------------


@pytest.mark.django_db
def test_due_at_through_the_database(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert cal.due_at(local(2026, 8, 21, 10), 1, "working_days") == local(2026, 8, 22, 10)
    calendar = cal.get_calendar()
    with django_assert_num_queries(0):  # a prebuilt calendar for many deadlines
        assert cal.due_at(local(2026, 8, 28, 10), 1, "working_days", calendar=calendar) == local(
            2026, 9, 3, 10
        )
        assert cal.next_working_moment(local(2026, 8, 21, 17), calendar=calendar) == local(2026, 8, 22, 8)
        assert (
            cal.working_hours_between(local(2026, 8, 21, 8), local(2026, 8, 24, 8), calendar=calendar) == 16
        )


@pytest.mark.django_db
def test_agency_hours_and_overrides():
    agency = AgencyFactory(saturday_hours="07:30-11:30", office_hours="07:30-11:30,13:00-17:00")
    other = AgencyFactory()
    calendar_day_save(day=override(D(2026, 3, 10), OFF, agency, "Đại hội công đoàn cơ quan"))
    # Fri 16:00: 1 h Friday, 4 h Saturday morning, 3 h Monday -> Monday 10:30 (opens 07:30).
    assert cal.due_at(local(2026, 3, 6, 16), 1, "working_days", agency=agency) == local(2026, 3, 9, 10, 30)
    assert cal.due_at(local(2026, 3, 6, 16), 1, "working_days", agency=other) == local(2026, 3, 9, 16)
    assert cal.is_working_day(D(2026, 3, 10), agency=agency) is False
    assert cal.is_working_day(D(2026, 3, 10), agency=other) is True
    assert cal.is_working_day(D(2026, 3, 10)) is True


@pytest.mark.django_db
def test_an_agency_override_beats_the_national_one():
    agency = AgencyFactory()
    calendar_day_save(day=override(D(2026, 8, 22), OFF, agency, "Cơ quan không làm bù"))
    assert cal.is_working_day(D(2026, 8, 22), agency=agency) is False
    assert cal.is_working_day(D(2026, 8, 22)) is True


# --- validation (Vietnamese messages) ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (D(2026, 3, 9), WORK, "thứ Hai 09/03/2026 đã là ngày làm việc (ngày thường từ thứ Hai đến thứ Sáu)"),
        (D(2026, 3, 8), OFF, "Chủ nhật 08/03/2026 đã là ngày nghỉ (nghỉ hằng tuần)"),
        (D(2026, 3, 7), OFF, "thứ Bảy 07/03/2026 đã là ngày nghỉ"),
        (D(2026, 2, 17), OFF, "đã là ngày nghỉ (ngày lễ: Tết Nguyên Đán)"),
        (D(2026, 11, 24), OFF, "ngày lễ: Ngày Văn hóa Việt Nam"),
        (D(2026, 8, 31), OFF, "ngày lễ: Ngày nghỉ (thay cho ngày 22/08/2026)"),
        (D(2026, 8, 22), WORK, "Đã có một ngày điều chỉnh chung (mọi cơ quan) vào ngày đó"),
    ],
)
def test_pointless_or_duplicate_national_overrides_are_refused(day, kind, message):
    with pytest.raises(ValidationError) as excinfo:
        calendar_day_save(day=override(day, kind))
    assert message in str(excinfo.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (D(2026, 3, 10), OFF),  # a weekday made a day off (e.g. an extra holiday)
        (D(2026, 2, 21), WORK),  # a Saturday made a working day
        (D(2026, 11, 24), WORK),  # a holiday cancelled
    ],
)
def test_meaningful_national_overrides_are_accepted(day, kind):
    saved = calendar_day_save(day=override(day, kind))
    assert CalendarDay.objects.get(pk=saved.pk).kind == kind
    assert cal.is_working_day(day) is (kind == WORK)


@pytest.mark.django_db
def test_an_imported_make_up_day_can_be_turned_back_into_a_day_off():
    row = CalendarDay.objects.get(date=D(2026, 8, 22), agency=None)
    row.kind = OFF
    calendar_day_save(day=row)
    assert cal.is_working_day(D(2026, 8, 22)) is False


@pytest.mark.django_db
def test_agency_overrides_are_checked_against_the_agency_calendar():
    saturday_office = AgencyFactory(saturday_hours="07:30-11:30")
    plain = AgencyFactory()
    calendar_day_save(day=override(D(2026, 3, 7), OFF, saturday_office))  # it does open on Saturdays
    with pytest.raises(ValidationError, match="đã là ngày nghỉ"):
        calendar_day_save(day=override(D(2026, 3, 7), OFF, plain))
    with pytest.raises(ValidationError, match="theo ngày điều chỉnh chung"):
        calendar_day_save(day=override(D(2026, 8, 22), WORK, plain))  # already a national make-up day
    with pytest.raises(ValidationError, match="Cơ quan này đã có một ngày điều chỉnh vào ngày đó"):
        calendar_day_save(day=override(D(2026, 3, 7), OFF, saturday_office))
    calendar_day_save(day=override(D(2026, 3, 7), WORK, plain))  # a Saturday worked by one agency
    assert cal.is_working_day(D(2026, 3, 7), agency=plain) is True
    assert CalendarDay.objects.filter(agency__isnull=False).count() == 2


@pytest.mark.django_db
def test_reason_is_required():
    with pytest.raises(ValidationError) as excinfo:
        calendar_day_save(day=override(D(2026, 3, 10), OFF, reason=""))
    assert "reason" in excinfo.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("office_hours", "07:30-11:30,13:30-17:00", "cộng lại 7,5 giờ"),
        ("office_hours", "07:00-12:00,13:00-17:00", "cộng lại 9 giờ"),
        ("office_hours", "8-12,13-17", "không đúng dạng HH:MM-HH:MM"),
        ("office_hours", "25:00-26:00", "giờ không hợp lệ"),
        ("office_hours", "17:00-08:00", "giờ bắt đầu phải trước giờ kết thúc"),
        ("office_hours", "13:00-17:00,08:00-12:00", "tăng dần"),
        ("saturday_hours", "07:00-12:00,13:00-17:00", "không được quá 8 giờ"),
        ("saturday_hours", "sáng thứ Bảy", "Giờ làm việc thứ Bảy không hợp lệ"),
    ],
)
def test_office_hours_are_validated_in_vietnamese(field, value, message):
    agency = Agency(name="Cơ quan thử", level="commune", **{field: value})
    with pytest.raises(ValidationError) as excinfo:
        agency.full_clean()
    assert message in " ".join(excinfo.value.message_dict[field])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("office", "saturday"),
    [
        ("", ""),
        ("07:30-11:30,13:00-17:00", "07:30-11:30"),
        ("07:00-11:30,13:30-17:00", ""),
        ("08:00-16:00", ""),
    ],
)
def test_valid_office_hours(office, saturday):
    Agency(name="Cơ quan thử", level="commune", office_hours=office, saturday_hours=saturday).full_clean()


# --- calendar changes, announced after commit -------------------------------------------------


@pytest.mark.django_db
def test_changes_are_announced_once_each_after_commit(announcements, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        day = calendar_day_save(day=override(D(2026, 3, 10), OFF))
        assert announcements == []  # not before commit
    assert len(callbacks) == 1
    assert announcements == [(None, frozenset({D(2026, 3, 10)}))]

    with django_capture_on_commit_callbacks(execute=True):
        day.reason = "Sửa lý do: không đổi lịch"
        calendar_day_save(day=day)
    assert len(announcements) == 1  # the reason does not move any deadline

    with django_capture_on_commit_callbacks(execute=True):
        day.date = D(2026, 3, 11)
        calendar_day_save(day=day)
    assert announcements[-1] == (None, frozenset({D(2026, 3, 10), D(2026, 3, 11)}))

    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_delete(day=day)
    assert announcements[-1] == (None, frozenset({D(2026, 3, 11)}))

    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_save(day=override(D(2026, 3, 12), OFF, agency))
    assert announcements[-1] == (agency.pk, frozenset({D(2026, 3, 12)}))
    assert len(announcements) == 4


@pytest.mark.django_db
def test_office_hours_changes_are_announced(announcements, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    with django_capture_on_commit_callbacks(execute=True):
        agency.name = "Tên mới"
        agency_save(agency=agency)
    assert announcements == []
    with django_capture_on_commit_callbacks(execute=True):
        agency.saturday_hours = "07:30-11:30"
        agency_save(agency=agency)
    assert announcements == [(agency.pk, None)]  # every day may change


@pytest.mark.django_db
def test_a_bulk_delete_is_announced_once_per_scope(announcements, django_capture_on_commit_callbacks):
    agency = AgencyFactory()
    for day in (D(2026, 3, 10), D(2026, 3, 11)):
        calendar_day_save(day=override(day, OFF))
    calendar_day_save(day=override(D(2026, 3, 12), OFF, agency))
    announcements.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = calendar_days_delete(days=CalendarDay.objects.filter(date__month=3, date__year=2026))
    assert deleted == 3
    assert sorted(announcements, key=lambda a: a[0] or 0) == [
        (None, frozenset({D(2026, 3, 10), D(2026, 3, 11)})),
        (agency.pk, frozenset({D(2026, 3, 12)})),
    ]


@pytest.mark.django_db
def test_nothing_is_announced_for_a_refused_change(announcements, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        calendar_day_save(day=override(D(2026, 3, 8), OFF))
    assert callbacks == [] and announcements == []


@pytest.mark.django_db(transaction=True)
def test_announced_on_real_commit_not_on_rollback(announcements):
    with transaction.atomic():
        calendar_day_save(day=override(D(2026, 3, 10), OFF))
        assert announcements == []
    assert announcements == [(None, frozenset({D(2026, 3, 10)}))]

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        calendar_day_save(day=override(D(2026, 3, 11), OFF))
        raise Abort
    assert not CalendarDay.objects.filter(date=D(2026, 3, 11)).exists()
    assert len(announcements) == 1

    # A rolled-back batch leaves nothing pending for the next change.
    with pytest.raises(Abort), transaction.atomic():
        calendar_days_delete(days=CalendarDay.objects.all())
        raise Abort
    assert len(announcements) == 1
    calendar_day_save(day=override(D(2026, 3, 12), OFF))  # autocommit: announced at once
    assert announcements[-1] == (None, frozenset({D(2026, 3, 12)}))
    assert len(announcements) == 2


# --- the admin (/quan-tri/) ----------------------------------------------------------------------------

CHANGELIST = "/quan-tri/thutuc/calendarday/"


@pytest.mark.django_db
def test_admin_lists_overrides_by_year(client, province, login, django_assert_max_num_queries):
    login("quantri")
    for day in (D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 12)):
        calendar_day_save(day=override(day, OFF, Agency.objects.get(code="000.00.06.H99")))
    with django_assert_max_num_queries(12):
        response = client.get(CHANGELIST, {"nam": "2026"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "22/08/2026" in body and "Làm bù cho ngày nghỉ thứ Hai 31/08/2026" in body
    assert "10/03/2026" in body and "Trung tâm Phục vụ hành chính công" in body
    assert "26/04/2025" not in body
    searched = client.get(CHANGELIST, {"q": "31/08/2026"}).content.decode()
    assert "22/08/2026" in searched and "26/04/2025" not in searched


@pytest.mark.django_db
def test_admin_add_refuses_in_vietnamese_then_saves(
    client, province, login, announcements, django_capture_on_commit_callbacks
):
    login("quantri")
    bad = client.post(
        f"{CHANGELIST}add/", {"date": "09/03/2026", "kind": WORK, "reason": "Làm bù", "legal_document": ""}
    )
    assert bad.status_code == 200
    assert "thứ Hai 09/03/2026 đã là ngày làm việc" in bad.content.decode()
    assert not CalendarDay.objects.filter(date=D(2026, 3, 9)).exists()
    assert announcements == []

    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(
            f"{CHANGELIST}add/",
            {
                "date": "10/03/2026",
                "kind": OFF,
                "reason": "Nghỉ bổ sung theo quyết định của Thủ tướng",
                "legal_document": "Công văn 123/TTg-KGVX",
            },
        )
    assert good.status_code == 302
    assert CalendarDay.objects.get(date=D(2026, 3, 10), agency=None).legal_document == "Công văn 123/TTg-KGVX"
    assert announcements == [(None, frozenset({D(2026, 3, 10)}))]


@pytest.mark.django_db
def test_admin_bulk_delete_announces_once(
    client, province, login, announcements, django_capture_on_commit_callbacks
):
    login("quantri")
    ids = [calendar_day_save(day=override(day, OFF)).pk for day in (D(2026, 3, 10), D(2026, 3, 11))]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
        )
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk__in=ids).exists()
    assert announcements == [(None, frozenset({D(2026, 3, 10), D(2026, 3, 11)}))]


@pytest.mark.django_db
def test_only_catalogue_admins_edit_the_calendar(client, province, login):
    login("tiepnhan")
    assert client.get(CHANGELIST).status_code in (302, 403)


@pytest.mark.django_db
def test_admin_agency_hours_error_then_change_announced(
    client, province, login, announcements, django_capture_on_commit_callbacks
):
    from django.forms.models import model_to_dict

    login("quantri")
    agency = Agency.objects.get(code="000.00.06.H99")
    url = f"/quan-tri/thutuc/agency/{agency.pk}/change/"
    data = {key: ("" if value is None else value) for key, value in model_to_dict(agency).items()}
    bad = client.post(url, {**data, "office_hours": "07:30-11:30,13:30-17:00"})
    assert bad.status_code == 200
    assert "cộng lại 7,5 giờ" in bad.content.decode()
    assert Agency.objects.get(pk=agency.pk).office_hours == ""
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(url, {**data, "saturday_hours": "07:30-11:30"})
    assert good.status_code == 302
    assert announcements == [(agency.pk, None)]
    assert cal.due_at(
        local(2026, 3, 7, 10), 1, "working_hours", agency=Agency.objects.get(pk=agency.pk)
    ) == local(2026, 3, 7, 11)


@pytest.mark.django_db
def test_admin_change_form_of_an_imported_day(client, province, login):
    login("quantri")
    row = CalendarDay.objects.get(date=D(2026, 8, 22), agency=None)
    response = client.get(f"{CHANGELIST}{row.pk}/change/")
    assert response.status_code == 200
    assert "Làm bù cho ngày nghỉ thứ Hai 31/08/2026" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_calendars_are_cached_between_transactions_and_forgotten_on_every_committed_change(
    django_assert_num_queries,
):
    """Outside a transaction the built calendar is reused (no query); a committed override,
    an agency's new hours, or a change made in another process (the shared version token
    replaced) make the next read see the change; inside a transaction nothing is cached."""
    from django.core.cache import cache

    agency = AgencyFactory()
    monday = D(2031, 3, 3)
    assert cal.get_calendar(agency).is_working_day(monday)
    with django_assert_num_queries(0):
        assert cal.get_calendar(agency).is_working_day(monday)

    calendar_day_save(day=CalendarDay(date=monday, kind=OFF, agency=agency, reason="Nghỉ riêng"))
    assert not cal.get_calendar(agency).is_working_day(monday)
    assert cal.get_calendar(None).is_working_day(monday)  # the national calendar is not touched

    agency.saturday_hours = "07:30-11:30"
    agency_save(agency=agency)
    assert cal.get_calendar(agency).is_working_day(D(2031, 3, 8))  # a Saturday

    # another process committed a change: it replaced the shared token
    CalendarDay.objects.filter(agency=agency).update(kind=WORK)  # (an UPDATE sends no signal)
    assert not cal.get_calendar(agency).is_working_day(monday)  # still the cached calendar
    cache.set(cal._VERSION_KEY, "replaced-elsewhere", None)
    assert cal.get_calendar(agency).is_working_day(monday)

    with transaction.atomic(), django_assert_num_queries(1):
        cal.get_calendar(agency)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["01/01/0001", "31/12/1999", "01/01/9999"])
def test_admin_refuses_a_day_outside_the_plausible_range(client, province, login, day):
    """Issue 14 §2: the dates people type lie between INPUT_DATE_EARLIEST and _LATEST."""
    login("quantri")
    before = CalendarDay.objects.count()
    response = client.post(
        f"{CHANGELIST}add/", {"date": day, "kind": OFF, "reason": "Nghỉ", "legal_document": ""}
    )
    assert response.status_code == 200
    assert "Ngày phải trong khoảng từ 01/01/2000 đến 31/12/2100." in response.content.decode()
    assert CalendarDay.objects.count() == before
