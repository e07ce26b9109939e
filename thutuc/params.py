"""Raw query-string and POST parameters read outside a form (lookups, filters, ids).

A browser sends anything: `?truong_hop=abc` must not reach `.get(pk=...)` (ValueError →
500), and a NUL byte must not reach PostgreSQL, which refuses it in a text literal
(another 500). Read such parameters through these two helpers."""

from __future__ import annotations

MAX_ID = 2**63 - 1


def id_param(value) -> int | None:
    """A database id (positive ASCII integer within bigint range), or None."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def text_param(value, *, max_length: int = 200) -> str:
    """Free text for a lookup: trimmed, bounded, without NUL characters."""
    return str(value if value is not None else "").replace("\x00", "").strip()[:max_length]


def date_param(value):
    """A calendar day from `<input type="date">` (YYYY-MM-DD) or typed as dd/mm/yyyy, or None."""
    import datetime as dt

    text = text_param(value, max_length=10)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if 1900 <= day.year <= 2999 else None
    return None
