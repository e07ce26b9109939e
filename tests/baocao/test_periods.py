import datetime as dt

import pytest

from baocao.periods import Period, custom_period, quarter_of, quarter_period, report_deadline, year_period

D = dt.date


@pytest.mark.parametrize(
    ("year", "quarter", "start", "end"),
    [
        (2026, 1, D(2025, 12, 15), D(2026, 3, 14)),  # crosses the year
        (2026, 2, D(2026, 3, 15), D(2026, 6, 14)),
        (2026, 3, D(2026, 6, 15), D(2026, 9, 14)),
        (2026, 4, D(2026, 9, 15), D(2026, 12, 14)),
        (2024, 1, D(2023, 12, 15), D(2024, 3, 14)),
    ],
)
def test_quarter_rules(year, quarter, start, end):
    period = quarter_period(year, quarter)
    assert (period.start, period.end) == (start, end)


def test_quarters_tile_the_year_without_gap_or_overlap():
    year = year_period(2026)
    assert (year.start, year.end) == (D(2025, 12, 15), D(2026, 12, 14))
    quarters = [quarter_period(2026, q) for q in (1, 2, 3, 4)]
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    for earlier, later in zip(quarters, quarters[1:], strict=False):
        assert later.start == earlier.end + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 12, 14), (2025, 4)),
        (D(2025, 12, 15), (2026, 1)),
        (D(2026, 1, 1), (2026, 1)),
        (D(2026, 3, 14), (2026, 1)),
        (D(2026, 3, 15), (2026, 2)),
        (D(2026, 12, 31), (2027, 1)),
    ],
)
def test_quarter_of(day, expected):
    assert quarter_of(day) == expected


def test_bounds_are_local_midnights_inclusive_by_day():
    start, end = quarter_period(2026, 1).bounds()
    assert start.isoformat() == "2025-12-15T00:00:00+07:00"
    assert end.isoformat() == "2026-03-15T00:00:00+07:00"  # exclusive: all of 14/03 is inside


def test_custom_period_and_validation():
    period = custom_period(D(2026, 1, 1), D(2026, 1, 31))
    assert period.quarter is None and "01/01/2026" in period.label
    assert Period.from_dict(period.as_dict()) == period
    with pytest.raises(ValueError):
        custom_period(D(2026, 2, 1), D(2026, 1, 1))
    with pytest.raises(ValueError):
        quarter_period(2026, 5)


def test_report_deadline_is_a_setting(settings):
    assert report_deadline(2026, 1) == D(2026, 3, 20)
    settings.REPORT_DEADLINE_DAY = 18
    assert report_deadline(2026, 4) == D(2026, 12, 18)
