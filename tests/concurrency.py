"""Races in the tests: calls started at the same moment, each in its own thread with its own
database connection (as gunicorn's workers and Celery's have). PostgreSQL only where it
matters: SQLite serialises writers, so the race cannot happen there."""

import threading
from collections.abc import Callable

from django.db import connections


def at_once(calls: list[Callable[[], object]], *, timeout: float = 30) -> list:
    """Run every call in a thread of its own, released together by a barrier; each thread
    closes its connections. Each call's result, or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = calls[index]()
        except Exception as exc:  # a refusal is the expected outcome of all but one, often
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 4)
    return results


def raised(results: list) -> list[Exception]:
    """The exceptions among `at_once`'s results."""
    return [r for r in results if isinstance(r, Exception)]
