"""Excel exports (openpyxl): one sheet, a title row, a header row, then data."""

from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thutuc.xlsx import text_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(*, filename: str, title: str, headers: list[str], rows, widths=None) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = "".join(" " if ch in "[]:*?/\\" else ch for ch in title)[:31].strip() or "Sheet"
    sheet.append(text_row(sheet, [title]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(text_row(sheet, headers))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(text_row(sheet, row))
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def local(moment, fmt="%d/%m/%Y %H:%M") -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime(fmt) if moment else ""
