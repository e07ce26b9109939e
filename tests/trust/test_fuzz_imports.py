# ruff: noqa: F811  (the `world` fixture is imported, then requested by name)
"""Broken import files: the catalogue's Excel import (admin, with preview) and
`manage.py import_dossiers` → a clear Vietnamese report, nothing applied."""

import functools
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from motcua.models import Dossier, DossierEvent
from motcua.services.legacy_import import HEADER
from tests.motcua.factories import legacy_row
from tests.thutuc.conftest import catalogue  # noqa: F401  (fixture)
from tests.thutuc.excel_helpers import export_bytes, line_of
from thutuc.catalogue import excel as x
from thutuc.models import Procedure, ProcedureCase, ProcedureDocument, ProcedureFee, ProcedureStep, User

from .fuzz import VIETNAMESE_LETTERS
from .fuzz_strategies import examples


def snapshot():
    return {
        "procedures": sorted(Procedure.objects.values_list("pk", "updated_at", "name", "code")),
        "cases": sorted(
            ProcedureCase.objects.values_list("pk", "processing_time", "processing_unit", "name")
        ),
        "documents": ProcedureDocument.objects.count(),
        "fees": ProcedureFee.objects.count(),
        "steps": ProcedureStep.objects.count(),
    }


def workbook_bytes(rows, *, sheets=None, merge=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    for title, extra_rows in (sheets or {}).items():
        other = book.create_sheet(title)
        for row in extra_rows:
            other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited(content: bytes, changes: dict, *, merge=None, delete_column=None, insert_column=None) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    for (line, header), value in changes.items():
        sheet.cell(row=line, column=x.COLUMNS.index(header) + 1, value=value)
    if merge:
        sheet.merge_cells(merge)
    if delete_column:
        sheet.delete_cols(x.COLUMNS.index(delete_column) + 1)
    if insert_column:
        sheet.insert_cols(1)
        sheet.cell(row=1, column=1, value=insert_column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def not_xlsx_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "không phải tệp Excel")
    return out.getvalue()


def upload(client, content, name="danh-muc.xlsx"):
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("admin:thutuc_procedure_import"), {"import_file": file, "format": "0"})


def broken_catalogue_files(content: bytes) -> dict[str, bytes]:
    line = line_of(content, "1.001193")
    other = line_of(content, "2.000815")
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    return {
        "empty file": b"",
        "random bytes": os.urandom(2048),
        "csv renamed .xlsx": "Mã thủ tục,Tên thủ tục\n1.001193,Đăng ký khai sinh\n".encode("utf-16"),
        "zip that is not xlsx": not_xlsx_zip(),
        "header only": workbook_bytes([list(x.COLUMNS)]),
        "wrong sheet first": workbook_bytes([["Ghi chú"]], sheets={"Danh mục": [list(r) for r in rows]}),
        "missing column": edited(content, {}, delete_column=x.COL_TIME),
        "extra column": edited(content, {}, insert_column="Cột lạ"),
        "renamed header": edited(content, {(1, x.COL_TIME): "Thoi han"}),
        "duplicate rows": workbook_bytes([list(r) for r in rows] + [list(rows[line - 1])]),
        "formula =1+1": edited(content, {(line, x.COL_TIME): "=1+1"}),
        "formula HYPERLINK": edited(content, {(line, x.COL_NAME): '=HYPERLINK("http://x","bấm")'}),
        "formula DDE": edited(content, {(line, x.COL_DOCUMENTS): "=cmd|' /C calc'!A0"}),
        "number as text": edited(content, {(line, x.COL_TIME): "mười lăm"}),
        "date in a number cell": edited(content, {(line, x.COL_TIME): "31/02/2026"}),
        "huge number": edited(content, {(line, x.COL_TIME): 10**30}),
        "negative number": edited(content, {(line, x.COL_TIME): -5}),
        "NaN": edited(content, {(line, x.COL_TIME): float("nan")}),
        "merged cells": edited(content, {}, merge=f"A{line}:C{other}"),
        "tabs and line breaks": edited(content, {(line, x.COL_CODE): "1.001\t193\n"}),
        "code of another row": edited(content, {(line, x.COL_CODE): "2.000815"}),
        "unknown agency": edited(content, {(line, x.COL_COMPETENT): "999.99.99.H99"}),
        "very long text": edited(content, {(line, x.COL_NAME): "Đ" * 20_000}),
    }


