"""Moments in the tests: one helper for an aware datetime on the portal's clock.

`local(2026, 3, 2, 9)` is Monday 02/03/2026 09:00 in Asia/Ho_Chi_Minh (the portal's one
time zone, thutuc.calendar.TZ); a missing hour or minute is 0, as for `datetime` itself.
`at(3, 2)` is the same moment, written the short way the 2026 scenarios use, and
`moment("02/03/2026 09:00")` the way the portal prints it (tables of cases).
"""

import datetime as dt

from thutuc.calendar import TZ


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh."""
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=TZ)


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> dt.datetime:
    """A moment of 2026 (the year most scenarios are written in), at 09:00 unless told:
    `at(3, 2)` is Monday 02/03/2026 09:00."""
    return local(year, month, day, hour, minute)


def moment(text: str) -> dt.datetime:
    """A moment written as the portal prints it, "dd/mm/yyyy HH:MM", on the portal's clock."""
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=TZ)


def earlier_today(minutes: int = 5) -> dt.datetime:
    """A few minutes ago, but never before today's local midnight: "received today" must stay
    today also when the suite runs just after 00:00 in Asia/Ho_Chi_Minh (17:00 UTC)."""
    from django.utils import timezone

    now = timezone.now()
    midnight = now.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(now - dt.timedelta(minutes=minutes), midnight)
