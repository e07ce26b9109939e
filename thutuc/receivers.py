"""Announce working-calendar changes with `thutuc.signals.calendar_changed`, after commit.

Every write path (admin, services, shell) saves a `CalendarDay` or an `Agency`, so the
announcement hangs on the model signals: one `calendar_changed` per change that can move a
deadline (a new, moved or deleted override, a changed kind, an agency's new office hours),
sent by `transaction.on_commit` so that nothing is announced for a rolled-back write.
Inside `calendar_changes_batched()` (bulk deletes, the make-up day import) the changes are
gathered and announced once per agency scope instead.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction

from .signals import calendar_changed

_state = threading.local()
ALL_DAYS = None  # a change that concerns every day (office hours)


def _announce(agency_id: int | None, dates: Iterable[dt.date] | None) -> None:
    frozen = frozenset(dates or ())

    def send():
        from .models import CalendarDay

        calendar_changed.send(sender=CalendarDay, agency_id=agency_id, dates=frozen)

    transaction.on_commit(send)


def note_calendar_change(agency_id: int | None, dates: Iterable[dt.date] | None) -> None:
    """Record a change; `dates=None` means every day (office hours changed)."""
    batch = getattr(_state, "batch", None)
    if batch is None:
        _announce(agency_id, dates)
        return
    if agency_id in batch and batch[agency_id] is ALL_DAYS:
        return
    if dates is ALL_DAYS:
        batch[agency_id] = ALL_DAYS
    else:
        batch.setdefault(agency_id, set()).update(dates)


@contextmanager
def calendar_changes_batched() -> Iterator[None]:
    """Announce the changes made inside the block once per agency scope (nothing if it raises).
    Use it inside the transaction that makes the changes."""
    if getattr(_state, "batch", None) is not None:  # nested: the outer block announces
        yield
        return
    _state.batch = {}
    try:
        yield
        batch = _state.batch
    finally:
        _state.batch = None
    for agency_id, dates in batch.items():
        _announce(agency_id, dates)


# --- model signal receivers (connected in ThutucConfig.ready) -------------------------------------


def _calendar_day_state(instance) -> tuple[dt.date, str, int | None]:
    day = instance._meta.get_field("date").to_python(instance.date)
    return day, instance.kind, instance.agency_id


def calendar_day_pre_save(sender, instance, raw=False, **kwargs):
    before = None
    if instance.pk is not None and not raw:
        before = sender.objects.filter(pk=instance.pk).values_list("date", "kind", "agency_id").first()
    instance._calendar_before = before


def calendar_day_post_save(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_calendar_before", None)
    after = _calendar_day_state(instance)
    instance._calendar_before = after
    if created or before is None:
        note_calendar_change(after[2], {after[0]})
    elif before != after:
        if before[2] == after[2]:
            note_calendar_change(after[2], {before[0], after[0]})
        else:
            note_calendar_change(before[2], {before[0]})
            note_calendar_change(after[2], {after[0]})


def calendar_day_post_delete(sender, instance, **kwargs):
    day, _kind, agency_id = _calendar_day_state(instance)
    note_calendar_change(agency_id, {day})


def agency_pre_save(sender, instance, raw=False, **kwargs):
    before = None
    if instance.pk is not None and not raw:
        before = sender.objects.filter(pk=instance.pk).values_list("office_hours", "saturday_hours").first()
    instance._hours_before = before


def agency_post_save(sender, instance, created, raw=False, **kwargs):
    before = getattr(instance, "_hours_before", None)
    after = (instance.office_hours or "", instance.saturday_hours or "")
    instance._hours_before = after
    if not created and before is not None and tuple(v or "" for v in before) != after:
        note_calendar_change(instance.pk, ALL_DAYS)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    from .models import Agency, CalendarDay

    pre_save.connect(calendar_day_pre_save, sender=CalendarDay, dispatch_uid="thutuc.calendar_day_pre_save")
    post_save.connect(
        calendar_day_post_save, sender=CalendarDay, dispatch_uid="thutuc.calendar_day_post_save"
    )
    post_delete.connect(
        calendar_day_post_delete, sender=CalendarDay, dispatch_uid="thutuc.calendar_day_post_delete"
    )
    pre_save.connect(agency_pre_save, sender=Agency, dispatch_uid="thutuc.agency_pre_save")
    post_save.connect(agency_post_save, sender=Agency, dispatch_uid="thutuc.agency_post_save")
