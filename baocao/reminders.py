"""Reminders of the reporting calendar: a unit that has not sent its quarterly CCHC report is
reminded `REPORT_REMINDER_WORKING_DAYS` working days before the deadline (the province's
working calendar, thutuc.calendar), exactly once — the notification's dedupe key is the
unit's and the quarter's, so the daily job may run again, late or twice at once.

The deadline is `periods.report_deadline` (day REPORT_DEADLINE_DAY of the quarter's last
month). A reminder is sent from the reminder day up to the deadline itself: a job that did
not run on the reminder day (a server down) still reminds once the next day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from thutuc.calendar import WorkingCalendar
from thutuc.calendar_store import get_calendar

from .models import QuarterlyReport
from .periods import QUARTER_LAST_MONTH, report_deadline
from .selectors import reporting_agencies


def reminder_day(calendar: WorkingCalendar, deadline: dt.date, working_days: int) -> dt.date:
    """The working day `working_days` working days before `deadline` (0: the deadline)."""
    day, counted = deadline, 0
    while counted < working_days:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def quarters_to_remind(
    calendar: WorkingCalendar, today: dt.date, working_days: int
) -> list[tuple[int, int, dt.date]]:
    """(year, quarter, deadline) of the reports whose reminder is due on `today`."""
    due = []
    for year in (today.year - 1, today.year, today.year + 1):
        for quarter in QUARTER_LAST_MONTH:
            deadline = report_deadline(year, quarter)
            if reminder_day(calendar, deadline, working_days) <= today <= deadline:
                due.append((year, quarter, deadline))
    return due


def send_report_reminders(*, today: dt.date | None = None) -> int:
    """Remind every reporting unit that has not sent the report of a quarter whose reminder
    is due; returns how many officers were addressed (a rerun addresses them again, but the
    dedupe keys keep the notifications and e-mails from being recorded or sent twice)."""
    from motcua.notifications.staff import notify_report_due

    today = today or timezone.localdate()
    working_days = settings.REPORT_REMINDER_WORKING_DAYS
    told = 0
    calendar = get_calendar()
    for year, quarter, deadline in quarters_to_remind(calendar, today, working_days):
        sent = set(
            QuarterlyReport.objects.filter(
                year=year, quarter=quarter, first_submitted_at__isnull=False
            ).values_list("agency_id", flat=True)
        )
        for agency in reporting_agencies():
            if agency.pk not in sent:
                told += notify_report_due(agency, year=year, quarter=quarter, deadline=deadline)
    return told + _remind_requests(calendar, today, working_days)


def _remind_requests(calendar: WorkingCalendar, today: dt.date, working_days: int) -> int:
    """The units that have not answered a report request (periodic or ad hoc) whose reminder
    is due: once per unit and request (dedupe key)."""
    from django.urls import reverse
    from django.utils import formats
    from django.utils.translation import gettext as _

    from motcua.alerts import kinds
    from motcua.notifications.staff import send_to_staff, staff_of
    from thutuc.accounts.roles import Role

    from .models import ReportRequestUnit, RequestUnitStatus

    told = 0
    waiting = ReportRequestUnit.objects.filter(
        status__in=(RequestUnitStatus.PENDING, RequestUnitStatus.RETURNED),
        request__due_date__gte=today,
        # the reminder day is at most `working_days` working days (a few weeks with Tết) before
        request__due_date__lte=today + dt.timedelta(days=7 * working_days + 21),
    ).select_related("request")
    for unit in waiting:
        due = unit.request.due_date
        if reminder_day(calendar, due, working_days) > today:
            continue
        values = {"title": unit.request.title, "due": formats.date_format(due, "d/m/Y")}
        told += send_to_staff(
            staff_of(unit.agency_id, (Role.LEADER,)),
            kind=kinds.REPORT_REMINDER,
            subject=_("Hạn gửi báo cáo %(title)s: %(due)s") % values,
            body=_("Đơn vị chưa gửi báo cáo: %(title)s. Hạn gửi: %(due)s.") % values,
            link=reverse("baocao:request_detail", kwargs={"pk": unit.request_id}),
            key=f"request-reminder:{unit.pk}",
            reference=f"request:{unit.request_id}",
        )
    return told
