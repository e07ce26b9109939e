"""Issue 14 §5: a catalogue workbook is measured before it is parsed (unpacked size, rows,
columns, limits in settings); a long one is checked and imported by a Celery task whose page
shows its progress, then the check's totals and errors and a confirm button."""

import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.concurrency import at_once, raised
from thutuc.catalogue import excel as x
from thutuc.catalogue import jobs
from thutuc.models import ImportJob, ImportJobStatus, Procedure, ProcedureCase

from .excel_helpers import edit, export_bytes, line_of

pytestmark = pytest.mark.django_db


def _upload(client, content, name="danh-muc.xlsx"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("admin:thutuc_procedure_import"), {"import_file": upload, "format": "0"})


def inline_sheet(rows: int, columns: int, *, dimension: str = "") -> bytes:
    """An .xlsx of `rows` × `columns` inline-string cells, written as raw XML (as an attacker
    would: it compresses to a few dozen KB)."""
    letters = [chr(65 + c) for c in range(columns)]
    body = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{letter}{r}" t="inlineStr"><is><t>x</t></is></c>' for letter in letters)
        + "</row>"
        for r in range(1, rows + 1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{body}</sheetData></worksheet>",
        )
    return out.getvalue()


def test_the_attack_workbook_is_refused_before_parsing(province, client, login):
    """20,000 rows × 20 inline cells (ran 60 s and killed the worker): refused at once, with
    the limit from settings, and no import job."""
    login("quantri")
    content = inline_sheet(20_000, 20)
    response = _upload(client, content)
    assert response.status_code == 200
    assert "hơn 5000 dòng dữ liệu (giới hạn 5000 dòng)" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "setting", "message"),
    [
        (inline_sheet(12, 3), {"CATALOGUE_IMPORT_MAX_ROWS": 10}, "hơn 10 dòng dữ liệu"),
        (inline_sheet(2, 8), {"IMPORT_MAX_COLUMNS": 5}, "dài hơn 5 cột"),
        (inline_sheet(2, 2, dimension="A1:B900000"), {}, "hơn 5000 dòng dữ liệu"),  # declared
        (inline_sheet(2, 2, dimension="A1:XFD2"), {}, "dài hơn 50 cột"),
    ],
)
def test_rows_columns_and_declared_range_from_settings(
    province, client, login, settings, content, setting, message
):
    for name, value in setting.items():
        setattr(settings, name, value)
    login("quantri")
    response = _upload(client, content)
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_cell_far_away_is_refused(province, client, login):
    """One cell at XFD1048576 makes a reader pad every row to 16,384 columns."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
            '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
            "</sheetData></worksheet>",
        )
    login("quantri")
    assert "dài hơn 50 cột" in _upload(client, out.getvalue()).content.decode()


def test_unpacked_size_from_settings(province, client, login, settings):
    settings.IMPORT_MAX_UNPACKED_MB = 1
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/sharedStrings.xml", b" " * (3 * 1024 * 1024))  # 3 MB → a few KB
    login("quantri")
    response = _upload(client, out.getvalue())
    assert "vượt giới hạn 1 MB" in response.content.decode()


# --- the background import --------------------------------------------------------------------


@pytest.fixture
def long_file(catalogue, settings):
    """The sample catalogue's own export, taken as "long" (more rows than the inline limit)."""
    settings.CATALOGUE_IMPORT_INLINE_ROWS = 10
    return export_bytes()


def test_a_long_file_is_checked_then_imported_in_the_background(
    long_file, client, login, django_capture_on_commit_callbacks
):
    login("quantri")
    line = line_of(long_file, "1.009794")
    content = edit(long_file, {(line, x.COL_CASE_NAME): "Trường hợp đổi tên"})
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "admin:thutuc_importjob_change", args=[job.pk]
    )
    assert job.rows == 38 and job.status == ImportJobStatus.CHECKED
    assert job.totals == {"new": 0, "update": 1, "skip": 37, "errors": 0}
    assert ProcedureCase.objects.get(procedure__code="1.009794").name != "Trường hợp đổi tên"  # not yet
    page = client.get(response.url).content.decode()
    assert "0 trường hợp thêm mới, 1 cập nhật, 37 không thay đổi." in page
    assert "Xác nhận nhập" in page and 'http-equiv="refresh"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:thutuc_importjob_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.DONE and not job.file
    assert ProcedureCase.objects.get(procedure__code="1.009794").name == "Trường hợp đổi tên"
    # confirming again imports nothing twice
    response = client.post(reverse("admin:thutuc_importjob_confirm", args=[job.pk]), follow=True)
    assert "không còn chờ xác nhận" in response.content.decode()


