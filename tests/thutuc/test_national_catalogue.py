"""Issue 17: the real national catalogue, loaded through the real import path.

The 808 records of ../shared/data/national-catalogue/ are converted by
fixtures/national/convert.py, written as the portal's Excel format, imported by
`manage.py import_catalogue` (the admin's import), exported back, and every procedure page
is rendered. The smaller tests use one real row each and need only the repository."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from thutuc.catalogue import excel
from thutuc.catalogue.demo import FIXTURE, demo_dataset, rows_dataset
from thutuc.catalogue.resources import CatalogueLoadResource, CatalogueResource, CatalogueXLSX
from thutuc.models import Agency, CaseChannel, DocumentKind, Procedure, ProcedureCase, User

from ..national import converted_rows, converter, require_national_dir
from .conftest import INVENTED
from .excel_helpers import edit

pytestmark = pytest.mark.django_db

# the national levels as the records write them (README of the records)
LEVEL_OF = {"Cấp bộ": "central", "Cấp tỉnh": "province", "Cấp huyện": "district", "Cấp xã": "commune"}


def _sheet_rows(content: bytes) -> list[dict]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    return [
        {h: ("" if v is None else str(v)) for h, v in zip(header, values, strict=True)} for values in rows
    ]


def _import(rows: list[dict]):
    result = CatalogueLoadResource().import_data(rows_dataset(rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        r.error_dict for r in result.invalid_rows
    ]
    return result


def _demo_row(code: str) -> dict:
    """One row of the demo catalogue (real procedures mapped onto the demo province)."""
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return next(row for row in rows if row[excel.COL_CODE] == code)


def test_every_real_record_converts_imports_by_the_command_and_exports_unchanged(tmp_path, client, province):
    folder = require_national_dir()
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/*.json"))]
    rows, losses = converted_rows()
    assert len(records) == len(rows) == 808
    path = tmp_path / "danh-muc-quoc-gia.xlsx"
    converter().write(rows, path)

    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "808 dòng: 808 trường hợp thêm mới, 0 cập nhật, 0 không thay đổi" in out.getvalue()
    assert re.search(r"; \d+\.\d giây\.", out.getvalue())  # the figure a province reads
    assert Procedure.objects.count() == 808
    assert ProcedureCase.objects.filter(is_active=True).count() == 808

    # What the records say arrived where it belongs.
    procedures = {p.code: p for p in Procedure.objects.all()}
    for record in records:
        procedure = procedures[record["ma_thu_tuc"]]
        stated = {LEVEL_OF[lv.strip()] for lv in record["cap_thuc_hien"].split(",") if lv.strip() in LEVEL_OF}
        assert set(procedure.level_list) >= stated, record["ma_thu_tuc"]
        assert (
            procedure.decision_number == record["so_quyet_dinh"].strip()
            or not record["so_quyet_dinh"].strip()
        )
        if re.search(r"KQ\.G\d+\.\d+", record["ket_qua_xu_ly"] or ""):
            assert procedure.result_codes.startswith("KQ."), record["ma_thu_tuc"]
    longest = max(records, key=lambda r: len(r["ten_thu_tuc"]))
    assert len(procedures[longest["ma_thu_tuc"]].name) > 1000  # not cut at 500
    assert Procedure.objects.filter(levels__contains="commune").filter(levels__contains="province").exists()
    assert CaseChannel.objects.values("channel").distinct().count() == 3  # online, counter, post
    # papers to show (xuất trình) apart from papers to file, where the record says so
    showing = set(
        Procedure.objects.filter(cases__documents__kind=DocumentKind.SHOW).values_list("code", flat=True)
    )
    by_code = {r["ma_thu_tuc"]: r for r in records}
    assert showing and all("xuất trình" in by_code[code]["thanh_phan_ho_so"].lower() for code in showing)
    assert (
        not ProcedureCase.objects.filter(processing_time=0).exclude(procedure__immediate_result=True).exists()
    )
    # no agency named: received by level, never by every counter of the province
    assert not Procedure.objects.filter(receiving_agencies__isnull=False).exists()
    lost = Counter()
    for counts in losses.values():
        lost.update(counts.counts)
    assert set(lost) <= set(converter().LOSS_KINDS), set(lost) - set(converter().LOSS_KINDS)

    # Exported back, the file is the one imported, cell for cell.
    exported = _sheet_rows(CatalogueXLSX().export_data(CatalogueResource().export()))
    imported = _sheet_rows(path.read_bytes())
    key = lambda row: (row[excel.COL_CODE], row[excel.COL_CASE_ORDER])  # noqa: E731
    assert sorted(exported, key=key) == sorted(imported, key=key)

    # Imported again unchanged: nothing written.
    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "0 trường hợp thêm mới, 0 cập nhật, 808 không thay đổi, 0 ngừng áp dụng" in out.getvalue()

    # Every public page of the real set answers (no agency, no time, no fee, no papers…).
    for code in procedures:
        response = client.get(f"/thu-tuc/{code}/")
        assert response.status_code == 200, code
    response = client.get("/thu-tuc/?q=dang ky khai sinh")
    assert response.status_code == 200 and "Thủ tục đăng ký khai sinh" in response.content.decode()

    # Every intake page at the provincial centre: the form, or 404 for a procedure it does
    # not receive (a ministry's) — never an error on partial data.
    from motcua.intake_forms import receivable_procedures

    officer = User.objects.get(username="tiepnhan")
    receivable = set(receivable_procedures(officer.agency).values_list("code", flat=True))
    assert 500 < len(receivable) < 808
    client.force_login(officer)
    for code in procedures:
        response = client.get(f"/mot-cua/tiep-nhan/?thu_tuc={code}")
        assert response.status_code == (200 if code in receivable else 404), code


def test_import_catalogue_checks_like_the_admin_and_imports_nothing_on_a_bad_row(tmp_path, province):
    content = CatalogueXLSX().export_data(demo_dataset(INVENTED))
    good = tmp_path / "danh-muc.xlsx"
    good.write_bytes(content)

    out = io.StringIO()
    call_command("import_catalogue", str(good), "--dry-run", stdout=out)
    assert "Tệp hợp lệ (chạy thử: chưa lưu gì)" in out.getvalue()
    assert not Procedure.objects.exists()

    line = 1 + next(i for i, row in enumerate(_sheet_rows(content), 1) if row[excel.COL_CODE] == "1.004873")
    bad = tmp_path / "danh-muc-loi.xlsx"
    bad.write_bytes(edit(content, {(line, excel.COL_TIME): "ba"}))
    err = io.StringIO()
    # CommandError: `manage.py` prints it and exits with status 1.
    with pytest.raises(CommandError, match="không nhập dòng nào"):
        call_command("import_catalogue", str(bad), stderr=err)
    assert f"Dòng {line}, cột «{excel.COL_TIME}»: Thời hạn «ba» không phải là số." in err.getvalue()
    assert not Procedure.objects.exists()

    with pytest.raises(CommandError, match="Chỉ nhận tệp Excel .xlsx"):
        call_command("import_catalogue", str(INVENTED))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("import_catalogue", str(tmp_path / "khong-co.xlsx"))

    call_command("import_catalogue", str(good), stdout=io.StringIO())
    assert Procedure.objects.count() == 34


def test_the_page_of_a_procedure_with_no_competent_agency_and_a_step_with_no_agency(client, province):
    """The page that answered 500 (issue 17): 1.001193 names no competent agency and its
    steps no unit; the template's `default:` filter raised VariableDoesNotExist."""
    row = _demo_row("1.001193")
    assert row[excel.COL_COMPETENT] == "" and row[excel.COL_RECEIVING] == ""
    assert any(line.split(" | ")[1] == "" for line in row[excel.COL_STEPS].splitlines())
    _import([row])
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.competent_agency is None
    assert procedure.cases.get().steps.filter(agency=None).exists()

    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in page
    assert "Thẩm định, xử lý hồ sơ" in page  # the step without a unit is listed
    assert "Ủy ban nhân dân cấp xã" in page  # where it is filed, in words, for a procedure received by level


