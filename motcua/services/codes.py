"""Dossier codes and the counters behind them (NĐ 118/2025/NĐ-CP Điều 28).

`<agency identifier>-<YYMMDD>-<NNNN>` (Điều 28 khoản 2): the identifier of the agency
**competent** to decide the dossier — for an inter-agency (liên thông) dossier, that of the
one-stop counter that received it (`code_agency`) — then the local date of receipt and the
sequence number of the dossier within that day (điểm b), 4 digits, reset daily per agency
whose identifier begins the code. The layout is the one of TT 01/2018 Điều 19, which TT
03/2025 replaced; the text of TT 03/2025's article could not be read (docs/legal-sources.md).
The counters are
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


def code_agency(*, competent, receiving, interagency: bool):
    """The agency whose identifier begins a dossier's code (Điều 28 khoản 2 điểm a): the
    competent agency, or the receiving counter for an inter-agency dossier. A competent
    agency without an identifier of its own (a unit) lends the nearest one above it; without
    any, the receiving counter's."""
    if interagency:
        return receiving
    agency = competent
    for _depth in range(12):
        if agency is None or agency.code:
            break
        agency = agency.parent
    return agency if agency is not None and agency.code else receiving


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
    """Next number of the day for the agency whose identifier begins the code (one counter
    per identifier and day, whichever counter received the dossier: two counters issuing
    codes of the same competent agency share it). Call inside the intake's transaction."""
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