def test_a_long_file_with_a_bad_row_imports_nothing_and_lists_it(
    long_file, client, login, django_capture_on_commit_callbacks
):
    login("quantri")
    line = line_of(long_file, "1.009794")
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, edit(long_file, {(line, x.COL_TIME): "-15"}))
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert [line, x.COL_TIME, "Thời hạn không được âm (đang ghi -15)."] in job.errors
    page = client.get(reverse("admin:thutuc_importjob_change", args=[job.pk])).content.decode()
    assert "Thời hạn không được âm (đang ghi -15)." in page and "Xác nhận nhập" not in page
    assert ProcedureCase.objects.get(procedure__code="1.009794").processing_time == 15


def test_the_page_shows_the_progress_while_a_task_runs(long_file, client, login):
    """While the task runs, its progress is in the cache (shared by every process)."""
    from thutuc.models import User

    job = ImportJob.objects.create(
        original_name="danh-muc.xlsx", rows=400, requested_by=User.objects.get(username="quantri")
    )
    cache.set(jobs._progress_key(job.pk), 125, 60)
    login("quantri")
    page = client.get(reverse("admin:thutuc_importjob_change", args=[job.pk])).content.decode()
    assert "Đã xử lý 125 / 400 dòng" in page and 'http-equiv="refresh"' in page
    assert '<progress id="import-progress" max="400" value="125">' in page


def test_the_page_answers_without_progress_when_the_cache_is_unreachable(long_file, client, login):
    from django.test import override_settings

    from tests.conftest import unreachable_caches
    from thutuc.models import User

    job = ImportJob.objects.create(
        original_name="danh-muc.xlsx", rows=400, requested_by=User.objects.get(username="quantri")
    )
    login("quantri")
    with override_settings(CACHES=unreachable_caches()):
        response = client.get(reverse("admin:thutuc_importjob_change", args=[job.pk]))
    assert response.status_code == 200
    assert "Đã xử lý 0 / 400 dòng" in response.content.decode()


def test_the_resource_reports_its_progress(catalogue):
    from thutuc.catalogue.resources import PROGRESS_EVERY, CatalogueResource, CatalogueXLSX

    seen = []
    dataset = CatalogueXLSX().create_dataset(export_bytes())
    CatalogueResource(progress=seen.append).import_data(dataset, dry_run=True)
    assert seen == list(range(PROGRESS_EVERY, 38 + 1, PROGRESS_EVERY))


def test_only_the_catalogue_admin_sees_import_jobs(long_file, client, login):
    job = ImportJob.objects.create(original_name="a.xlsx", rows=100, status=ImportJobStatus.CHECKED)
    login("tiepnhan")
    assert client.get(reverse("admin:thutuc_importjob_change", args=[job.pk])).status_code == 302  # not staff
    response = client.post(reverse("admin:thutuc_importjob_confirm", args=[job.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.CHECKED
    assert Procedure.objects.count() > 0


@pytest.mark.django_db(transaction=True)
def test_confirm_clicked_in_parallel_imports_once(province, settings, monkeypatch):
    """Six confirms of the same checked job at once: one claims it, the others are told it
    no longer waits (PostgreSQL: SQLite serialises writers, the race cannot happen there)."""
    from django.db import connection

    from thutuc.models import User

    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL")
    enqueued = []
    monkeypatch.setattr(jobs, "_enqueue", enqueued.append)  # the broker is not what is tested
    quantri = User.objects.get(username="quantri")
    job = ImportJob.objects.create(original_name="a.xlsx", rows=400, status=ImportJobStatus.CHECKED)
    results = at_once(
        [lambda: jobs.import_job_confirm(job=ImportJob.objects.get(pk=job.pk), actor=quantri)] * 6
    )
    refused = [str(error) for error in raised(results)]
    claimed = [r for r in results if not isinstance(r, Exception)]
    assert len(claimed) == 1 and len(refused) == 5 and enqueued == [job.pk]
    assert all("không còn chờ xác nhận" in message for message in refused)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.APPLYING
