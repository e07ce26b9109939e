"""User text written into Excel files, safely.

openpyxl stores any string starting with "=" as a formula: a citizen's name
"=HYPERLINK(...)" or "=cmd|' /C calc'!A0" in an export would run in the officer's
spreadsheet (formula injection, CWE-1236). Strings starting with "+", "-" or "@" are read
as formulas by spreadsheet programs too. Every export writes user strings through these
helpers: the cell is a text cell (data type "s"), shown exactly as typed, never evaluated.
Characters XML 1.0 cannot hold (control characters a form may accept) are dropped instead of
making openpyxl raise IllegalCharacterError."""

from __future__ import annotations

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
