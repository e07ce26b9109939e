"""Issue 13 §4: figures that are right on the day they are read — a running quarter counts
overdue against now, a one-stop centre reports what it received, a report is sent only
after its period, the PDF speaks Vietnamese time and names the province."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from baocao import exports, figures, ii06a, services
from baocao.models import ReportStatus
from baocao.periods import quarter_period
from baocao.selectors import agency_scope, report_agency_role
from motcua.models import Status
from tests.motcua.pdftext import pdf_text
from thutuc.models import Agency

from .factories import DossierFactory, FeedbackFactory, lasting, local

Q4 = quarter_period(2026, 4)  # 15/09/2026 → 14/12/2026
DURING = local(2026, 11, 20, 10, 0)  # a Friday morning inside Q4
AFTER = local(2026, 12, 16, 9, 0)  # Q4 has ended


@pytest.fixture
def pending(agency):
    """Three dossiers still being processed in Q4: received today and due on Monday, due
    yesterday, and waiting for a supplement past its date (due 09/11)."""

    def received(at, due):
        return DossierFactory(receiving_agency=agency, received_at=at, **lasting(at, due, agency=agency))

    return {
        "due_monday": received(local(2026, 11, 20, 8), local(2026, 11, 23, 17)),
        "due_yesterday": received(local(2026, 11, 10, 9), local(2026, 11, 19, 17)),
        "waiting": DossierFactory(
            receiving_agency=agency, received_at=local(2026, 11, 2, 9), waiting_supplement=True
        ),
    }


def _names(scope, column, now):
    return {d.pk for d in ii06a.dossiers_in(scope, Q4, column, now=now)}


def test_running_quarter_counts_overdue_against_now(agency, pending):
    scope = agency_scope(agency)
    table = ii06a.compute(scope, Q4, now=DURING)
    assert table.total.counts[11] == 3
    # received today, due on Monday: within its deadline (the quarter's end no longer decides)
    assert table.total.counts[12] == 2 and table.total.counts[13] == 1
    assert _names(scope, 13, DURING) == {pending["due_yesterday"].pk}
    assert _names(scope, 12, DURING) == {pending["due_monday"].pk, pending["waiting"].pk}
    assert not table.problems


def test_an_ended_quarter_keeps_its_own_date(agency, pending):
    """Read after 14/12, both dated dossiers are overdue against the quarter's last day."""
    table = ii06a.compute(agency_scope(agency), Q4, now=AFTER)
    assert table.total.counts[12] == 1 and table.total.counts[13] == 2


def test_feedback_pending_is_overdue_against_now_while_the_quarter_runs(agency):
    FeedbackFactory(agency=agency, received_at=local(2026, 11, 19, 9), due_at=local(2026, 11, 25, 9))
    FeedbackFactory(agency=agency, received_at=local(2026, 10, 1, 9), due_at=local(2026, 10, 15, 9))
    scope = agency_scope(agency)
    during = figures.feedback_figures(scope, Q4, now=DURING)["total"]
    assert (during["pending"], during["overdue"]) == (1, 1)
    after = figures.feedback_figures(scope, Q4, now=AFTER)["total"]
    assert (after["pending"], after["overdue"]) == (0, 2)


def test_the_centre_reports_what_it_received(province):
    centre = Agency.objects.get(code="000.00.06.H99")
    justice = Agency.objects.get(code="000.00.11.H99")
    for day in (3, 4, 5):
        DossierFactory(
            receiving_agency=centre,
            case__procedure__competent_agency=justice,
            received_at=local(2026, 10, day, 9),  # due a week later
            finished_at=local(2026, 10, day + 2, 9),
            status=Status.RETURNED,
        )
    assert report_agency_role(centre) == "receiving" and report_agency_role(justice) == "competent"
    centre_table = ii06a.compute(agency_scope(centre, agency_role=report_agency_role(centre)), Q4, now=AFTER)
    justice_table = ii06a.compute(agency_scope(justice), Q4, now=AFTER)
    assert centre_table.total.counts[3] == 3 and centre_table.total.counts[8] == 3
    assert justice_table.total.counts[3] == 3  # the same dossiers, for the competent agency
    # the competent-agency variant of the centre: nothing (the old report's zero)
    assert ii06a.compute(agency_scope(centre), Q4, now=AFTER).total.counts[3] == 0
    assert ii06a.variant_title("receiving") == "tại Trung tâm Phục vụ hành chính công"
    assert ii06a.variant_title("competent") == "tại cơ quan, đơn vị trực tiếp giải quyết"


def test_centre_report_payload_says_which_variant(province, users):
    from baocao.models import QuarterlyReport

    centre = Agency.objects.get(code="000.00.06.H99")
    DossierFactory(receiving_agency=centre, received_at=local(2026, 7, 1, 9))  # due 08/07
    report = QuarterlyReport.objects.create(
        agency=centre,
        year=2026,
        quarter=3,
        period_start=dt.date(2026, 6, 15),
        period_end=dt.date(2026, 9, 14),
        deadline=dt.date(2026, 9, 20),
        created_by=users["giamdoc"],
    )
    payload = services.report_live_payload(report)
    assert payload["agency_role"] == "receiving"
    assert payload["variant"] == "tại Trung tâm Phục vụ hành chính công"
    assert payload["ii06a"]["field"]["total"]["counts"]["3"] == 1
    pdf = pdf_text(exports.build_pdf(payload))
    assert "tại Trung tâm Phục vụ hành chính công" in pdf


def test_a_report_cannot_be_sent_before_its_period_ends(stp, users, client):
    """Today (the machine's clock) is inside a running quarter or not: the rule is tested
    with the report's own period placed after today."""
    from baocao.models import QuarterlyReport

    today = timezone.localdate()
    report = QuarterlyReport.objects.create(
        agency=stp,
        year=today.year,
        quarter=1,
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=1),
        deadline=today + dt.timedelta(days=6),
        created_by=users["lanhdao"],
    )
    with pytest.raises(ValidationError, match="Kỳ báo cáo chưa kết thúc"):
        services.report_submit(report=report, actor=users["lanhdao"])
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot is None
    client.force_login(users["lanhdao"])
    page = client.get(f"/bao-cao/quy/{report.pk}/").content.decode()
    assert "báo cáo gửi được từ ngày hôm sau" in page and "Gửi báo cáo đến Sở Nội vụ" not in page
    # the day after its last day it goes
    QuarterlyReport.objects.filter(pk=report.pk).update(period_end=today - dt.timedelta(days=1))
    report.refresh_from_db()
    assert services.report_submit(report=report, actor=users["lanhdao"]).status == ReportStatus.SUBMITTED


def test_report_pdf_dates_in_vietnam_time_signature_and_province(province):
    payload = figures.report_payload(
        scope=agency_scope(None),
        period=Q4,
        title="Tỉnh Minh Sơn – tổng hợp các đơn vị",
        agency=None,
    )
    payload["computed_at"] = dt.datetime(2026, 12, 2, 3, 3, tzinfo=dt.UTC).isoformat()
    text = pdf_text(exports.build_pdf(payload))
    assert "số liệu tính lúc 02/12/2026 10:03" in text  # 03:03 UTC = 10:03 in Hà Nội
    assert "2026-12-02" not in text
    assert "NGƯỜI LẬP BIỂU" in text and "THỦ TRƯỞNG ĐƠN VỊ" in text
    assert "Tỉnh Minh Sơn" in text and "Minh Sơn, ngày" in text


def test_province_title_names_the_province(province):
    from baocao.views import province_title

    assert province_title() == "Tỉnh Minh Sơn – tổng hợp các đơn vị"
