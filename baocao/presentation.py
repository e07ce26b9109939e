"""Turn a report payload (plain JSON) into what templates and exports show: the II.06a
tables, percentages, and the geometry of the server-drawn SVG charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .figures import SATISFACTION_TARGET_PERCENT
from .ii06a import (
    COLUMN_GROUPS,
    COLUMN_LABELS,
    COLUMNS,
    DEFAULT_AGENCY_ROLE,
    FORM_TITLE,
    Table,
    variant_title,
)
from .periods import Period


def percent(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


@dataclass
class Bar:
    label: str
    value: int
    percent: float | None
    x: float
    y: float
    width: float
    height: float
    colour: str

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent:.1f}".replace(".", ",")

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)


def bar_chart(items: list[tuple[str, int, str]], *, width: int = 360, height: int = 160) -> dict:
    """Vertical bars scaled to the largest value (geometry only; the SVG is a template)."""
    top, bottom, gap = 18, 34, 18
    total = sum(v for _l, v, _c in items)
    biggest = max([v for _l, v, _c in items] + [1])
    slot = (width - gap) / max(len(items), 1)
    bars = []
    for index, (label, value, colour) in enumerate(items):
        bar_height = (height - top - bottom) * value / biggest
        bars.append(
            Bar(
                label=label,
                value=value,
                percent=percent(value, total),
                x=round(gap + index * slot, 1),
                y=round(height - bottom - bar_height, 1),
                width=round(slot - gap, 1),
                height=round(bar_height, 1),
                colour=colour,
            )
        )
    return {"width": width, "height": height, "baseline": height - bottom, "bars": bars, "total": total}


def view(payload: dict) -> dict:
    """Everything a screen, the PDF and the workbook need, from one payload."""
    tables = {name: Table.from_dict(data) for name, data in payload["ii06a"].items()}
    total = tables["field"].total.counts
    received_in_period = total[4] + total[5]
    postal = tables["field"].total.postal
    ratings = payload["satisfaction"]["counts"]
    rated = sum(r["count"] for r in ratings)
    satisfied = sum(r["count"] for r in ratings if r["key"] in ("very_satisfied", "satisfied"))
    satisfied_percent = percent(satisfied, rated)
    target = payload["satisfaction"].get("target_percent", SATISFACTION_TARGET_PERCENT)
    role = payload.get("agency_role", DEFAULT_AGENCY_ROLE)
    computed_at = payload.get("computed_at")
    return {
        # An aware moment (the payload keeps ISO text): templates show it in Vietnam time.
        "computed_at": dt.datetime.fromisoformat(computed_at) if computed_at else None,
        "payload": payload,
        # Payloads frozen before the variant was stored name it from their agency role.
        "form_title": FORM_TITLE,
        "variant": payload.get("variant") or variant_title(role),
        "agency_role": role,
        "period": Period.from_dict(payload["period"]),
        "tables": tables,
        "columns": COLUMNS,
        "column_labels": COLUMN_LABELS,
        "column_groups": COLUMN_GROUPS,
        "channels": {
            "received": received_in_period,
            "online": total[4],
            "online_percent": percent(total[4], received_in_period),
            "postal": postal,
            "postal_percent": percent(postal, received_in_period),
            "direct": total[5] - postal,
        },
        "resolved_chart": bar_chart(
            [
                ("Trước hạn", total[8], "#1f7a3a"),
                ("Đúng hạn", total[9], "#1a5fb4"),
                ("Quá hạn", total[10], "#b3261e"),
            ]
        ),
        "satisfaction": {
            "rows": [{**r, "percent": percent(r["count"], rated)} for r in ratings],
            "rated": rated,
            "satisfied": satisfied,
            "satisfied_percent": satisfied_percent,
            "target_percent": target,
            "meets_target": satisfied_percent is not None and satisfied_percent > target,
            "chart": bar_chart(
                [
                    (r["label"], r["count"], colour)
                    for r, colour in zip(ratings, ("#1f7a3a", "#1a5fb4", "#b3261e"), strict=False)
                ]
            ),
        },
        "feedback": payload["feedback"],
        "hotline": payload["hotline"],
        "narrative": payload.get("narrative"),
    }


@dataclass
class HBar:
    label: str
    value: float
    text: str
    y: float
    width: float

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)

    @property
    def text_x(self) -> float:
        return round(8 + self.width + 4, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + 11, 1)


def hbar_chart(items: list[tuple[str, float | None, str]], *, width: int = 360, scale: float = 100) -> dict:
    """Horizontal bars (label above each bar, so that a long agency name fits on a phone),
    scaled to `scale` (100 for a percentage); an item without a value gets no bar and its
    text ("không có dữ liệu")."""
    row, top, bar_room = 36, 18, width - 70
    bars = []
    for index, (label, value, text) in enumerate(items):
        short = label if len(label) <= 48 else label[:47] + "…"
        bar_width = 0 if value is None else round(bar_room * min(value, scale) / scale, 1)
        bars.append(HBar(label=short, value=value or 0, text=text, y=top + index * row + 4, width=bar_width))
    return {"width": width, "height": top + len(items) * row + 4, "bars": bars}
