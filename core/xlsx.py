"""User text written into Excel files, safely.

openpyxl stores any string starting with "=" as a formula: a citizen's name
"=HYPERLINK(...)" or "=cmd|' /C calc'!A0" in an export would run in the officer's
spreadsheet (formula injection, CWE-1236). Strings starting with "+", "-" or "@" are read
as formulas by spreadsheet programs too. Every export writes user strings through these
helpers: the cell is a text cell (data type "s"), shown exactly as typed, never evaluated.
Characters XML 1.0 cannot hold (control characters a form may accept) are dropped instead of
making openpyxl raise IllegalCharacterError."""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_PREFIXES = ("=", "+", "-", "@")


def clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def put(cell, value):
    """Set a cell of a normal worksheet; a string is stored as text, never as a formula."""
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def text_cell(sheet, value):
    """A cell for `sheet.append()` (normal or write-only worksheet)."""
    return put(WriteOnlyCell(sheet), value)


def text_row(sheet, values: Iterable) -> list:
    """The row for `sheet.append()`: strings as text cells, other values unchanged."""
    return [text_cell(sheet, v) if isinstance(v, str) else v for v in values]


class FormulaInFile(ValueError):
    """An imported workbook holds formulas: read with cached values only, they come out
    empty (or stale), so the import refuses the file instead of losing data silently."""

    def __init__(self, coordinates: list[str]):
        self.coordinates = coordinates
        shown = ", ".join(coordinates[:10]) + ("…" if len(coordinates) > 10 else "")
        super().__init__(
            f"Tệp có công thức ở ô {shown}: chỉ nhập được giá trị. Hãy thay công thức bằng giá trị "
            "(Sao chép → Dán đặc biệt → Giá trị) rồi nhập lại."
        )


def check_no_formulas(source) -> None:
    """Raise FormulaInFile if the first sheet of the workbook (path or file object) has a
    formula cell; other read errors propagate to the caller."""
    from openpyxl import load_workbook

    sheet = load_workbook(source, read_only=True, data_only=False).worksheets[0]
    found = [
        cell.coordinate
        for row in sheet.iter_rows()
        for cell in row
        if getattr(cell, "data_type", None) == "f"
    ]
    if found:
        raise FormulaInFile(found)


# --- the one table writer of every export --------------------------------------------------
#
# Every Excel file the portal writes is an office's own document: dates are Excel dates
# (sortable, filterable, shown dd/mm/yyyy), numbers are numbers, the heading row stays in
# view (frozen) and carries an autofilter, and the sheet prints on A4 landscape, fitted to
# the page width, with the heading rows repeated on every printed page.

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DURATION_FORMAT = "[m]:ss"
INTEGER_FORMAT = "#,##0"


def excel_value(value):
    """(value, number format) as Excel stores it: an aware moment in Vietnam time without
    its zone (Excel has none), a date as a date, a duration as a duration."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, second=0, microsecond=0), DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    if isinstance(value, dt.timedelta):
        return value, DURATION_FORMAT
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int):
        return value, INTEGER_FORMAT
    if isinstance(value, float | Decimal):
        return value, None
    return value, None


def typed_cell(sheet, value, *, number_format: str | None = None, font=None, alignment=None):
    """A cell for `sheet.append()`: text as text (never a formula), the rest typed."""
    if isinstance(value, str) or value is None:
        cell = text_cell(sheet, value if value is not None else None)
    else:
        stored, default_format = excel_value(value)
        cell = WriteOnlyCell(sheet, value=stored)
        if number_format or default_format:
            cell.number_format = number_format or default_format
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def print_setup(sheet, *, title_rows: tuple[int, int] | None = None, landscape: bool = True) -> None:
    """A4, landscape, fitted to the page width; `title_rows` (first, last) repeat on every page."""
    from openpyxl.worksheet.worksheet import Worksheet

    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    orientation = Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    sheet.page_setup.orientation = orientation
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    if title_rows:
        sheet.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"


def finish_table(sheet, *, header_row: int, last_row: int, last_column: int, first_header_row=None):
    """Autofilter from the (last) heading row to the last data row, and the print setup,
    for a sheet laid out by hand (a form with several heading rows)."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(last_column)}{max(last_row, header_row)}"
    print_setup(sheet, title_rows=(first_header_row or header_row, header_row))


