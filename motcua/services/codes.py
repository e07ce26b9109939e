"""Dossier codes and the counters behind them (DESIGN §5.2, TT 01/2018 Điều 19).

`<agency identifier>-<YYMMDD>-<NNNN>`: the receiving agency's official identifier, the
local date of receipt and a 4-digit sequence reset daily per agency. The counters are
single rows incremented with one atomic upsert (`INSERT … ON CONFLICT DO UPDATE …
RETURNING`): the row stays locked until the caller's transaction ends, so concurrent
intakes queue on it and a rolled-back intake gives its number back (no gaps).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection

from thutuc.validators import AGENCY_CODE_RE

from ..models import DossierSequence, YearlySequence

DOSSIER_CODE_RE = re.compile(
    r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<date>\d{6})-(?P<number>\d{4,})$"
)


def format_dossier_code(agency_code: str, day: dt.date, number: int) -> str:
    if not AGENCY_CODE_RE.match(agency_code or ""):
        raise ValueError(f"mã định danh không hợp lệ: {agency_code!r}")
    if number < 1:
        raise ValueError("số thứ tự phải từ 1")
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def parse_dossier_code(code: str) -> tuple[str, dt.date, int] | None:
    """(agency code, date, number) of a well-formed code, or None."""
    match = DOSSIER_CODE_RE.match((code or "").strip())
    if not match:
        return None
    try:
        day = dt.datetime.strptime(match["date"], "%y%m%d").date()
    except ValueError:
        return None
    return match["agency"], day, int(match["number"])


def _upsert_increment(table: str, key_columns: dict[str, object], step: int = 1) -> int:
    columns = list(key_columns)
    placeholders = ", ".join(["%s"] * (len(columns) + 1))
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}, last_number) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET last_number = {table}.last_number + %s "
        "RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key_columns.values(), step, step])
        return cursor.fetchone()[0]


def next_daily_number(*, agency_id: int, day: dt.date) -> int:
    """Next number of the day for the agency. Call inside the intake's transaction."""
    return _upsert_increment(DossierSequence._meta.db_table, {"agency_id": agency_id, "day": day.isoformat()})


def next_yearly_number(*, agency_id: int, year: int, kind: str) -> int:
    """Next register entry (or attempt slip) number of the year. Call inside a transaction."""
    return _upsert_increment(
        YearlySequence._meta.db_table, {"agency_id": agency_id, "year": year, "kind": str(kind)}
    )


def raise_daily_floor(*, agency_id: int, day: dt.date, number: int) -> None:
    """Make sure the day's counter is at least `number` (imported codes must not be reissued)."""
    table = DossierSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (agency_id, day, last_number) VALUES (%s, %s, %s) "
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last_number = "
            f"CASE WHEN {table}.last_number < %s THEN %s ELSE {table}.last_number END",
            [agency_id, day.isoformat(), number, number, number],
        )
