"""The catalogue import file is checked before import-export reads it: its size, that its
bytes are an Excel workbook (.xlsx is a ZIP holding xl/workbook.xml) whatever its name, and
its unpacked size and rows and columns (core.xlsx.check_workbook_bounds, limits in settings).
The number of data rows is kept on the upload (`data_rows`): a long file is imported by a
background task (thutuc.catalogue.jobs)."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.xlsx import WorkbookTooLarge, check_workbook_bounds


def max_import_mb() -> int:
    return int(getattr(settings, "CATALOGUE_IMPORT_MAX_MB", 5))


def validate_import_file(uploaded) -> None:
    max_mb = max_import_mb()
    if uploaded.size > max_mb * 1024 * 1024:
        raise ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": max_mb}, code="too_large")
    uploaded.seek(0)
    is_workbook = False
    if uploaded.read(4) == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(uploaded) as archive:
                is_workbook = "xl/workbook.xml" in archive.namelist()
        except (zipfile.BadZipFile, OSError):
            is_workbook = False
    uploaded.seek(0)
    if not is_workbook:
        raise ValidationError(
            _("Tệp không phải bảng tính Excel (.xlsx). Vui lòng dùng tệp xuất từ danh mục hoặc mẫu nhập."),
            code="not_xlsx",
        )
    try:
        uploaded.data_rows = check_workbook_bounds(
            uploaded,
            max_rows=settings.CATALOGUE_IMPORT_MAX_ROWS,
            max_columns=settings.IMPORT_MAX_COLUMNS,
            max_unpacked_mb=settings.IMPORT_MAX_UNPACKED_MB,
        )
    except WorkbookTooLarge as error:
        raise ValidationError(str(error), code="too_large") from None
    except Exception:  # broken XML inside the ZIP: the same answer as a broken file
        raise ValidationError(
            _("Không đọc được tệp: tệp trống, hỏng hoặc không phải tệp Excel .xlsx."), code="unreadable"
        ) from None
    finally:
        uploaded.seek(0)


# Form templates (mẫu đơn, tờ khai) attached to a paper of the catalogue: downloaded by
# citizens from /thu-tuc/mau-don/<id>/, so only document formats, recognised by their bytes.
TEMPLATE_MAX_MB = 10
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
_ZIP_MEMBERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "odt": "content.xml"}


def _template_kind(uploaded) -> str | None:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head == _OLE2:
        return "ole2"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            uploaded.seek(0)
        for kind, member in _ZIP_MEMBERS.items():
            if member in names:
                return kind
    return None


def validate_form_template(uploaded) -> None:
    """A PDF, Word (.docx, .doc), Excel (.xlsx, .xls) or OpenDocument text file whose bytes
    match its extension, at most TEMPLATE_MAX_MB."""
    name = getattr(uploaded, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if uploaded.size > TEMPLATE_MAX_MB * 1024 * 1024:
        raise ValidationError(_("Tệp lớn hơn %(mb)s MB.") % {"mb": TEMPLATE_MAX_MB}, code="too_large")
    kind = _template_kind(uploaded)
    expected = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "odt": "odt", "doc": "ole2", "xls": "ole2"}
    if kind is None or expected.get(extension) != kind:
        raise ValidationError(
            _(
                "Mẫu đơn, tờ khai phải là tệp PDF, Word (.docx, .doc), Excel (.xlsx, .xls) "
                "hoặc .odt đúng định dạng."
            ),
            code="bad_template",
        )
