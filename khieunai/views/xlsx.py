"""Excel exports of the khieunai lists: one sheet, a title row, a heading row, then data,
written by the portal's one table writer (core.xlsx.write_table: typed cells, frozen
heading, autofilter, A4 landscape print)."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook

from core.xlsx import write_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(*, filename: str, title: str, headers: list[str], rows, widths=None) -> HttpResponse:
    book = Workbook(write_only=True)
    name = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip()
    sheet = book.create_sheet(name or "Sheet")
    write_table(sheet, headings=headers, rows=rows, widths=widths, title_rows=[title])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
