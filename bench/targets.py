"""The speed targets of issue 21, checked against one run's figures: one summary line per
target (met / missed, the measured value and ratio) and the same as JSON.

Ratios are p95 over p95 of the floor measured in the same run, so that a busy machine moves
both; absolute targets (rates, PDF times, the incremental scan) are in their own unit."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .cases import BASE_FLOOR, BASE_FLOOR_STAFF, INTAKE, REGISTER_PDF


@dataclass
class Target:
    key: str
    text: str
    figure: str  # figure name prefix
    measure: str  # "p95_ratio", "median_ms", "p95_ms", "rate_per_s"
    limit: float
    floor: str = ""
    at_least: bool = False  # a rate: the value must reach the limit


@dataclass
class Result:
    key: str
    text: str
    dossiers: int
    value: float | None
    limit: float
    met: bool | None  # None: not measured in this run
    unit: str

    def line(self) -> str:
        if self.met is None:
            return f"  – {self.text}: không đo được trong lượt này"
        verdict = "ĐẠT     " if self.met else "CHƯA ĐẠT"
        shown = f"{self.value:,.2f}{self.unit}".replace(",", " ")
        return f"  {verdict} {self.text}: {shown} (giới hạn {self.limit:g}{self.unit})"


TARGETS = [
    Target("logged_in_floor", "1c. trang đã đăng nhập ≤ 2,5 × 1b (p95)", "1c.", "p95_ratio", 2.5, BASE_FLOOR),
    Target("lookup", "2. tra cứu ≤ 3 × 1b (p95)", "2.", "p95_ratio", 3.0, BASE_FLOOR),
    Target("worklist", "3. danh sách công việc ≤ 2,5 × 1c (p95)", "3.", "p95_ratio", 2.5, BASE_FLOOR_STAFF),
    Target("intake", "6. tiếp nhận ≥ 200 hồ sơ/giây", INTAKE[:2], "rate_per_s", 200, at_least=True),
    Target("receipt_pdf", "7. giấy tiếp nhận PDF ≤ 120 ms (trung vị, ấm)", "7.", "median_ms", 120),
    Target("register_pdf", "7b. sổ theo dõi 1.000 dòng PDF ≤ 5 s", REGISTER_PDF[:3], "median_ms", 5000),
    Target("incremental_scan", "5d. quét hạn tăng dần ≤ 30 ms (p95)", "5d.", "p95_ms", 30),
]
UNITS = {"p95_ratio": "×", "median_ms": " ms", "p95_ms": " ms", "rate_per_s": " hồ sơ/giây"}


def _find(figures: list[dict], prefix: str) -> dict | None:
    return next((f for f in figures if f["name"].startswith(prefix)), None)


def evaluate(scale: dict) -> list[Result]:
    """The targets against one scale's figures (as in the JSON report: dicts)."""
    figures = scale["figures"]
    results = []
    for target in TARGETS:
        figure = _find(figures, target.figure)
        value = None
        if figure is not None:
            if target.measure == "p95_ratio":
                floor = _find(figures, target.floor)
                if floor and figure.get("p95_ms") and floor.get("p95_ms"):
                    value = figure["p95_ms"] / floor["p95_ms"]
            else:
                value = figure.get(target.measure)
        met = None if value is None else (value >= target.limit if target.at_least else value <= target.limit)
        results.append(
            Result(
                key=target.key,
                text=target.text,
                dossiers=scale["dossiers"],
                value=None if value is None else round(value, 2),
                limit=target.limit,
                met=met,
                unit=UNITS[target.measure],
            )
        )
    return results


def growth(report: dict) -> Result | None:
    """The worklist's p95 from the smallest to the largest scale: ≤ 1.2×."""
    if len(report["scales"]) < 2:
        return None
    first, last = report["scales"][0], report["scales"][-1]
    a, b = _find(first["figures"], "3."), _find(last["figures"], "3.")
    if not (a and b and a.get("p95_ms") and b.get("p95_ms")):
        return None
    value = b["p95_ms"] / a["p95_ms"]
    return Result(
        key="worklist_growth",
        text=f"3. danh sách công việc {first['dossiers']:,} → {last['dossiers']:,} hồ sơ ≤ 1,2×",
        dossiers=last["dossiers"],
        value=round(value, 2),
        limit=1.2,
        met=value <= 1.2,
        unit="×",
    )


def as_json(results: list[Result]) -> list[dict]:
    return [asdict(r) for r in results]
