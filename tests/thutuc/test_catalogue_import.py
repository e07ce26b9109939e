"""Excel import/export of the catalogue: round trip, preview, per-row errors, all-or-nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from thutuc.catalogue import excel as x
from thutuc.models import Procedure, ProcedureCase, ProcedureDocument, ProcedureFee, ProcedureStep

from .excel_helpers import edit, export_bytes, import_bytes, line_of

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "procedures": sorted(Procedure.objects.values_list("pk", "updated_at", "name")),
        "cases": sorted(
            ProcedureCase.objects.values_list("pk", "processing_time", "processing_unit", "cutoff_time")
        ),
        "documents": sorted(ProcedureDocument.objects.values_list("pk", "name", "originals")),
        "fees": sorted(ProcedureFee.objects.values_list("pk", "amount", "description")),
        "steps": sorted(ProcedureStep.objects.values_list("pk", "name", "allotted_time")),
    }


def test_export_then_import_unchanged_changes_nothing(catalogue):
    before = snapshot()
    content = export_bytes()
    result = import_bytes(content, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0
    assert result.totals["update"] == 0
    assert result.totals["skip"] == ProcedureCase.objects.count() == 38
    assert snapshot() == before  # same rows, same primary keys, updated_at untouched
    # and a second export is byte-for-byte the same data
    assert import_bytes(export_bytes(), dry_run=True).totals["skip"] == 38


def test_export_has_vietnamese_headers_and_one_row_per_case(catalogue):
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes())).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == x.COLUMNS
    assert len(rows) - 1 == ProcedureCase.objects.count()
    birth = [r for r in rows if r[0] == "1.001193"]
    assert [r[x.COLUMNS.index(x.COL_CASE_ORDER)] for r in birth] == ["1", "2"]
    documents = birth[0][x.COLUMNS.index(x.COL_DOCUMENTS)].split("\n")
    assert documents[0] == "Tờ khai đăng ký khai sinh (theo mẫu) | 1 | 0 | 0 | Bắt buộc"


def test_a_changed_cell_updates_only_that_case(catalogue):
    content = export_bytes()
    line = line_of(content, "2.000815")
    other = Procedure.objects.get(code="1.001193")
    edited = edit(
        content,
        {
            (line, x.COL_TIME): "8",
            (line, x.COL_UNIT): "giờ làm việc",
            (line, x.COL_STEPS): "Tiếp nhận | 000.00.06.H99 | Bộ phận một cửa | 8 | giờ làm việc",
        },
    )
    preview = import_bytes(edited, dry_run=True)
    assert preview.totals["update"] == 1 and preview.totals["skip"] == 37
    case = ProcedureCase.objects.get(procedure__code="2.000815")
    assert case.processing_time == 4  # the preview saved nothing
    result = import_bytes(edited, dry_run=False)
    assert result.totals["update"] == 1
    case.refresh_from_db()
    assert (case.processing_time, case.processing_unit) == (Decimal(8), "working_hours")
    assert [s.name for s in case.steps.all()] == ["Tiếp nhận"]
    other.refresh_from_db()
    assert other.updated_at == Procedure.objects.get(code="1.001193").updated_at


def test_bad_row_reports_excel_line_and_reason_and_nothing_is_applied(catalogue):
    content = export_bytes()
    good_line = line_of(content, "1.000656")
    bad_line = line_of(content, "2.000884")
    edited = edit(
        content,
        {
            (good_line, x.COL_NAME): "Đăng ký khai tử (đã sửa)",
            (bad_line, x.COL_FEES): "Phí | -10.000 | Mỗi trường hợp | Thu khi nộp hồ sơ",
        },
    )
    before = snapshot()
    for dry_run in (True, False):
        result = import_bytes(edited, dry_run=dry_run)
        assert result.has_validation_errors()
        [invalid] = result.invalid_rows
        assert invalid.number + 1 == bad_line
        assert invalid.error_dict[x.COL_FEES] == ["Dòng 1 trong ô: mức thu không được âm (đang ghi -10.000)."]
    assert snapshot() == before
    assert Procedure.objects.get(code="1.000656").name == "Đăng ký khai tử"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (x.COL_CODE, "1001193", "Mã thủ tục phải có dạng n.nnnnnn"),
        (x.COL_UNIT, "tuần", "không hợp lệ; chọn một trong"),
        (x.COL_TIME, "năm", "không phải là số"),
        (x.COL_RECEIVING, "000.99.99.H99", "Không có cơ quan mã «000.99.99.H99»"),
        (
            x.COL_STEPS,
            "Xử lý | | Chuyên viên xử lý | 1 | ngày",
            "Không thể cộng ngày theo lịch với ngày/giờ làm việc",
        ),
        (x.COL_STEPS, "Xử lý | | Chuyên viên xử lý | 3 | giờ làm việc", "khác thời hạn giải quyết"),
        (x.COL_FEES, "Lệ phí |  |  | Thu khi nộp hồ sơ", "phải có mức thu hoặc mô tả"),
        (x.COL_DOCUMENTS, "Tờ khai | một | 0 | 0", "phải là số nguyên không âm"),
        (x.COL_CUTOFF, "25:00", "Giờ chốt «25:00» không hợp lệ"),
    ],
)
def test_row_errors_are_in_vietnamese_in_their_column(catalogue, column, value, message):
    content = export_bytes(Procedure.objects.filter(code="2.000884"))
    result = import_bytes(edit(content, {(2, column): value}), dry_run=True)
    [invalid] = result.invalid_rows
    assert invalid.number == 1
    assert any(message in m for m in invalid.error_dict[column]), invalid.error_dict


def test_rows_of_one_procedure_must_agree(catalogue):
    content = export_bytes(Procedure.objects.filter(code="1.001193"))
    result = import_bytes(edit(content, {(3, x.COL_NAME): "Khai sinh (khác)"}), dry_run=True)
    [invalid] = result.invalid_rows
    assert invalid.number + 1 == 3
    assert "Khác với dòng 2" in invalid.error_dict[x.COL_NAME][0]


def test_new_procedure_from_a_row_typed_in_excel(catalogue):
    content = export_bytes(Procedure.objects.filter(code="2.000884"))
    edited = edit(
        content,
        {
            (2, x.COL_CODE): 1.00011,  # Excel turned "1.000110" into a number
            (2, x.COL_NAME): "Thủ tục mới nhập",
            (2, x.COL_FIELD_CODE): "MOI",
            (2, x.COL_FIELD_NAME): "Lĩnh vực mới",
            (2, x.COL_TIME): 2,
            (2, x.COL_UNIT): "ngày làm việc",
            (2, x.COL_CUTOFF): None,
            (2, x.COL_STEPS): "Tiếp nhận | 000.00.06.H99 | Bộ phận một cửa | 4 | giờ làm việc\n"
            "Thẩm định | Phòng Hành chính tư pháp (000.00.11.H99) | Chuyên viên xử lý | 1,5 | ngày làm việc",
            (2, x.COL_FEES): "Lệ phí | 8.000 đồng | | Thu khi trả kết quả",
        },
    )
    result = import_bytes(edited, dry_run=False)
    assert result.totals["new"] == 1, [r.error_dict for r in result.invalid_rows]
    procedure = Procedure.objects.get(code="1.000110")
    assert procedure.field.name == "Lĩnh vực mới"
    assert procedure.search_text.startswith("1.000110 thu tuc moi nhap")
    case = procedure.cases.get()
    assert [s.agency.name for s in case.steps.all()] == [
        "Trung tâm Phục vụ hành chính công tỉnh Minh Sơn",
        "Phòng Hành chính tư pháp",
    ]
    fee = case.fees.get()
    assert (fee.amount, fee.collected) == (Decimal(8000), "after")
    # and exporting it again then importing changes nothing
    assert (
        import_bytes(export_bytes(Procedure.objects.filter(pk=procedure.pk)), dry_run=False).totals["skip"]
        == 1
    )


def test_paper_templates_survive_a_reimport_that_reorders_papers(catalogue):
    from django.core.files.base import ContentFile

    case = ProcedureCase.objects.get(procedure__code="1.004873")
    first = case.documents.first()
    first.template.save("to-khai.docx", ContentFile(b"mau"), save=True)
    content = export_bytes(Procedure.objects.filter(code="1.004873"))
    lines = content  # reorder the papers in the cell
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(lines)).worksheets[0]
    papers = sheet.cell(row=2, column=x.COLUMNS.index(x.COL_DOCUMENTS) + 1).value.split("\n")
    edited = edit(content, {(2, x.COL_DOCUMENTS): "\n".join(reversed(papers))})
    assert import_bytes(edited, dry_run=False).totals["update"] == 1
    first.refresh_from_db()
    assert first.template.name and first.order == len(papers)
    first.template.delete(save=False)


# --- through the admin -----------------------------------------------------------------------


def _upload(client, content, name="danh-muc.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("admin:thutuc_procedure_import"), {"import_file": upload, "format": "0"})


def test_admin_export_import_preview_and_confirm(catalogue, client, login):
    login("quantri")
    response = client.get(
        reverse("admin:thutuc_procedure_export_excel")
        + "?field__id__exact="
        + str(Procedure.objects.get(code="1.001193").field_id)
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="danh-muc-thu-tuc-')
    content = response.content
    before = snapshot()

    preview = _upload(client, content)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Xem trước" in page and "Không đổi" in page and "Cập nhật" not in page
    assert "Xác nhận nhập" in page
    confirm = preview.context["confirm_form"]
    response = client.post(reverse("admin:thutuc_procedure_process_import"), confirm.initial)
    assert response.status_code == 302
    assert snapshot() == before


def test_admin_preview_shows_bad_row_and_offers_no_confirm(catalogue, client, login):
    login("quantri")
    content = export_bytes()
    bad_line = line_of(content, "1.009794")
    response = _upload(client, edit(content, {(bad_line, x.COL_TIME): "-15"}))
    page = response.content.decode()
    assert f"Dòng {bad_line}" in page
    assert "Thời hạn không được âm (đang ghi -15)." in page
    assert "Không có thay đổi nào được lưu" in page
    assert "Xác nhận nhập" not in page
    assert ProcedureCase.objects.get(procedure__code="1.009794").processing_time == 15


def test_reception_officer_cannot_import(catalogue, client, login):
    login("tiepnhan")
    response = client.get(reverse("admin:thutuc_procedure_import"))
    assert response.status_code in (302, 403)
