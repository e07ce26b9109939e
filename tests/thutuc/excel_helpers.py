"""Build and edit catalogue workbooks in tests."""

import io

import openpyxl

from thutuc.catalogue.excel import COLUMNS
from thutuc.catalogue.resources import CatalogueResource, CatalogueXLSX


def export_bytes(procedures=None) -> bytes:
    return CatalogueXLSX().export_data(CatalogueResource().export(queryset=procedures))


def edit(content: bytes, changes: dict[tuple[int, str], object]) -> bytes:
    """Set cells by (Excel line, column header); line 1 is the header."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    for (line, header), value in changes.items():
        sheet.cell(row=line, column=COLUMNS.index(header) + 1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def line_of(content: bytes, code: str, case_order: int = 1) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    for line, values in enumerate(sheet.iter_rows(values_only=True), 1):
        if values[0] == code and str(values[COLUMNS.index("STT trường hợp")]) == str(case_order):
            return line
    raise LookupError(code)


def rows_of(content: bytes) -> int:
    """The number of data rows (cases) in a workbook."""
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].max_row - 1


def import_bytes(content: bytes, *, dry_run: bool):
    dataset = CatalogueXLSX().create_dataset(content)
    return CatalogueResource().import_data(dataset, dry_run=dry_run)
