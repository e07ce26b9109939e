"""The report workflow: transitions, refusals, permissions, the frozen snapshot."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from baocao import services
from baocao.models import ReportStatus
from core.workflow import TransitionError
from motcua.models import Dossier, Status

from .factories import (
    AgencyFactory,
    DossierFactory,
    FeedbackFactory,
    HotlineCallFactory,
    RatingFactory,
    local,
)


@pytest.fixture
def report(stp, users):
    return services.report_create(agency=stp, year=2026, quarter=1, actor=users["lanhdao"])


def test_create_sets_period_and_deadline(report):
    assert (report.period_start, report.period_end) == (dt.date(2025, 12, 15), dt.date(2026, 3, 14))
    assert report.deadline == dt.date(2026, 3, 20)
    assert report.status == ReportStatus.DRAFT and report.events.count() == 1


def test_one_report_per_agency_and_quarter(report, stp, users):
    with pytest.raises(ValidationError):
        services.report_create(agency=stp, year=2026, quarter=1, actor=users["lanhdao"])


def test_only_leaders_of_the_agency_create(stp, users, province):
    from thutuc.models import Agency

    with pytest.raises(PermissionDenied):
        services.report_create(agency=stp, year=2026, quarter=2, actor=users["tiepnhan"])
    ward = Agency.objects.get(code="000.17.22.H99")
    with pytest.raises(PermissionDenied):  # a leader of another agency
        services.report_create(agency=ward, year=2026, quarter=2, actor=users["lanhdao"])


def test_full_cycle_submit_return_resubmit_accept(report, users):
    leader, home_affairs = users["lanhdao"], users["sonoivu"]
    services.report_update_narrative(report=report, actor=leader, results="Đạt", proposals="Tăng biên chế")
    report = services.report_submit(report=report, actor=leader)
    assert report.status == ReportStatus.SUBMITTED and report.version == 1
    assert report.snapshot["narrative"]["results"] == "Đạt"
    with pytest.raises(ValidationError):  # no editing once sent
        services.report_update_narrative(report=report, actor=leader, results="Sửa")
    with pytest.raises(TransitionError, match="không có quyền") as refused:  # not their own report
        services.report_accept(report=report, actor=leader)
    assert refused.value.forbidden
    with pytest.raises(ValidationError):  # a return needs a reason
        services.report_return(report=report, comment="  ", actor=home_affairs)
    report = services.report_return(report=report, comment="Bổ sung nguyên nhân", actor=home_affairs)
    assert report.status == ReportStatus.RETURNED and report.return_comment == "Bổ sung nguyên nhân"
    with pytest.raises(ValidationError):  # returned: cannot accept before resubmission
        services.report_accept(report=report, actor=home_affairs)
    services.report_update_narrative(report=report, actor=leader, causes="Thiếu người")
    report = services.report_submit(report=report, actor=leader)
    assert report.status == ReportStatus.RESUBMITTED and report.version == 2
    assert report.snapshot["narrative"]["causes"] == "Thiếu người"
    report = services.report_accept(report=report, actor=home_affairs)
    assert report.status == ReportStatus.ACCEPTED and report.reviewed_by == home_affairs
    with pytest.raises(ValidationError):
        services.report_submit(report=report, actor=leader)
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "resubmit", "accept"]


def test_snapshot_is_immutable_after_submission(report, stp, users):
    dossier = DossierFactory(receiving_agency=stp, received_at=local(2026, 1, 5, 9))
    report = services.report_submit(report=report, actor=users["lanhdao"])
    assert report.snapshot["ii06a"]["field"]["total"]["counts"]["3"] == 1
    # later data corrections: a new dossier, a dossier moved out of the period
    DossierFactory(receiving_agency=stp, received_at=local(2026, 2, 5, 9))
    DossierFactory(receiving_agency=stp, received_at=local(2026, 2, 6, 9))
    dossier.received_at = local(2026, 6, 1, 9)
    dossier.save()
    report.refresh_from_db()
    shown = services.report_payload(report)
    assert shown["ii06a"]["field"]["total"]["counts"]["3"] == 1
    assert (
        services.report_live_payload(report)["ii06a"]["field"]["total"]["counts"]["3"] == 2
    )  # 2 new, 1 moved out


def test_submission_refused_when_figures_do_not_add_up(report, stp, users):
    # inconsistent data (an import could bring it; no service writes it): finished yet open
    dossier = DossierFactory(receiving_agency=stp, status=Status.PROCESSING)
    Dossier.objects.filter(pk=dossier.pk).update(finished_at=local(2026, 1, 10, 9))
    with pytest.raises(ValidationError, match="không khớp"):
        services.report_submit(report=report, actor=users["lanhdao"])
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot is None


def test_late_submission_is_marked(report, users, monkeypatch):
    late = timezone.make_aware(dt.datetime(2026, 3, 21, 8, 0))
    monkeypatch.setattr(timezone, "now", lambda: late)
    report = services.report_submit(report=report, actor=users["lanhdao"])
    assert report.is_late
    on_time = timezone.make_aware(dt.datetime(2026, 3, 20, 23, 0))
    report.first_submitted_at = on_time
    assert not report.is_late  # the deadline day itself is on time


def test_other_figures_in_the_payload(report, stp, users):
    other = AgencyFactory()
    RatingFactory(dossier__receiving_agency=stp, value="very_satisfied")
    RatingFactory(dossier__receiving_agency=stp, value="satisfied")
    RatingFactory(dossier__receiving_agency=stp, value="dissatisfied")
    RatingFactory(dossier__receiving_agency=other, value="dissatisfied")
    FeedbackFactory(
        agency=stp, kind="complaint", channel="counter", answered_at=local(2026, 1, 15, 9)
    )  # on time
    FeedbackFactory(agency=stp, answered_at=local(2026, 1, 25, 9))  # due 20/01: late
    FeedbackFactory(agency=stp, received_at=local(2026, 3, 1, 9))  # due 11/03, open: overdue
    FeedbackFactory(agency=stp, received_at=local(2026, 3, 10, 9))  # due 20/03, open: within
    FeedbackFactory(agency=other)
    HotlineCallFactory(agency=stp, outcome="guided")
    HotlineCallFactory(agency=stp, started_at=local(2026, 4, 1, 9))  # after the period
    payload = services.report_live_payload(report)
    ratings = {r["key"]: r["count"] for r in payload["satisfaction"]["counts"]}
    assert ratings == {"very_satisfied": 1, "satisfied": 1, "dissatisfied": 1}
    total = payload["feedback"]["total"]
    assert total == {"received": 4, "on_time": 1, "late": 1, "pending": 1, "overdue": 1}
    complaint = next(r for r in payload["feedback"]["by_kind"] if r["key"] == "complaint")
    assert complaint["received"] == 1 and complaint["on_time"] == 1
    assert payload["hotline"]["total"] == 1
    assert {r["key"]: r["count"] for r in payload["hotline"]["by_outcome"]}["guided"] == 1

    from baocao.presentation import view

    shown = view(payload)["satisfaction"]
    assert shown["satisfied_percent"] == 66.7 and not shown["meets_target"]


@pytest.mark.parametrize("dossiers", [1, 25])
def test_whole_report_payload_is_seven_queries(report, stp, dossiers, django_assert_num_queries):
    for _ in range(dossiers):
        DossierFactory(receiving_agency=stp, received_at=local(2026, 1, 5, 9))
    with django_assert_num_queries(7):
        payload = services.report_live_payload(report)
    assert payload["ii06a"]["unit"]["total"]["counts"]["3"] == dossiers
