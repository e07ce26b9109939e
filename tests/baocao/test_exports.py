"""Excel layout of sheet II.06a, the PDF (rendered and looked at as an image), the command."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from baocao import exports, services
from baocao.ii06a import Scope
from baocao.periods import quarter_period
from motcua.models import Channel

from .factories import DossierFactory, FieldFactory, RatingFactory, lasting, local, returned_early_and_late


@pytest.fixture
def payload(stp, users):
    civil = FieldFactory(code="HT", name="Hộ tịch")
    notary = FieldFactory(code="CT", name="Chứng thực")
    online, _late = returned_early_and_late(stp, civil, notary)
    DossierFactory(
        receiving_agency=stp,
        case__procedure__field=notary,
        channel=Channel.POSTAL,
        received_at=local(2026, 3, 1, 9),
        **lasting(local(2026, 3, 1, 9), local(2026, 3, 30, 9), agency=stp),
    )
    RatingFactory(dossier=online, value="very_satisfied")
    report = services.report_create(agency=stp, year=2026, quarter=1, actor=users["lanhdao"])
    services.report_update_narrative(report=report, actor=users["lanhdao"], results="Đạt kế hoạch đề ra")
    return services.report_submit(report=report, actor=users["lanhdao"]).snapshot


def test_excel_sheet_layout(payload):
    workbook = load_workbook(io.BytesIO(exports.build_xlsx(payload)))
    sheet = workbook[exports.SHEET_II06A]
    assert "II.06a" in sheet["A1"].value
    assert sheet["A3"].value == "Kỳ báo cáo: Từ ngày 15/12/2025 đến ngày 14/03/2026"
    assert [sheet.cell(row=8, column=c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    assert (sheet["A5"].value, sheet["C5"].value, sheet["D7"].value) == (
        "TT",
        "Số hồ sơ nhận giải quyết",
        "Trực tuyến",
    )
    # rows 9, 10: one per field (sorted by name); 11: Tổng cộng
    rows = [[sheet.cell(row=r, column=c).value for c in range(1, 14)] for r in (9, 10, 11)]
    assert rows[0] == [1, "Chứng thực", 2, 0, 2, 0, 1, 0, 0, 1, 1, 1, 0]
    assert rows[1] == [2, "Hộ tịch", 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]
    assert rows[2] == [None, "Tổng cộng", 3, 1, 2, 0, 2, 1, 0, 1, 1, 1, 0]
    assert sheet.max_row == 11
    assert "II.06a theo đơn vị" in workbook.sheetnames


def test_pdf_renders_a4_landscape_with_svg_charts(payload, tmp_path):
    pdf = exports.build_pdf(payload)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert "841.89 x 595.27" in info  # A4 landscape, in points
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
        for phrase in ("Tổng cộng", "Chứng thực", "Mức độ hài lòng", "Đạt kế hoạch đề ra", "Trước hạn"):
            assert phrase in text


def test_export_report_command(stp, payload, tmp_path, province):
    output = tmp_path / "q1.xlsx"
    call_command(
        "export_report", "--agency", stp.code, "--year", "2026", "--quarter", "1", "--output", str(output)
    )
    sheet = load_workbook(output)["II.06a"]
    assert sheet["B11"].value == "Tổng cộng" and sheet["C11"].value == 3
    province_pdf = tmp_path / "tinh.pdf"
    call_command(
        "export_report", "--province", "--year", "2026", "--quarter", "1", "--output", str(province_pdf)
    )
    assert province_pdf.read_bytes().startswith(b"%PDF")
    province_xlsx = tmp_path / "tinh.xlsx"
    call_command(
        "export_report", "--province", "--year", "2026", "--quarter", "1", "--output", str(province_xlsx)
    )
    sheet = load_workbook(province_xlsx)["II.06a"]
    labels = [sheet.cell(row=r, column=2).value for r in range(9, sheet.max_row + 1)]
    assert labels == ["Sở Tư pháp tỉnh Minh Sơn", "Tổng cộng"]


def test_province_payload_groups_by_unit(stp, payload):
    from baocao.figures import report_payload

    data = report_payload(
        scope=Scope(agency_ids=None), period=quarter_period(2026, 1), title="Tỉnh", agency=None
    )
    assert exports.primary_grouping(data) == "unit"
    assert data["ii06a"]["unit"]["total"]["counts"]["3"] == 3


def test_demo_seed_is_idempotent(province):
    from baocao import demo
    from baocao.models import QuarterlyReport, ReportStatus

    demo.seed()
    demo.seed()
    statuses = sorted(QuarterlyReport.objects.values_list("status", flat=True))
    assert statuses == sorted([ReportStatus.DRAFT, ReportStatus.SUBMITTED])


def test_excel_charts_follow_the_figures(payload):
    """Sheet "Biểu đồ": the resolved and satisfaction figures and a native bar chart of each
    (issue 20), read back from the file."""
    workbook = load_workbook(io.BytesIO(exports.build_xlsx(payload)))
    sheet = workbook[exports.SHEET_CHARTS]
    # the payload's totals: 2 resolved (1 early, 1 late), one "very satisfied" rating
    assert [[c.value for c in row] for row in sheet["A1:B4"]] == [
        ["Kết quả giải quyết hồ sơ", "Số hồ sơ"],
        ["Trước hạn", 1],
        ["Đúng hạn", 0],
        ["Quá hạn", 1],
    ]
    assert [[c.value for c in row] for row in sheet["A6:B9"]] == [
        ["Mức độ hài lòng", "Số lượt đánh giá"],
        ["Rất hài lòng", 1],
        ["Hài lòng", 0],
        ["Không hài lòng", 0],
    ]
    charts = sheet._charts
    assert len(charts) == 2
    refs = [chart.series[0].val.numRef.f for chart in charts]
    assert refs == ["'Biểu đồ'!$B$2:$B$4", "'Biểu đồ'!$B$7:$B$9"]
    assert [chart.series[0].cat.numRef or chart.series[0].cat.strRef for chart in charts]
