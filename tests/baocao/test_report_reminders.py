"""The reporting calendar's reminders and notifications (issue 20): a unit that has not sent
its quarterly report is reminded N working days before the deadline, exactly once; Sở Nội vụ
is told when a unit sends it."""

import datetime as dt

import pytest
from django.core import mail

from baocao import services
from baocao.reminders import quarters_to_remind, reminder_day, send_report_reminders
from baocao.selectors import reporting_agencies
from motcua.alerts import kinds
from motcua.models import Notification, NotificationChannel
from motcua.notifications.staff import staff_of
from tests.factories import UserFactory
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.models import Agency

D = dt.date


@pytest.mark.parametrize(
    ("deadline", "working_days", "expected"),
    [
        (D(2026, 3, 20), 3, D(2026, 3, 17)),  # Friday → Tuesday of the same week
        (D(2026, 3, 20), 0, D(2026, 3, 20)),
        (D(2026, 3, 23), 1, D(2026, 3, 20)),  # Monday → the Friday before
        (D(2026, 6, 20), 3, D(2026, 6, 17)),  # a Saturday deadline: three working days before it
        (D(2026, 2, 23), 3, D(2026, 2, 11)),  # over Tết 2026 (16–20/02 off)
        (D(2026, 1, 5), 2, D(2025, 12, 31)),  # over New Year's Day
    ],
)
def test_reminder_day_counts_working_days(province, deadline, working_days, expected):
    assert reminder_day(get_calendar(), deadline, working_days) == expected


def test_the_quarter_is_reminded_from_its_reminder_day_to_its_deadline(province):
    calendar = get_calendar()
    assert quarters_to_remind(calendar, D(2026, 3, 16), 3) == []
    assert quarters_to_remind(calendar, D(2026, 3, 17), 3) == [(2026, 1, D(2026, 3, 20))]
    assert quarters_to_remind(calendar, D(2026, 3, 20), 3) == [(2026, 1, D(2026, 3, 20))]
    assert quarters_to_remind(calendar, D(2026, 3, 21), 3) == []


def reminders(user=None):
    queryset = Notification.objects.filter(kind=kinds.REPORT_REMINDER, channel=NotificationChannel.IN_APP)
    return queryset.filter(recipient=user) if user is not None else queryset


def test_units_that_have_not_sent_are_reminded_exactly_once(
    stp, users, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_REMINDER_WORKING_DAYS = 3
    trung_son_leader = UserFactory(agency=Agency.objects.get(code="000.17.22.H99"), roles=[Role.LEADER])
    leader = users["lanhdao"]  # Sở Tư pháp sends its report of Q1/2026
    report = services.report_create(agency=stp, year=2026, quarter=1, actor=leader)
    services.report_submit(report=report, actor=leader)
    assert send_report_reminders(today=D(2026, 3, 16)) == 0  # too early
    with django_capture_on_commit_callbacks(execute=True):
        told = send_report_reminders(today=D(2026, 3, 17))
    assert told > 0
    assert not reminders(leader).exists()  # its unit has sent it
    # every other reporting unit's leaders got one, saying the quarter and the deadline
    reminded_agencies = set(reminders().values_list("recipient__agency_id", flat=True))
    with_leaders = {a.pk for a in reporting_agencies() if staff_of(a.pk, (Role.LEADER,))}
    assert reminded_agencies == with_leaders - {stp.pk}
    assert reminders(trung_son_leader).count() == 1
    note = reminders().first()
    assert "quý 1/2026" in note.subject and "20/03/2026" in note.subject
    count, mails = Notification.objects.filter(kind=kinds.REPORT_REMINDER).count(), len(mail.outbox)
    assert mails > 0
    # the daily job runs again (the next day, or twice the same day): nothing more is sent
    with django_capture_on_commit_callbacks(execute=True):
        send_report_reminders(today=D(2026, 3, 17))
        send_report_reminders(today=D(2026, 3, 18))
    assert Notification.objects.filter(kind=kinds.REPORT_REMINDER).count() == count
    assert len(mail.outbox) == mails
    assert send_report_reminders(today=D(2026, 3, 21)) == 0  # after the deadline


def test_the_daily_task_is_scheduled(settings):
    from motcua.celery import beat_schedule

    entry = beat_schedule(settings)["send-report-reminders"]
    assert entry["task"] == "baocao.tasks.send_report_reminders"


def test_home_affairs_is_told_of_a_submission_and_a_resubmission(stp, users):
    leader, home_affairs = users["lanhdao"], users["sonoivu"]
    report = services.report_create(agency=stp, year=2026, quarter=1, actor=leader)
    report = services.report_submit(report=report, actor=leader)
    told = Notification.objects.filter(recipient=home_affairs, kind=kinds.REPORT_SUBMITTED)
    assert told.count() == 2  # in the notification centre and by e-mail
    note = told.get(channel=NotificationChannel.IN_APP)
    assert stp.name in note.body and "quý 1/2026" in note.body and note.reference == f"report:{report.pk}"
    report = services.report_return(report=report, comment="Bổ sung số liệu", actor=home_affairs)
    services.report_submit(report=report, actor=leader)
    assert told.filter(channel=NotificationChannel.IN_APP).count() == 2
    assert "gửi lại" in told.filter(channel=NotificationChannel.IN_APP).order_by("pk").last().body
