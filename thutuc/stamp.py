"""Catalogue rows kept in this process's memory for as long as the catalogue stamp stands.

`current_stamp()` reads the token that database triggers renew with every write to a case's
channels, fees and steps and to the agency tree (thutuc.models.stamp; migration thutuc 0013).
A `StampedMemo` keeps values computed from those rows under the token they were read with:
a new token starts an empty memo, so nothing read before a change is used after it; a
token made inside a transaction that rolls back is random and never current again.

Read the stamp *before* the rows: a change committed in between is then at worst kept under
the old token, which nobody reads once the change is visible.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def current_stamp() -> str | None:
    """The catalogue's current token (one indexed read), or None when the row is missing
    (a flushed test database before its next catalogue write): then nothing is memoised."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM thutuc_cataloguestamp WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


class StampedMemo:
    """{key: value} valid under one stamp, at most `max_size` entries (then emptied)."""

    def __init__(self, max_size: int = 4096):
        self.max_size = max_size
        # (stamp, values) swapped as one object: a thread still filling the previous stamp's
        # dict after another thread moved on writes into a dict nobody reads any more.
        self._state: tuple[str | None, dict] = (None, {})

    def get(self, stamp: str | None, key: Hashable, compute: Callable[[], T]) -> T:
        if stamp is None:
            return compute()
        state = self._state
        if state[0] != stamp:
            state = (stamp, {})
            self._state = state
        values = state[1]
        if key in values:
            return values[key]
        value = compute()
        if len(values) >= self.max_size:
            values.clear()
        values[key] = value
        return value
