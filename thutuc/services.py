"""Writes of the thutuc app (HackSoft style: keyword-only, transactions inside, full_clean)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .calendar_changes import CalendarChange, announce
from .models import Agency, CalendarDay, CalendarDayKind

# --- working calendar -------------------------------------------------------------------------
# Every write of the calendar goes through these services: each says what it changed
# (`announce`, thutuc/calendar_changes.py), and after commit the cached calendars are forgotten
# and the open dossiers' deadlines follow (motcua.tasks.apply_calendar_change).


def calendar_day_save(*, day: CalendarDay, actor=None) -> CalendarDay:
    """Create or update an override (extra day off / make-up working day). An edit that
    changes neither the date, the kind nor the agency (only the reason) announces nothing."""
    with transaction.atomic():
        day.full_clean()
        before = None
        if day.pk is not None:
            before = CalendarDay.objects.filter(pk=day.pk).values_list("date", "kind", "agency_id").first()
        day.save()
        after = (day.date, day.kind, day.agency_id)
        if before is None:
            announce([CalendarChange(day.agency_id, frozenset({day.date}))])
        elif before != after:
            announce(
                [
                    CalendarChange(before[2], frozenset({before[0]})),
                    CalendarChange(after[2], frozenset({after[0]})),
                ]
            )
    return day


def calendar_day_delete(*, day: CalendarDay, actor=None) -> None:
    with transaction.atomic():
        announce([CalendarChange(day.agency_id, frozenset({day.date}))])
        day.delete()


def calendar_days_delete(*, days: QuerySet[CalendarDay], actor=None) -> int:
    """Delete several overrides; one announcement per agency scope."""
    with transaction.atomic():
        deleted_days = list(days.values_list("agency_id", "date"))
        deleted, _per_model = days.delete()
        announce(CalendarChange(agency_id, frozenset({day})) for agency_id, day in deleted_days)
    return deleted


def agency_save(*, agency: Agency, actor=None) -> Agency:
    """Create or update an agency. New office hours (weekday or Saturday) may move every
    deadline counted with its calendar: announced for every day."""
    with transaction.atomic():
        agency.full_clean()
        before = None
        if agency.pk is not None:
            before = Agency.objects.filter(pk=agency.pk).values_list("office_hours", "saturday_hours").first()
        agency.save()
        after = (agency.office_hours or "", agency.saturday_hours or "")
        if before is not None and tuple(value or "" for value in before) != after:
            announce([CalendarChange(agency.pk, None)])
    return agency


def makeup_day_reason(made_up: dt.date, day_off: dt.date | None) -> str:
    from .calendar import national_holiday_name
    from .models.calendar import WEEKDAY_NAMES

    if day_off is None:
        return "Làm bù theo lịch hoán đổi ngày làm việc (nhập tự động từ gói holidays)"
    label = national_holiday_name(day_off) or ""
    return (
        f"Làm bù cho ngày nghỉ {WEEKDAY_NAMES[day_off.weekday()]} {day_off:%d/%m/%Y} "
        f"(hoán đổi ngày làm việc; gói holidays: “{label}”)"
    )[:255]


def import_makeup_days(model, years: Iterable[int], *, validate: bool = False) -> list:
    """Create the national make-up working days the `holidays` package implies for `years`,
    skipping any date that already has a national override. `model` is CalendarDay (or its
    historical version in a migration). Returns the rows created."""
    from .calendar import package_makeup_days

    makeup = package_makeup_days(years)
    if not makeup:
        return []
    taken = set(
        model.objects.filter(agency__isnull=True, date__in=list(makeup)).values_list("date", flat=True)
    )
    created = []
    for made_up, day_off in makeup.items():
        if made_up in taken:
            continue
        row = model(
            date=made_up,
            kind=CalendarDayKind.WORKING_DAY.value,
            agency=None,
            reason=makeup_day_reason(made_up, day_off),
            imported=True,
        )
        if validate:
            row.full_clean()
        try:
            with transaction.atomic():  # a concurrent import may have just added the same day
                row.save()
        except IntegrityError:
            continue
        created.append(row)
    return created


def calendar_import_makeup_days(*, years: Iterable[int], actor=None) -> list[CalendarDay]:
    """Import the package's make-up Saturdays (làm bù) as national working-day overrides.
    Idempotent: a date that already has a national override (imported, or decided by an
    admin) is left alone. One announcement for all the days created."""
    years = sorted(set(years))
    with transaction.atomic():
        created = import_makeup_days(CalendarDay, years, validate=True)
        announce([CalendarChange(None, frozenset(row.date for row in created))])
    return created
