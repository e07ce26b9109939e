"""The workflow frame under two clicks at once, for the feedback and the report workflows as
for dossiers (tests/motcua/test_concurrency_processing.py): one event, one refusal naming
the new status. PostgreSQL only: SQLite has no row locks."""

import threading

import pytest
from django.db import connection

from baocao import services as reports
from baocao.models import ReportEvent, ReportStatus
from core.workflow import TransitionError
from khieunai import services as feedback_services
from khieunai.models import FeedbackEvent, FeedbackStatus, TriageClass
from tests.concurrency import at_once, raised
from tests.khieunai.factories import submit_feedback
from thutuc.models import Agency, User

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


@pytest.fixture
def department(province):
    return Agency.objects.get(code="000.00.11.H99")


def test_two_leaders_closing_one_feedback_at_once_give_one_event(department):
    leader = User.objects.get(username="lanhdao")
    feedback = submit_feedback(department, title="Tiếp dân", content="Chậm")
    feedback_services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=leader)
    feedback_services.feedback_answer(feedback=feedback, answer="Đã chấn chỉnh.", actor=leader)
    results = at_once([lambda: feedback_services.feedback_close(feedback=feedback, actor=leader)] * 2)
    errors = raised(results)
    assert len(errors) == 1 and isinstance(errors[0], TransitionError), results
    assert "Đã kết thúc" in str(errors[0])
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.CLOSED
    assert FeedbackEvent.objects.filter(feedback=feedback, action="closed").count() == 1


def test_accept_and_return_of_one_report_at_once_give_one_verdict(department):
    leader, home_affairs = User.objects.get(username="lanhdao"), User.objects.get(username="sonoivu")
    report = reports.report_create(agency=department, year=2025, quarter=4, actor=leader)
    report = reports.report_submit(report=report, actor=leader)
    calls = iter(
        [
            lambda: reports.report_accept(report=report, actor=home_affairs),
            lambda: reports.report_return(report=report, comment="Thiếu số liệu", actor=home_affairs),
        ]
    )
    lock = threading.Lock()

    def one_of_them():
        with lock:
            call = next(calls)
        return call()

    results = at_once([one_of_them] * 2)
    errors = raised(results)
    assert len(errors) == 1 and isinstance(errors[0], TransitionError), results
    assert "khi báo cáo ở trạng thái" in str(errors[0])
    report.refresh_from_db()
    verdicts = list(
        ReportEvent.objects.filter(report=report, action__in=["accept", "return"]).values_list(
            "action", flat=True
        )
    )
    assert len(verdicts) == 1
    assert report.status == {"accept": ReportStatus.ACCEPTED, "return": ReportStatus.RETURNED}[verdicts[0]]
