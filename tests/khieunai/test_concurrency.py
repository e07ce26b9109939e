"""Parallel submissions get distinct codes and register numbers (PostgreSQL only: SQLite
serialises writers, so the race cannot happen there)."""

import pytest
from django.db import connection

from tests.concurrency import at_once, raised
from tests.khieunai.factories import submit_feedback

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_submissions_get_unique_codes(province):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL")
    from thutuc.models import Agency

    agency = Agency.objects.get(code="000.00.11.H99")

    def submit():
        return submit_feedback(agency, title="Song song", content="Thử").code

    codes = at_once([submit] * 6)
    errors = raised(codes)
    assert errors == []
    assert len(set(codes)) == 6 and sorted(int(c[-6:]) for c in codes) == [1, 2, 3, 4, 5, 6]
