"""PDF (WeasyPrint) and Excel (openpyxl) renderings of a report payload, and the Excel list
behind a drill-down.

Sheet `II.06a` of the workbook (row numbers are fixed, see docs/baocao.md):
  rows 1-4   title, reporting unit, period, unit of measure (merged across A:M)
  rows 5-7   the form's three-level column headings
  row  8     the column numbers (1) … (13)
  rows 9…    one row per field (agency report) or unit (province table): A = TT (1, 2, …),
             B = lĩnh vực / đơn vị, C…M = columns 3…13 of the form (integers)
  last row   A empty, B = "Tổng cộng", C…M = the totals
"""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.pdf import render_pdf
from core.xlsx import finish_table, print_setup, put, text_row, write_table

from .ii06a import COLUMN_GROUPS, COLUMN_LABELS, COLUMNS, Table
from .presentation import view

SHEET_II06A = "II.06a"
HEADER_ROWS = 8
DATA_FIRST_ROW = HEADER_ROWS + 1
TOTAL_LABEL = "Tổng cộng"
_thin = Side(style="thin")
_border = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_centre = Alignment(horizontal="center", vertical="center", wrap_text=True)


def primary_grouping(payload: dict) -> str:
    """An agency's report lists fields; the province table lists units."""
    return "field" if payload.get("agency") else "unit"


def _write_ii06a(
    sheet, table: Table, *, title: str, unit_label: str, period_text: str, row_label: str, variant: str = ""
):
    sheet.merge_cells("A1:M1")
    sheet["A1"] = " ".join(
        filter(None, ["Biểu số II.06a – TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", variant.upper()])
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = _centre
    for row, text in ((2, f"Đơn vị báo cáo: {title}"), (3, period_text), (4, f"Đơn vị tính: {unit_label}")):
        sheet.merge_cells(f"A{row}:M{row}")
        put(sheet[f"A{row}"], text)
        sheet[f"A{row}"].alignment = Alignment(horizontal="center")
    # Three heading rows, as on the form.
    merges = ["A5:A7", "B5:B7", "C5:F5", "G5:J5", "K5:M5", "C6:C7", "D6:E6", "F6:F7"]
    merges += [f"{get_column_letter(c)}6:{get_column_letter(c)}7" for c in range(7, 14)]
    for cells in merges:
        sheet.merge_cells(cells)
    sheet["A5"], sheet["B5"] = COLUMN_LABELS[1], row_label
    for (group_label, _cols), letter in zip(COLUMN_GROUPS, ("C", "G", "K"), strict=True):
        sheet[f"{letter}5"] = group_label
    sheet["C6"], sheet["D6"], sheet["F6"] = COLUMN_LABELS[3], "Trong kỳ", COLUMN_LABELS[6]
    sheet["D7"], sheet["E7"] = COLUMN_LABELS[4], COLUMN_LABELS[5]
    for column in range(7, 14):
        sheet.cell(row=6, column=column, value=COLUMN_LABELS[column])
    for column in range(1, 14):
        sheet.cell(row=8, column=column, value=f"({column})")
        for row in range(5, 9):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.alignment, cell.border = Font(bold=row < 8, italic=row == 8), _centre, _border
    row = DATA_FIRST_ROW
    for number, data in enumerate(table.rows, start=1):
        _write_row(sheet, row, number, data.label, data.counts)
        row += 1
    _write_row(sheet, row, None, TOTAL_LABEL, table.total.counts, bold=True)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 42
    for column in range(3, 14):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.freeze_panes = f"C{DATA_FIRST_ROW}"
    # autofilter on the column-number row over the data rows (not the total); the form's
    # heading rows 5–8 repeat on each printed page
    finish_table(sheet, header_row=HEADER_ROWS, last_row=row - 1, last_column=13, first_header_row=5)


def _write_row(sheet, row: int, number, label: str, counts: dict, *, bold: bool = False):
    sheet.cell(row=row, column=1, value=number)
    put(sheet.cell(row=row, column=2), label)
    for offset, column in enumerate(COLUMNS):
        sheet.cell(row=row, column=3 + offset, value=counts[column])
    for column in range(1, 14):
        cell = sheet.cell(row=row, column=column)
        cell.border, cell.font = _border, Font(bold=bold)


def build_xlsx(payload: dict) -> bytes:
    data = view(payload)
    period = data["period"]
    period_text = f"Kỳ báo cáo: Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    workbook = Workbook()
    first = primary_grouping(payload)
    labels = {"field": "Lĩnh vực giải quyết", "unit": "Đơn vị"}
    sheet = workbook.active
    sheet.title = SHEET_II06A
    _write_ii06a(
        sheet,
        data["tables"][first],
        title=payload["title"],
        unit_label="số hồ sơ TTHC",
        period_text=period_text,
        row_label=labels[first],
        variant=data["variant"],
    )
    other = "unit" if first == "field" else "field"
    second = workbook.create_sheet("II.06a theo đơn vị" if other == "unit" else "II.06a theo lĩnh vực")
    _write_ii06a(
        second,
        data["tables"][other],
        title=payload["title"],
        unit_label="số hồ sơ TTHC",
        period_text=period_text,
        row_label=labels[other],
        variant=data["variant"],
    )
    _write_other_figures(workbook.create_sheet("Chỉ số khác"), data)
    _write_charts(workbook.create_sheet(SHEET_CHARTS), data)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_other_figures(sheet, data: dict):
    channels, satisfaction = data["channels"], data["satisfaction"]
    rows = [
        ("Tỷ lệ tiếp nhận", None, None),
        ("Hồ sơ tiếp nhận trong kỳ", channels["received"], None),
        ("Trực tuyến", channels["online"], channels["online_percent"]),
        ("Qua dịch vụ bưu chính công ích", channels["postal"], channels["postal_percent"]),
        ("", None, None),
        ("Mức độ hài lòng", "Số lượt", "Tỷ lệ (%)"),
        *[(r["label"], r["count"], r["percent"]) for r in satisfaction["rows"]],
        (
            f"Hài lòng và rất hài lòng (chỉ tiêu > {satisfaction['target_percent']}%)",
            satisfaction["satisfied"],
            satisfaction["satisfied_percent"],
        ),
        ("", None, None),
        (
            "Phản ánh, kiến nghị, khiếu nại, tố cáo",
            "Tiếp nhận",
            "Đúng hạn",
            "Quá hạn",
            "Đang giải quyết",
            "Chưa giải quyết, quá hạn",
        ),
        *[
            (r["label"], r["received"], r["on_time"], r["late"], r["pending"], r["overdue"])
            for r in data["feedback"]["by_kind"] + data["feedback"]["by_channel"]
        ],
        ("", None, None),
        ("Đường dây nóng", "Số cuộc gọi", None),
        ("Tổng số cuộc gọi", data["hotline"]["total"], None),
        *[(r["label"], r["count"], None) for r in data["hotline"]["by_outcome"]],
    ]
    for row in rows:
        sheet.append(text_row(sheet, row))
    sheet.column_dimensions["A"].width = 60
    print_setup(sheet)


SHEET_CHARTS = "Biểu đồ"


def _bar(title: str, sheet, first_row: int, last_row: int, anchor: str) -> BarChart:
    """A column chart of B{first}:B{last} labelled by A{first}:A{last} (the PDF's SVG charts,
    as native Excel charts that follow the cells)."""
    chart = BarChart()
    chart.type, chart.title, chart.legend = "col", title, None
    chart.y_axis.title, chart.y_axis.majorGridlines = "Số lượng", None
    chart.add_data(
        Reference(sheet, min_col=2, min_row=first_row - 1, max_row=last_row), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first_row, max_row=last_row))
    chart.height, chart.width = 7.5, 14
    sheet.add_chart(chart, anchor)
    return chart