def write_table(
    sheet,
    *,
    headings: list[str],
    rows: Iterable,
    widths: list[float] | None = None,
    title_rows: list[str] = (),
    formats: dict[int, str] | None = None,
) -> int:
    """Title lines, one heading row, then the data rows, on a normal or write-only sheet:
    typed cells, frozen heading, autofilter, A4 landscape print with the heading repeated.
    `formats` maps a column index (0-based) to a number format. Returns the data row count."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    formats = formats or {}
    bold = Font(bold=True)
    heading_row = len(title_rows) + 1
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    # A write-only sheet writes its views and properties before the rows: set them first.
    sheet.freeze_panes = f"A{heading_row + 1}"
    print_setup(sheet, title_rows=(heading_row, heading_row))
    for number, line in enumerate(title_rows):
        sheet.append([typed_cell(sheet, line, font=Font(bold=True, size=13) if number == 0 else None)])
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([typed_cell(sheet, heading, font=bold, alignment=wrap) for heading in headings])
    count = 0
    for values in rows:
        sheet.append(
            [typed_cell(sheet, value, number_format=formats.get(index)) for index, value in enumerate(values)]
        )
        count += 1
    last = get_column_letter(len(headings))
    sheet.auto_filter.ref = f"A{heading_row}:{last}{heading_row + count}"
    return count


# --- the size of an uploaded workbook, checked before any parser reads it (issue 14 §5) -----------

_CELL_REF_RE = re.compile(r"([A-Z]{1,3})(\d+)$")


class WorkbookTooLarge(ValueError):
    """The workbook is bigger than the limits in settings; the message says which, in Vietnamese."""


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _too_many_rows(max_rows: int) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        f"Bảng tính có hơn {max_rows} dòng dữ liệu (giới hạn {max_rows} dòng). "
        "Hãy chia thành nhiều tệp nhỏ hơn."
    )


def _too_many_columns(max_columns: int) -> WorkbookTooLarge:
    return WorkbookTooLarge(f"Bảng tính có dòng dài hơn {max_columns} cột (giới hạn {max_columns} cột).")


def _check_declared(ref: str, max_rows: int, max_columns: int) -> None:
    match = _CELL_REF_RE.match(ref.rsplit(":", 1)[-1])
    if match:
        if int(match.group(2)) > max_rows + 1:
            raise _too_many_rows(max_rows)
        if _column_number(match.group(1)) > max_columns:
            raise _too_many_columns(max_columns)


def check_workbook_bounds(source, *, max_rows: int, max_columns: int, max_unpacked_mb: int) -> int:
    """Check an .xlsx (path or file object) without building it: the sizes its ZIP declares
    once unpacked, each sheet's declared range (<dimension>), then its rows and columns read
    as a stream of XML tags, since a declared range may lie. Row and cell references count:
    one cell at XFD1048576 makes a reader pad every row to 16,384 columns. Stops at the first
    limit passed and raises WorkbookTooLarge; returns the number of data rows (header
    excluded) of the longest sheet.

    A 60 KB file of 20,000 rows × 20 inline cells ran 60 s in the catalogue import and
    stopped the web workers; this check refuses it in about a second."""
    import xml.etree.ElementTree as ET
    import zipfile

    with zipfile.ZipFile(source) as archive:
        entries = archive.infolist()
        unpacked = sum(entry.file_size for entry in entries)
        if unpacked > max_unpacked_mb * 1024 * 1024:
            raise WorkbookTooLarge(
                f"Tệp giải nén ra {unpacked / 1024 / 1024:.0f} MB, vượt giới hạn {max_unpacked_mb} MB."
            )
        longest = 0
        for entry in entries:
            if not (entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml")):
                continue
            rows = cells = 0
            with archive.open(entry) as stream:
                for _event, element in ET.iterparse(stream, events=("end",)):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "dimension":  # the sheet's declared range, e.g. A1:V20001
                        _check_declared(element.get("ref") or "", max_rows, max_columns)
                    elif tag == "c":
                        cells += 1
                        match = _CELL_REF_RE.match(element.get("r") or "")
                        column = _column_number(match.group(1)) if match else cells
                        if column > max_columns:
                            raise _too_many_columns(max_columns)
                    elif tag == "row":
                        rows, cells = rows + 1, 0
                        number = int(element.get("r") or rows) if (element.get("r") or "").isdigit() else rows
                        if max(rows, number) > max_rows + 1:  # + the header line
                            raise _too_many_rows(max_rows)
                        element.clear()
            longest = max(longest, rows - 1)
    return max(longest, 0)
