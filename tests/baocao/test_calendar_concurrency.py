"""Races of the reporting calendar (PostgreSQL only: SQLite serialises writers): two beat
workers reminding at the same moment send each reminder once; two clicks on "send" give one
submission and one refusal."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency import at_once, raised

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL")


def test_two_workers_remind_each_unit_once(postgres_only, province, settings):
    from baocao.reminders import send_report_reminders
    from motcua.alerts import kinds
    from motcua.models import Notification

    settings.REPORT_REMINDER_WORKING_DAYS = 3
    results = at_once([lambda: send_report_reminders(today=dt.date(2026, 3, 17))] * 4)
    assert raised(results) == []
    reminders = Notification.objects.filter(kind=kinds.REPORT_REMINDER)
    assert reminders.exists()
    keys = list(reminders.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys))  # each (unit, quarter, officer, channel) once


def test_two_clicks_on_send_give_one_submission(postgres_only, province):
    from baocao import requests as service
    from baocao.models import RequestKind
    from motcua.alerts import kinds
    from motcua.models import Notification, NotificationChannel
    from thutuc.models import Agency, User

    justice = Agency.objects.get(code="000.00.11.H99")
    leader, home_affairs = User.objects.get(username="lanhdao"), User.objects.get(username="sonoivu")
    request = service.request_create(
        kind=RequestKind.AD_HOC,
        title="Báo cáo nhanh",
        content="…",
        due_date=timezone.localdate() + dt.timedelta(days=5),
        agencies=[justice],
        actor=home_affairs,
    )
    unit = request.units.get()
    results = at_once([lambda: service.request_submit(unit=unit, answer="Nội dung", actor=leader)] * 2)
    assert len(raised(results)) == 1
    told = Notification.objects.filter(
        recipient=home_affairs, kind=kinds.REPORT_SUBMITTED, channel=NotificationChannel.IN_APP
    )
    assert told.count() == 1
