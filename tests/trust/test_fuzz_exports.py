# ruff: noqa: F811  (the `world` fixture is imported, then requested by name)
"""Formula injection in every Excel export: a user string starting with =, +, -, @ is
written as a text cell (data type "s"), never as a formula (core.xlsx)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.khieunai.factories import log_call
from thutuc.models import Agency, User

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x.example","bấm")',
    "=cmd|' /C calc'!A0",
    "+84912",
    "-2+3",
    "@SUM(A1)",
]
CONTROL = "Tên\x01có\x0bký tự điều khiển"


def formulas_and_texts(content: bytes) -> tuple[list, set]:
    book = load_workbook(io.BytesIO(content))
    formulas, texts = [], set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append((sheet.title, cell.coordinate, cell.value))
                elif cell.data_type == "s" and isinstance(cell.value, str):
                    texts.add(cell.value)
    return formulas, texts


def assert_safe(content: bytes, *expected: str):
    formulas, texts = formulas_and_texts(content)
    assert not formulas, f"cells written as formulas: {formulas}"
    for value in expected:
        assert any(value in text for text in texts), f"{value!r} missing from the export"


def test_helper_writes_every_prefix_as_text():
    from openpyxl import Workbook

    from core.xlsx import text_row

    for write_only in (False, True):
        book = Workbook(write_only=write_only)
        sheet = book.create_sheet("x") if write_only else book.active
        sheet.append(text_row(sheet, [*PAYLOADS, CONTROL, 7]))
        out = io.BytesIO()
        book.save(out)
        formulas, texts = formulas_and_texts(out.getvalue())
        assert not formulas and set(PAYLOADS) <= texts and "Têncóký tự điều khiển" in texts


def test_register_export(world, client):
    world.dossier(applicant_name=PAYLOADS[1], applicant_address=PAYLOADS[2], applicant_phone="+84912")
    client.force_login(world.reception)
    response = client.get("/mot-cua/so-theo-doi/so-theo-doi.xlsx", {"nam": "2026"})
    assert response.status_code == 200
    assert_safe(response.content, PAYLOADS[1], PAYLOADS[2])


@pytest.fixture
def giamdoc(province, client):
    user = User.objects.get(username="giamdoc")
    client.force_login(user)
    return user


def test_hotline_export(giamdoc, client):
    today = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {
        "started_at": today,
        # a name has letters and a phone is a Vietnamese number (core.identity), both may
        # still start like a formula
        "caller_name": PAYLOADS[1],
        "caller_phone": "+84912345678",
        "topic": PAYLOADS[5],
        "summary": PAYLOADS[2],
        "duration": "1:00",
        "outcome": "answered",
        "line": "-1",
    }
    assert client.post("/duong-day-nong/", data).status_code == 302
    day = timezone.localdate().isoformat()
    response = client.get("/duong-day-nong/xuat-excel/", {"tu": day, "den": day})
    assert_safe(response.content, PAYLOADS[1], PAYLOADS[5], PAYLOADS[2], "+84912345678")


def test_feedback_list_export(giamdoc, client):
    data = {
        "kind": "feedback",
        "channel": "counter",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "title": PAYLOADS[1],
        "content": PAYLOADS[0],
        "submitter_name": "@Nguyễn",
    }
    assert client.post("/khieu-nai/vao-so/", data).status_code == 302
    response = client.get("/khieu-nai/", {"xuat": "xlsx"})
    assert_safe(response.content, PAYLOADS[1], "@Nguyễn")


def test_citizen_reception_export(giamdoc, client):
    data = {
        "received_on": timezone.localdate().isoformat(),
        "citizen_name": PAYLOADS[1],  # a name has letters (core.identity)
        "address": PAYLOADS[3],
        "people_count": "1",
        "content": PAYLOADS[2],
        "outcome": PAYLOADS[5],
        "request": CONTROL,
    }
    assert client.post("/tiep-cong-dan/them/", data).status_code == 302
    response = client.get("/tiep-cong-dan/", {"xuat": "xlsx"})
    assert_safe(response.content, PAYLOADS[1], PAYLOADS[2], PAYLOADS[5], "Têncóký tự điều khiển")


def test_catalogue_export(province, client):
    from tests.motcua.factories import CaseFactory

    CaseFactory(
        procedure__name=PAYLOADS[2],
        procedure__code="=1+1",
        name="@case",
        documents=[(PAYLOADS[1], 1, 0, 0, True)],
    )
    client.force_login(User.objects.get(username="quantri"))
    response = client.get(reverse("admin:thutuc_procedure_export_excel"))
    assert response.status_code == 200
    assert_safe(response.content, PAYLOADS[2], "=1+1")


def test_statistics_drill_down_and_report_exports(
    world, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    from baocao import services as bc

    settings.MEDIA_ROOT = tmp_path
    world.case.procedure.name = PAYLOADS[0]
    world.case.procedure.save()
    world.case.procedure.field.name = "=cmd|' /C calc'!A0"
    world.case.procedure.field.save()
    world.department.name = "+Sở Tư pháp"
    world.department.save()
    world.dossier()
    client.force_login(User.objects.get(username="sonoivu"))
    query = {"kind": "year", "year": "2026", "grouping": "field", "role": "competent"}
    drill = client.get("/bao-cao/thong-ke/ho-so/", {**query, "col": "3", "format": "xlsx"})
    assert drill.status_code == 200
    assert_safe(drill.content, PAYLOADS[0], "=cmd|' /C calc'!A0")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/bao-cao/thong-ke/xuat/xlsx/", {**query, "agency": str(world.department.pk)})
    assert response.status_code == 302
    from baocao.models import ReportExport

    export = ReportExport.objects.order_by("-pk").first()
    assert_safe(export.file.read(), "=cmd|' /C calc'!A0", "+Sở Tư pháp")
    leader = User.objects.get(username="lanhdao")
    report = bc.report_create(
        agency=Agency.objects.get(pk=world.department.pk), year=2026, quarter=1, actor=leader
    )
    client.force_login(leader)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/bao-cao/quy/{report.pk}/xuat/xlsx/").status_code == 302
    export = ReportExport.objects.order_by("-pk").first()
    assert_safe(export.file.read(), "+Sở Tư pháp")


def test_hotline_service_refuses_nothing_but_export_stays_text(giamdoc, client):
    log_call(giamdoc, started_at=timezone.now(), line="@1", topic="-1", summary="=1", outcome="answered")
    day = timezone.localdate().isoformat()
    assert_safe(client.get("/duong-day-nong/xuat-excel/", {"tu": day, "den": day}).content, "@1", "-1", "=1")
