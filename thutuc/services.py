"""Writes of the thutuc app (HackSoft style: keyword-only, transactions inside, full_clean)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from .models import CalendarDay, CalendarDayKind

# --- working calendar -------------------------------------------------------------------------
# Saving or deleting an override announces thutuc.signals.calendar_changed after commit
# (thutuc/receivers.py); motcua recomputes the open dossiers' deadlines on it.


def calendar_day_save(*, day: CalendarDay, actor=None) -> CalendarDay:
    """Create or update an override (extra day off / make-up working day)."""
    with transaction.atomic():
        day.full_clean()
        day.save()
    return day


def calendar_day_delete(*, day: CalendarDay, actor=None) -> None:
    with transaction.atomic():
        day.delete()


def calendar_days_delete(*, days: QuerySet[CalendarDay], actor=None) -> int:
    """Delete several overrides; one announcement per agency scope."""
    from .receivers import calendar_changes_batched

    with transaction.atomic(), calendar_changes_batched():
        deleted, _per_model = days.delete()
    return deleted


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
    admin) is left alone. One calendar_changed announcement for all the days created."""
    from .receivers import calendar_changes_batched

    years = sorted(set(years))
    with transaction.atomic(), calendar_changes_batched():
        created = import_makeup_days(CalendarDay, years, validate=True)
    return created