def test_broken_catalogue_files_change_nothing(catalogue, client):  # noqa: F811
    client.force_login(User.objects.get(username="quantri"))
    content = export_bytes()
    before = snapshot()
    for label, data in broken_catalogue_files(content).items():
        response = upload(client, data)
        assert response.status_code == 200, label
        page = response.content.decode()
        assert "Xác nhận nhập" not in page, f"{label}: a broken file is offered for import"
        errors = response.context.get("errors") or []
        result = response.context.get("result")
        form = response.context.get("form")
        messages = [str(m) for m in response.context.get("messages", [])]
        reported = (
            [str(e) for e in errors]
            + (
                [str(m) for m in form.errors.get("import_file", [])]
                + [str(m) for m in form.non_field_errors()]
                if form
                else []
            )
            + messages
            + ([str(r.error) for r in result.base_errors] if result is not None else [])
            + ([str(e.error) for e in result.invalid_rows] if result is not None else [])
            + (
                [str(m) for _line, errs in result.row_errors() for e in errs for m in [e.error]]
                if result is not None
                else []
            )
        )
        if result is not None:
            reported += [str(m) for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
        assert reported, f"{label}: no report"
        assert any(VIETNAMESE_LETTERS & set(message) for message in reported), f"{label}: {reported}"
        assert snapshot() == before, f"{label}: something was applied"


# --- import_dossiers --------------------------------------------------------------------


@pytest.fixture
def legacy_rows(world):
    row = functools.partial(legacy_row, world.centre, world.case)
    return [
        row("260302-0007,direct,Nguyễn Văn An,0912345678,2026-03-02 09:15,2026-03-05 09:15,2"),
        row("260303-0001,online,Trần Thị Bình,,2026-03-03 10:00,2026-03-10 10:00,4"),
    ]


def counts():
    return Dossier.objects.count(), DossierEvent.objects.count()


def run_import(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_dossiers", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        return False, f"{exc}\n{err.getvalue()}"
    return True, out.getvalue()


def xlsx_file(tmp_path, rows, name="ho-so.xlsx", **kwargs):
    path = tmp_path / name
    path.write_bytes(workbook_bytes(rows, **kwargs))
    return path


def csv_file(tmp_path, rows, name="ho-so.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes("\n".join(",".join(map(str, r)) for r in rows).encode(encoding, errors="replace"))
    return path


def broken_legacy_files(tmp_path, good):
    def raw(name, data):
        path = tmp_path / name
        path.write_bytes(data)
        return path

    first = list(good[0])
    return {
        "empty csv": raw("empty.csv", b""),
        "empty xlsx": raw("empty.xlsx", b""),
        "random bytes xlsx": raw("random.xlsx", os.urandom(4096)),
        "csv renamed xlsx": raw("renamed.xlsx", ",".join(HEADER).encode()),
        "zip not xlsx": raw("zip.xlsx", not_xlsx_zip()),
        "latin-1 csv": csv_file(
            tmp_path, [HEADER, [*first[:4], "Nguyễn Văn Ä", *first[5:]]], "l1.csv", "cp1258"
        ),
        "utf-16 csv": csv_file(tmp_path, [HEADER, first], "u16.csv", "utf-16"),
        "missing column": xlsx_file(tmp_path, [HEADER[:-2], first[:-2]], "missing.xlsx"),
        "wrong header": xlsx_file(tmp_path, [[h.upper() + "x" for h in HEADER], first], "header.xlsx"),
        "wrong sheet first": xlsx_file(
            tmp_path, [["ghi chú"]], "sheet.xlsx", sheets={"Hồ sơ": [HEADER, first]}
        ),
        "duplicate in file": xlsx_file(tmp_path, [HEADER, first, first], "dup.xlsx"),
        "formula": xlsx_file(tmp_path, [HEADER, [*first[:4], "=1+1", *first[5:]]], "formula.xlsx"),
        "DDE formula": xlsx_file(
            tmp_path, [HEADER, [*first[:4], "=cmd|' /C calc'!A0", *first[5:]]], "dde.xlsx"
        ),
        "date as wrong text": xlsx_file(
            tmp_path, [HEADER, [*first[:6], "31/02/2026", *first[7:]]], "date.xlsx"
        ),
        "huge status": xlsx_file(tmp_path, [HEADER, [*first[:8], 10**30, *first[9:]]], "huge.xlsx"),
        "float status": xlsx_file(tmp_path, [HEADER, [*first[:8], 2.5, *first[9:]]], "float.xlsx"),
        "merged cells": xlsx_file(tmp_path, [HEADER, first, good[1]], "merged.xlsx", merge="A2:C3"),
        "NUL in name": xlsx_file(tmp_path, [HEADER, [*first[:4], "An\x00", *first[5:]]], "nul.csv")
        if False
        else csv_file(tmp_path, [HEADER, [*first[:4], "An\x00", *first[5:]]], "nul.csv"),
        "year 9999": xlsx_file(
            tmp_path, [HEADER, [*first[:6], "9999-12-31 23:59", *first[7:]]], "y9999.xlsx"
        ),
        "one good one bad": xlsx_file(
            tmp_path, [HEADER, first, [*good[1][:1], "KHONG-CO", *good[1][2:]]], "half.xlsx"
        ),
    }


def test_broken_dossier_imports_report_and_import_nothing(world, legacy_rows, tmp_path):
    before = counts()
    good = xlsx_file(tmp_path, [HEADER, *legacy_rows], "good.xlsx")
    for label, path in broken_legacy_files(tmp_path, legacy_rows).items():
        ok, report = run_import(path)
        assert not ok, f"{label}: accepted"
        assert VIETNAMESE_LETTERS & set(report), f"{label}: {report!r}"
        assert counts() == before, f"{label}: something was imported"
    ok, report = run_import(good)  # the good file still goes in whole
    assert ok, report
    assert counts() == (before[0] + 2, before[1] + 2)
    ok, report = run_import(good)  # duplicates against the database
    assert not ok and counts() == (before[0] + 2, before[1] + 2)


@examples(40)
@given(
    cells=st.lists(
        st.one_of(
            st.text(max_size=30),
            st.integers(min_value=-(10**20), max_value=10**20),
            st.floats(allow_nan=True, allow_infinity=False),
            st.none(),
            st.sampled_from(["=1+1", "2026-02-31 09:00", "9999-12-31 23:59", "2"]),
        ),
        min_size=0,
        max_size=len(HEADER) + 2,
    )
)
def test_random_dossier_rows(world, legacy_rows, tmp_path, cells):
    """A random row under a good header: accepted whole or refused with a report."""
    before = counts()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    row = [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells]
    path = xlsx_file(tmp_path, [HEADER, row], "random.xlsx")
    ok, report = run_import(path)
    if ok:
        assert counts()[0] == before[0] + 1
    else:
        assert VIETNAMESE_LETTERS & set(report) and counts() == before