def _write_charts(sheet, data: dict):
    """Sheet "Biểu đồ": the figures of the report's two charts (resolved early / on time /
    late; satisfaction by value) in A:B and an openpyxl bar chart beside each."""
    resolved = [(bar.label, bar.value) for bar in data["resolved_chart"]["bars"]]
    ratings = [(r["label"], r["count"]) for r in data["satisfaction"]["rows"]]
    sheet.append(["Kết quả giải quyết hồ sơ", "Số hồ sơ"])
    for row in resolved:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["Mức độ hài lòng", "Số lượt đánh giá"])
    for row in ratings:
        sheet.append(list(row))
    for cell in (
        sheet["A1"],
        sheet["B1"],
        sheet.cell(len(resolved) + 3, 1),
        sheet.cell(len(resolved) + 3, 2),
    ):
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 18
    _bar("Hồ sơ đã giải quyết", sheet, 2, 1 + len(resolved), "D1")
    first = len(resolved) + 4
    _bar("Mức độ hài lòng", sheet, first, first + len(ratings) - 1, "D17")
    print_setup(sheet)


def build_pdf(payload: dict) -> bytes:
    from .selectors import province_name

    context = view(payload)
    context["grouping"] = primary_grouping(payload)
    context["printed_at"] = timezone.localtime()
    # "Minh Sơn, ngày … tháng … năm …" above the title, as on an administrative document.
    place = province_name()
    for prefix in ("tỉnh ", "thành phố "):
        place = place.removeprefix(prefix)
    context["place"] = place
    return render_pdf("baocao/pdf/report.html", context)


def build(payload: dict, fmt: str) -> bytes:
    return build_pdf(payload) if fmt == "pdf" else build_xlsx(payload)


DOSSIER_COLUMNS = (
    "TT",
    "Mã hồ sơ",
    "Thủ tục",
    "Lĩnh vực",
    "Cơ quan giải quyết",
    "Kênh",
    "Tiếp nhận",
    "Hẹn trả (theo quy định)",
    "Kết thúc xử lý",
    "Trạng thái",
)


def dossiers_xlsx(dossiers, *, title: str) -> bytes:
    """The drill-down list as a workbook (one row per dossier, streamed from the queryset)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Hồ sơ")
    write_table(
        sheet,
        title_rows=[title],
        headings=list(DOSSIER_COLUMNS),
        widths=[6, 28, 40, 20, 30, 14, 16, 16, 16, 24],
        rows=(
            [
                number,
                d.code,
                d.procedure.name,
                d.procedure.field.name,
                d.competent_agency.name,
                d.get_channel_display(),
                d.received_at,
                d.original_due_at,
                d.finished_at,
                d.get_status_display(),
            ]
            for number, d in enumerate(dossiers.iterator(chunk_size=2000), start=1)
        ),
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
