"""Parallel submissions get distinct codes and register numbers (PostgreSQL only: SQLite
serialises writers, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_submissions_get_unique_codes(province):
    if connection.vendor != "postgresql":
        pytest.skip("row-lock race needs PostgreSQL")
    from django.db import connections

    from khieunai import services
    from thutuc.models import Agency

    agency = Agency.objects.get(code="000.00.11.H99")
    codes, errors = [], []
    barrier = threading.Barrier(6)

    def worker():
        try:
            barrier.wait()
            feedback = services.feedback_submit(
                kind="feedback", channel="online", agency=agency, title="Song song", content="Thử"
            )
            codes.append(feedback.code)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(codes)) == 6 and sorted(int(c[-6:]) for c in codes) == [1, 2, 3, 4, 5, 6]
