"""Dossier codes: format, daily reset per agency, and uniqueness under concurrent intake."""

import datetime as dt

import pytest
from django.db import connection

from motcua.models import Dossier
from motcua.services.codes import format_dossier_code, parse_dossier_code
from tests.concurrency import at_once, raised
from tests.factories import AgencyFactory
from tests.timeutil import local


@pytest.mark.parametrize(
    ("agency", "day", "number", "code"),
    [
        ("000.00.06.H56", dt.date(2023, 10, 27), 361, "000.00.06.H56-231027-0361"),
        ("000.17.22.H56", dt.date(2021, 5, 31), 1, "000.17.22.H56-210531-0001"),
        ("000.00.04.G14", dt.date(2030, 1, 1), 9999, "000.00.04.G14-300101-9999"),
        ("000.00.04.G14", dt.date(2030, 1, 1), 10000, "000.00.04.G14-300101-10000"),
    ],
)
def test_format_and_parse_round_trip(agency, day, number, code):
    assert format_dossier_code(agency, day, number) == code
    assert parse_dossier_code(code) == (agency, day, number)


@pytest.mark.parametrize(
    "bad", ["", "000.00.06.H56-231027-361", "000.00.06.H56-231332-0001", "00.00.06.H56-231027-0001", "x"]
)
def test_parse_rejects_malformed_codes(bad):
    assert parse_dossier_code(bad) is None


def test_format_refuses_bad_agency_code_and_zero():
    with pytest.raises(ValueError):
        format_dossier_code("H56", dt.date(2026, 1, 1), 1)
    with pytest.raises(ValueError):
        format_dossier_code("000.00.06.H56", dt.date(2026, 1, 1), 0)


def test_sequence_is_daily_and_per_agency(receive, officer, case):
    first, _ = receive(received_at=local(2026, 11, 23, 9, 0))
    second, _ = receive(received_at=local(2026, 11, 23, 16, 30))
    next_day, _ = receive(received_at=local(2026, 11, 24, 8, 5))
    code = officer.agency.code
    assert [first.code, second.code, next_day.code] == [
        f"{code}-261123-0001",
        f"{code}-261123-0002",
        f"{code}-261124-0001",
    ]
    other = AgencyFactory()
    elsewhere, _ = receive(agency=other, received_at=local(2026, 11, 23, 10, 0))
    assert elsewhere.code == f"{other.code}-261123-0001"


def test_code_date_is_the_local_date(receive, officer):
    # 23:30 UTC on the 22nd is 06:30 on the 23rd in Hà Nội.
    dossier, _ = receive(received_at=dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC))
    assert dossier.code == f"{officer.agency.code}-261123-0001"


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_intakes_get_distinct_gap_free_codes():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no concurrency to test")

    from .factories import CaseFactory, receive_at_counter, reception_officer

    officer = reception_officer()
    case = CaseFactory()
    moment = local(2026, 11, 23, 9, 30)

    def intake(i: int):
        return receive_at_counter(officer, case, f"Người nộp {i}", received_at=moment)

    errors = raised(at_once([lambda i=i: intake(i) for i in range(50)], timeout=60))
    assert errors == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"{officer.agency.code}-261123-{n:04d}" for n in range(1, 51)]
    registers = sorted(Dossier.objects.values_list("register_number", flat=True))
    assert registers == list(range(1, 51))
