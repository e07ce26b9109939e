"""Report requests of the reporting calendar (issue 20): Sở Nội vụ asks chosen units for a
periodic or an ad-hoc report with its due date; the units are told, answer, are reminded once
before the due date, get a late mark when they answer after it; Sở Nội vụ is told of each
answer and accepts or returns it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from baocao import requests as service
from baocao.models import ReportRequest, ReportRequestUnit, RequestKind, RequestUnitStatus
from baocao.reminders import send_report_reminders
from core.workflow import TransitionError
from motcua.alerts import kinds
from motcua.models import Notification, NotificationChannel
from tests.factories import UserFactory
from thutuc.accounts.roles import Role
from thutuc.models import Agency

D = dt.date


def told(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind, channel=NotificationChannel.IN_APP)


@pytest.fixture
def trung_son_leader(province):
    return UserFactory(agency=Agency.objects.get(code="000.17.22.H99"), roles=[Role.LEADER], username="ld-ts")


def test_calendar_periods_follow_nd_09_2019(settings):
    settings.REPORT_DEADLINE_DAY = 20
    month = service.calendar_period(RequestKind.MONTHLY, 2026, 1)
    assert (month.start, month.end) == (D(2025, 12, 15), D(2026, 1, 14))
    assert service.default_due_date(month) == D(2026, 1, 20)
    march = service.calendar_period(RequestKind.MONTHLY, 2026, 3)
    assert (march.start, march.end) == (D(2026, 2, 15), D(2026, 3, 14))
    first, second = (service.calendar_period(RequestKind.HALF_YEARLY, 2026, h) for h in (1, 2))
    assert (first.start, first.end, second.start, second.end) == (
        D(2025, 12, 15),
        D(2026, 6, 14),
        D(2026, 6, 15),
        D(2026, 12, 14),
    )
    year = service.calendar_period(RequestKind.YEARLY, 2026, None)
    assert (year.start, year.end) == (D(2025, 12, 15), D(2026, 12, 14))


def test_ad_hoc_request_answered_returned_and_accepted(client, stp, users, trung_son_leader):
    home_affairs, leader = users["sonoivu"], users["lanhdao"]
    trung_son = trung_son_leader.agency
    client.force_login(home_affairs)
    due = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        reverse("baocao:request_create"),
        {
            "kind": RequestKind.AD_HOC,
            "title": "Báo cáo đột xuất về số hóa hồ sơ",
            "content": "Số hồ sơ đã số hóa, khó khăn, kiến nghị.",
            "due_date": due.isoformat(),
            "agencies": [stp.pk, trung_son.pk],
        },
    )
    request = ReportRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "baocao:request_detail", args=[request.pk]
    )
    assert request.units.count() == 2 and request.due_date == due
    assert told(leader, kinds.REPORT_REQUESTED).count() == 1
    assert told(trung_son_leader, kinds.REPORT_REQUESTED).count() == 1

    client.force_login(leader)
    assert "Báo cáo đột xuất về số hóa hồ sơ" in client.get(reverse("baocao:requests")).content.decode()
    mine = ReportRequestUnit.objects.get(request=request, agency=stp)
    theirs = ReportRequestUnit.objects.get(request=request, agency=trung_son)
    # another unit's answer cannot be sent or seen
    assert client.post(reverse("baocao:request_submit", args=[theirs.pk]), {"answer": "x"}).status_code == 404
    detail = client.get(reverse("baocao:request_detail", args=[request.pk])).content.decode()
    assert trung_son.name not in detail
    # an empty answer is refused next to the field, nothing is sent
    assert client.post(reverse("baocao:request_submit", args=[mine.pk]), {"answer": " "}).status_code == 400
    client.post(reverse("baocao:request_submit", args=[mine.pk]), {"answer": "Đã số hóa 120 hồ sơ."})
    mine.refresh_from_db()
    assert mine.status == RequestUnitStatus.SUBMITTED and not mine.is_late
    assert told(home_affairs, kinds.REPORT_SUBMITTED).count() == 1

    client.force_login(home_affairs)
    url = reverse("baocao:request_review", args=[mine.pk, "return"])
    assert client.post(url, {"comment": ""}).status_code == 400  # a return needs its reason
    client.post(url, {"comment": "Bổ sung kiến nghị"})
    mine.refresh_from_db()
    assert mine.status == RequestUnitStatus.RETURNED
    assert "Bổ sung kiến nghị" in told(leader, kinds.REPORT_RETURNED).get().body

    client.force_login(leader)
    client.post(
        reverse("baocao:request_submit", args=[mine.pk]), {"answer": "Đã số hóa 120 hồ sơ. Kiến nghị …"}
    )
    assert told(home_affairs, kinds.REPORT_SUBMITTED).count() == 2
    client.force_login(home_affairs)
    client.post(reverse("baocao:request_review", args=[mine.pk, "accept"]))
    mine.refresh_from_db()
    assert mine.status == RequestUnitStatus.ACCEPTED
    assert told(leader, kinds.REPORT_ACCEPTED).count() == 1
    # accepting twice is refused: the status of the locked row is checked
    with pytest.raises(TransitionError):
        service.request_review(unit=mine, accept=True, actor=home_affairs)


def test_periodic_request_gets_its_period_and_default_due_date(client, stp, users, settings):
    settings.REPORT_DEADLINE_DAY = 20
    client.force_login(users["sonoivu"])
    client.post(
        reverse("baocao:request_create"),
        {
            "kind": RequestKind.HALF_YEARLY,
            "year": 2026,
            "number": 1,
            "title": "Báo cáo CCHC 6 tháng đầu năm 2026",
            "content": "Theo đề cương.",
            "agencies": [stp.pk],
        },
    )
    request = ReportRequest.objects.get()
    assert (request.period_start, request.period_end, request.due_date) == (
        D(2025, 12, 15),
        D(2026, 6, 14),
        D(2026, 6, 20),
    )


def test_bad_input_is_refused_with_a_message(client, province, users):
    client.force_login(users["sonoivu"])
    response = client.post(
        reverse("baocao:request_create"),
        {"kind": RequestKind.AD_HOC, "title": "Đột xuất", "content": "…", "agencies": []},
    )
    assert response.status_code == 400 and not ReportRequest.objects.exists()
    html = response.content.decode()
    assert "Nhập hạn gửi báo cáo đột xuất." in html
    response = client.post(
        reverse("baocao:request_create"),
        {"kind": RequestKind.MONTHLY, "year": 2026, "title": "Tháng", "content": "…", "agencies": []},
    )
    assert "Nhập tháng (1–12)." in response.content.decode()


def test_only_home_affairs_creates_requests(client, province, users):
    client.force_login(users["lanhdao"])
    assert client.post(reverse("baocao:request_create"), {}).status_code == 403


def test_late_mark_and_reminder_exactly_once(stp, users, django_capture_on_commit_callbacks, settings):
    settings.REPORT_REMINDER_WORKING_DAYS = 3
    home_affairs, leader = users["sonoivu"], users["lanhdao"]
    today = timezone.localdate()
    request = service.request_create(
        kind=RequestKind.AD_HOC,
        title="Báo cáo nhanh",
        content="…",
        due_date=today + dt.timedelta(days=1),
        agencies=[stp],
        actor=home_affairs,
    )
    unit = request.units.get()
    with django_capture_on_commit_callbacks(execute=True):
        send_report_reminders(today=today)
    reminders = Notification.objects.filter(kind=kinds.REPORT_REMINDER, reference=f"request:{request.pk}")
    count, mails = reminders.count(), len(mail.outbox)
    assert told(leader, kinds.REPORT_REMINDER).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        send_report_reminders(today=today)
        send_report_reminders(today=today + dt.timedelta(days=1))
    assert reminders.count() == count and len(mail.outbox) == mails
    # the due date passes: unsent is late; sent afterwards stays late
    ReportRequest.objects.filter(pk=request.pk).update(due_date=today - dt.timedelta(days=1))
    unit.refresh_from_db()
    assert unit.is_late
    service.request_submit(unit=unit, answer="Muộn", actor=leader)
    unit.refresh_from_db()
    assert unit.is_late


def test_the_years_reporting_calendar(client, province, users, settings):
    settings.REPORT_DEADLINE_DAY = 20
    rows = service.reporting_calendar(2026)
    assert len(rows) == 4 + 12 + 2 + 1
    by_label = {str(r["label"]): r for r in rows}
    assert (by_label["Quý I năm 2026"]["period"].start, by_label["Quý I năm 2026"]["due"]) == (
        D(2025, 12, 15),
        D(2026, 3, 20),
    )
    assert by_label["Tháng 2/2026"]["due"] == D(2026, 2, 20)
    assert by_label["6 tháng đầu năm 2026"]["due"] == D(2026, 6, 20)
    assert by_label["Năm 2026"]["due"] == D(2026, 12, 20)
    assert [r["due"] for r in rows] == sorted(r["due"] for r in rows)
    client.force_login(users["lanhdao"])
    html = client.get(reverse("baocao:requests")).content.decode()
    assert f"Lịch báo cáo năm {timezone.localdate().year}" in html and 'id="calendar"' in html