def test_cases_absent_from_a_file_are_withdrawn_not_left_beside_the_new_ones(client, province):
    row = _demo_row("1.004873")
    first = {**row, excel.COL_CASE_ORDER: "1", excel.COL_CASE_NAME: "Trường hợp cũ"}
    second = {**row, excel.COL_CASE_ORDER: "2", excel.COL_CASE_NAME: "Trường hợp thứ hai"}
    _import([first, second])
    old = ProcedureCase.objects.get(procedure__code="1.004873", order=1)

    result = _import([second, {**row, excel.COL_CASE_ORDER: "3", excel.COL_CASE_NAME: "Trường hợp mới"}])
    assert [(code, order) for code, order, _name in result.deactivated_cases] == [("1.004873", 1)]
    old.refresh_from_db()  # kept (dossiers may point at it), no longer offered
    assert old.is_active is False
    active = ProcedureCase.objects.filter(procedure__code="1.004873", is_active=True)
    assert sorted(active.values_list("order", flat=True)) == [2, 3]
    page = client.get("/thu-tuc/1.004873/").content.decode()
    assert "Trường hợp mới" in page and "Trường hợp cũ" not in page


def test_a_procedure_with_no_stated_time_is_not_due_at_receipt_it_cannot_be_received(client, province):
    from motcua.services.intake import Applicant, dossier_receive

    row = {**_demo_row("1.004873"), excel.COL_TIME: excel.NOT_STATED, excel.COL_CHANNELS: ""}
    _import([row])
    case = ProcedureCase.objects.get(procedure__code="1.004873")
    assert case.processing_time is None  # "not stated", not 0 (due at the moment of receipt)

    page = client.get("/thu-tuc/1.004873/").content.decode()
    assert "Chưa hẹn được: văn bản công bố chưa quy định thời hạn giải quyết" in page
    officer = User.objects.get(username="tiepnhan")
    with pytest.raises(ValidationError) as refused:
        dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=officer.agency,
            actor=officer,
            applicant=Applicant(name="Nguyễn Văn An", phone="0912345678"),
            documents=[],
        )
    assert refused.value.code == "case_not_receivable"
    assert "chưa có thời hạn giải quyết trong danh mục" in refused.value.messages[0]
    # the counter sees why before filling anything in
    client.force_login(officer)
    page = client.get("/mot-cua/tiep-nhan/?thu_tuc=1.004873").content.decode()
    assert 'role="alert"><strong>Thủ tục (trường hợp) này chưa có thời hạn giải quyết' in page


