"""Pages: permissions (another agency's report is a 404), drill-down, exports, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from baocao import services
from baocao.models import ExportStatus, ReportExport, ReportStatus
from motcua.models import Status

from .factories import DossierFactory, FieldFactory, local, returned_early_and_late


@pytest.fixture
def report(stp, users):
    return services.report_create(agency=stp, year=2026, quarter=1, actor=users["lanhdao"])


@pytest.fixture
def dossiers(stp):
    field = FieldFactory(code="HT", name="Hộ tịch")
    return returned_early_and_late(stp, field, field)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("baocao:index"))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_reception_officer_has_no_access(client, login, province):
    login("tiepnhan")
    assert client.get(reverse("baocao:index")).status_code == 403
    assert client.get(reverse("baocao:statistics")).status_code == 403


def test_leader_sees_own_reports_and_creates_one(client, login, stp):
    login("lanhdao")
    response = client.get(reverse("baocao:index"))
    assert response.status_code == 200 and "Lập báo cáo mới" in response.content.decode()
    response = client.post(reverse("baocao:report_create"), {"year": 2026, "quarter": 1})
    assert response.status_code == 302
    response = client.post(reverse("baocao:report_create"), {"year": 2026, "quarter": 1})
    assert response.status_code == 400 and "đã có báo cáo" in response.content.decode()
    response = client.post(reverse("baocao:report_create"), {"year": "abc", "quarter": 9})
    assert response.status_code == 400 and 'value="abc"' in response.content.decode()


def test_other_agencys_report_is_404(client, login, province, users):
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role
    from thutuc.models import Agency

    ward = Agency.objects.get(code="000.17.22.H99")
    ward_leader = UserFactory(agency=ward, roles=[Role.LEADER])
    other = services.report_create(agency=ward, year=2026, quarter=1, actor=ward_leader)
    login("lanhdao")
    for name in ("report_detail",):
        assert client.get(reverse(f"baocao:{name}", args=[other.pk])).status_code == 404
    for name in ("report_submit", "report_edit", "report_export"):
        args = [other.pk, "pdf"] if name == "report_export" else [other.pk]
        assert client.post(reverse(f"baocao:{name}", args=args)).status_code == 404


def test_report_detail_narrative_and_submit(client, login, report, dossiers):
    login("lanhdao")
    url = reverse("baocao:report_detail", args=[report.pk])
    page = client.get(url).content.decode()
    assert "Biểu II.06a" in page and "Hộ tịch" in page and "<svg" in page
    response = client.post(
        reverse("baocao:report_edit", args=[report.pk]),
        {"results": "Kết quả tốt", "shortcomings": "", "causes": "", "proposals": ""},
    )
    assert response.status_code == 302
    client.post(reverse("baocao:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.results == "Kết quả tốt"
    assert "Số liệu đã chốt khi gửi" in client.get(url).content.decode()


def test_home_affairs_overview_and_return(client, login, report, dossiers, users):
    services.report_submit(report=report, actor=users["lanhdao"])
    login("sonoivu")
    page = client.get(reverse("baocao:index"), {"year": 2026, "quarter": 1}).content.decode()
    assert "Sở Tư pháp tỉnh Minh Sơn" in page and "Đã gửi" in page
    assert "Chưa lập báo cáo" in page  # other units
    response = client.post(reverse("baocao:report_return", args=[report.pk]), {"comment": ""})
    assert response.status_code == 400
    response = client.post(reverse("baocao:report_return", args=[report.pk]), {"comment": "Thiếu số liệu"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_overview_query_count_is_constant(client, login, report, users, django_assert_max_num_queries, stp):
    login("sonoivu")
    url = reverse("baocao:index") + "?year=2026&quarter=1"
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
    for _ in range(20):
        DossierFactory(receiving_agency=stp, received_at=local(2026, 1, 5, 9))
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_drill_down_lists_exactly_the_counted_dossiers(
    client, login, stp, dossiers, django_assert_max_num_queries
):
    early, late = dossiers
    login("lanhdao")
    base = {
        "kind": "quarter",
        "year": 2026,
        "quarter": 1,
        "agency": stp.pk,
        "grouping": "field",
        "role": "competent",
    }
    page = client.get(reverse("baocao:statistics"), base).content.decode()
    assert f"col=10&amp;key={early.procedure.field_id}" in page
    for _ in range(15):  # more rows, same number of queries
        DossierFactory(
            receiving_agency=stp,
            case=late.case,
            status=Status.RETURNED,
            received_at=local(2026, 1, 6, 9),  # due 13/01: late
            finished_at=local(2026, 1, 14, 9),
        )
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("baocao:drill_down"), {**base, "col": 10, "key": early.procedure.field_id}
        )
    body = response.content.decode()
    assert late.code in body and early.code not in body
    response = client.get(reverse("baocao:drill_down"), {**base, "col": 7, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = {sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)}
    assert early.code in codes and late.code in codes and len(codes) == 17
    assert client.get(reverse("baocao:drill_down"), {**base, "col": 99}).status_code == 404


def test_leader_cannot_pick_another_agency_in_statistics(client, login, province):
    from thutuc.models import Agency

    ward = Agency.objects.get(code="000.17.22.H99")
    login("lanhdao")
    response = client.get(
        reverse("baocao:drill_down"),
        {
            "kind": "quarter",
            "year": 2026,
            "quarter": 1,
            "agency": ward.pk,
            "col": 3,
            "grouping": "field",
            "role": "competent",
        },
    )
    assert response.status_code == 404
    page = client.get(
        reverse("baocao:statistics"),
        {
            "kind": "quarter",
            "year": 2026,
            "quarter": 1,
            "agency": ward.pk,
            "grouping": "field",
            "role": "competent",
        },
    )
    assert "Biểu II.06a" in page.content.decode() and "Tổng cộng" not in page.content.decode()


def test_export_is_rendered_once_and_served_through_a_checked_view(
    client, login, report, dossiers, users, django_capture_on_commit_callbacks
):
    services.report_submit(report=report, actor=users["lanhdao"])
    login("lanhdao")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("baocao:report_export", args=[report.pk, "xlsx"]))
    assert len(callbacks) == 1
    export = ReportExport.objects.get()
    assert response["Location"] == reverse("baocao:export_status", args=[export.pk])
    assert export.status == ExportStatus.DONE and export.progress == 100
    download = client.get(reverse("baocao:export_download", args=[export.pk]))
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert workbook["II.06a"]["B9"].value == "Hộ tịch"
    # asked again: the same stored file, no second render
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(reverse("baocao:report_export", args=[report.pk, "xlsx"]))
    assert ReportExport.objects.count() == 1 and callbacks == []
    # another agency's leader cannot download it
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role
    from thutuc.models import Agency

    stranger = UserFactory(agency=Agency.objects.get(code="000.17.22.H99"), roles=[Role.LEADER])
    client.force_login(stranger)
    assert client.get(reverse("baocao:export_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("baocao:export_status", args=[export.pk])).status_code == 404


def test_province_export_only_for_home_affairs(client, login, dossiers, django_capture_on_commit_callbacks):
    data = {"kind": "quarter", "year": 2026, "quarter": 1, "grouping": "unit", "role": "competent"}
    login("lanhdao")
    # a leader must pick an agency: no province-wide export
    assert client.post(reverse("baocao:statistics_export", args=["pdf"]), data).status_code == 404
    login("sonoivu")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("baocao:statistics_export", args=["pdf"]), data)
    export = ReportExport.objects.get()
    assert export.agency is None and export.status == ExportStatus.DONE
    assert response.status_code == 302
    pdf = b"".join(client.get(reverse("baocao:export_download", args=[export.pk])).streaming_content)
    assert pdf.startswith(b"%PDF")