def test_a_blank_receiving_agency_means_the_procedures_levels_not_every_counter(province):
    from motcua.intake_forms import receivable_procedures

    commune_row = {**_demo_row("1.004873"), excel.COL_LEVEL: "Cấp xã", excel.COL_RECEIVING: ""}
    province_row = {**_demo_row("1.001193"), excel.COL_CODE: "2.000001", excel.COL_LEVEL: "Cấp tỉnh"}
    ministry_row = {**_demo_row("1.001193"), excel.COL_CODE: "2.000002", excel.COL_LEVEL: "Cấp bộ"}
    for row in (province_row, ministry_row):
        row[excel.COL_RECEIVING] = ""
        row[excel.COL_COMPETENT] = ""
    _import([commune_row, province_row, ministry_row])

    def codes(agency_code):
        return set(receivable_procedures(Agency.objects.get(code=agency_code)).values_list("code", flat=True))

    assert codes("000.17.22.H99") == {"1.004873"}  # a commune: its level's procedure only
    assert codes("000.00.11.H99") == {"2.000001"}  # a department: the provincial one
    assert codes("000.00.06.H99") == {"1.004873", "2.000001"}  # the centre: every local level
    # a ministry-level procedure with no agency named is published, received nowhere here
    assert all("2.000002" not in codes(a.code) for a in Agency.objects.exclude(code=None).exclude(code=""))
