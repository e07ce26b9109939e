"""Import of dossiers from the previous one-stop system (CSV UTF-8 or XLSX).

Every row is validated first; a single bad row means nothing is imported and the
caller gets every row number with its reasons. Imported dossiers keep their old code,
get the next register numbers of their agency and year (in order of receipt), one IMPORT
event, and a PIN hash of a random PIN that is thrown away: nobody knows it, so tracking
starts only when the counter reissues a PIN (which prints a new receipt)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import dates, pins
from core.xlsx import FormulaInFile, WorkbookTooLarge, check_no_formulas, check_workbook_bounds
from thutuc.calendar import TZ
from thutuc.catalogue.versions import case_version_for
from thutuc.models import Agency, Procedure

from ..models import (
    NATIONAL_STATUS_CODE,
    Channel,
    Dossier,
    DossierEvent,
    EventAction,
    Outcome,
    SequenceKind,
    Status,
)
from ..models.dossier import FINISHED_STATUSES
from .codes import next_yearly_number, parse_dossier_code, raise_daily_floor

HEADER = [
    "code",
    "procedure_code",
    "agency_code",
    "channel",
    "applicant_name",
    "applicant_phone",
    "received_at",
    "due_at",
    "status",
    "finished_at",
    "returned_at",
]
TIME_FORMAT = "%Y-%m-%d %H:%M"
STATUS_BY_NATIONAL_CODE = {code: status for status, code in NATIONAL_STATUS_CODE.items()}
OUTCOME_BY_STATUS = {
    Status.WITHDRAWN: Outcome.WITHDRAWN,
    Status.STOPPED: Outcome.STOPPED,
    Status.RESULT_READY: Outcome.APPROVED,
    Status.RETURNED: Outcome.APPROVED,
}


class ImportRejected(Exception):
    """The file has errors: `errors` is a list of (row number, [reasons])."""

    def __init__(self, errors: list[tuple[int, list[str]]]):
        super().__init__(f"{len(errors)} dòng có lỗi")
        self.errors = errors


@dataclass
class Row:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[Row]:
    """Rows of the file as dicts of stripped strings (or datetimes from Excel cells). The
    file's size, rows and columns are checked against the limits in settings before it is
    parsed (issue 14 §5)."""
    max_rows, max_columns = settings.DOSSIER_IMPORT_MAX_ROWS, settings.IMPORT_MAX_COLUMNS
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            check_workbook_bounds(
                path,
                max_rows=max_rows,
                max_columns=max_columns,
                max_unpacked_mb=settings.IMPORT_MAX_UNPACKED_MB,
            )
            check_no_formulas(path)
            sheet = load_workbook(path, read_only=True, data_only=True).active
            lines = [list(row) for row in sheet.iter_rows(values_only=True)]
        except (FormulaInFile, WorkbookTooLarge) as refused:  # (ValueErrors: caught before the others)
            raise ImportRejected([(1, [str(refused)])]) from None
        except (
            zipfile.BadZipFile,
            InvalidFileException,
            ET.ParseError,
            KeyError,
            OSError,
            ValueError,
            TypeError,
        ):
            # random bytes, a CSV or another archive renamed .xlsx, an empty file
            raise ImportRejected([(1, ["Tệp không phải là tệp Excel .xlsx hợp lệ."])]) from None
    else:
        size_mb = path.stat().st_size / 1024 / 1024
        if size_mb > settings.IMPORT_MAX_UNPACKED_MB:
            raise ImportRejected(
                [(1, [f"Tệp {size_mb:.0f} MB, vượt giới hạn {settings.IMPORT_MAX_UNPACKED_MB} MB."])]
            )
        text = path.read_bytes().decode("utf-8-sig")
        lines = []
        for line in csv.reader(io.StringIO(text)):
            if len(line) > max_columns:
                raise ImportRejected(
                    [(len(lines) + 1, [f"Dòng dài hơn {max_columns} cột (giới hạn {max_columns} cột)."])]
                )
            lines.append(line)
            if len(lines) > max_rows + 1:
                raise ImportRejected(
                    [(len(lines), [f"Tệp có hơn {max_rows} dòng hồ sơ (giới hạn {max_rows} dòng)."])]
                )
    if not lines:
        raise ImportRejected([(1, ["Tệp trống."])])
    header = [str(cell or "").strip().lower() for cell in lines[0]]
    if header[: len(HEADER)] != HEADER:
        raise ImportRejected([(1, [f"Dòng tiêu đề phải là: {', '.join(HEADER)}."])])
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = [("" if cell is None else cell) for cell in line]
        if not any(str(cell).strip() for cell in cells):
            continue  # blank line
        cells += [""] * (len(HEADER) - len(cells))
        values = {
            name: cell.strip() if isinstance(cell, str) else cell
            for name, cell in zip(HEADER, cells, strict=False)
        }
        row = Row(number, values)
        for name, value in values.items():
            if isinstance(value, str) and "\x00" in value:  # PostgreSQL refuses NUL in text
                values[name] = value.replace("\x00", "")
                row.errors.append(f"cột {name} chứa ký tự NUL không hợp lệ")
        rows.append(row)
    if not rows:
        raise ImportRejected([(2, ["Tệp không có dòng hồ sơ nào."])])
    return rows


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_time(
    row: Row, name: str, label: str, *, required: bool, happened: bool = True
) -> dt.datetime | None:
    """A moment of the row; a moment that `happened` (receipt, end) is not in the future, and
    every moment lies in the plausible range of core.dates (issue 14 §2)."""
    value = row.values.get(name)
    if value in ("", None):
        if required:
            row.errors.append(f"thiếu {label}")
        return None
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=TZ) if value.tzinfo is None else value
    else:
        try:
            moment = dt.datetime.strptime(_as_text(value), TIME_FORMAT).replace(tzinfo=TZ)
        except ValueError:
            row.errors.append(f"{label} “{value}” không đúng dạng YYYY-MM-DD HH:MM")
            return None
    try:
        (dates.check_happened if happened else dates.check_in_range)(moment, what=label)
    except ValidationError as error:
        row.errors.append(error.messages[0].rstrip("."))
        return None
    return moment


def validate(rows: list[Row]) -> list[dict]:
    """Check every row; raise ImportRejected with all problems, or return clean records."""
    procedures = {
        p.code: p
        for p in Procedure.objects.filter(code__in={_as_text(r.values["procedure_code"]) for r in rows})
        .select_related("competent_agency")
        .prefetch_related("cases")
    }
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={_as_text(r.values["agency_code"]) for r in rows})
    }
    codes = [_as_text(r.values["code"]) for r in rows]
    in_database = set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
    seen: dict[str, int] = {}
    records = []
    for row in rows:
        v = {
            name: _as_text(value) if not isinstance(value, dt.datetime) else value
            for name, value in row.values.items()
        }
        code = v["code"]
        procedure = procedures.get(v["procedure_code"])
        agency = agencies.get(v["agency_code"])
        if not procedure:
            row.errors.append(f"mã thủ tục “{v['procedure_code']}” không có trong danh mục")
        elif not procedure.cases.all():
            row.errors.append(f"thủ tục {procedure.code} chưa có trường hợp nào trong danh mục")
        elif procedure.cases.all()[0].processing_time is None:
            # The dossier keeps the case's terms (thutuc.models.case_versions): they need a time.
            row.errors.append(f"thủ tục {procedure.code} chưa có thời hạn giải quyết trong danh mục")
        if not agency:
            row.errors.append(f"mã cơ quan “{v['agency_code']}” không có trong danh mục")
        elif not agency.can_receive_dossiers:
            row.errors.append(f"cơ quan {agency.code} đã ngừng hoạt động")
        parsed = parse_dossier_code(code)
        if parsed is None:
            row.errors.append(f"mã hồ sơ “{code}” không đúng dạng <mã định danh>-YYMMDD-NNNN")
        elif parsed[0] != v["agency_code"]:
            row.errors.append("mã hồ sơ không bắt đầu bằng mã định danh của cơ quan tiếp nhận")
        if code in seen:
            row.errors.append(f"mã hồ sơ trùng với dòng {seen[code]}")
        elif code:
            seen[code] = row.number
        if code in in_database:
            row.errors.append("mã hồ sơ đã có trong hệ thống")
        if v["channel"] not in Channel.values:
            row.errors.append(f"kênh “{v['channel']}” phải là direct, online hoặc postal")
        if not v["applicant_name"]:
            row.errors.append("thiếu tên người nộp")
        received_at = _parse_time(row, "received_at", "thời điểm tiếp nhận", required=True)
        due_at = _parse_time(row, "due_at", "hạn trả kết quả", required=True, happened=False)
        finished_at = _parse_time(row, "finished_at", "thời điểm xử lý xong", required=False)
        returned_at = _parse_time(row, "returned_at", "thời điểm trả kết quả", required=False)
        status = None
        try:
            status = STATUS_BY_NATIONAL_CODE[int(v["status"])]
        except (ValueError, KeyError):
            row.errors.append(f"trạng thái “{v['status']}” phải là mã quốc gia từ 1 đến 10")
        if status is not None:
            if status in FINISHED_STATUSES and row.values.get("finished_at") in ("", None):
                row.errors.append(f"trạng thái {v['status']} cần thời điểm xử lý xong (finished_at)")
            if status not in FINISHED_STATUSES and row.values.get("finished_at") not in ("", None):
                row.errors.append(
                    f"hồ sơ trạng thái {v['status']} chưa xử lý xong: finished_at phải để trống"
                )
            if status == Status.RETURNED and row.values.get("returned_at") in ("", None):
                row.errors.append("trạng thái 10 cần thời điểm trả kết quả (returned_at)")
            if status != Status.RETURNED and row.values.get("returned_at") not in ("", None):
                row.errors.append(
                    f"hồ sơ trạng thái {v['status']} chưa trả kết quả: returned_at phải để trống"
                )
        if received_at and parsed and parsed[1] != received_at.date():
            row.errors.append("ngày trong mã hồ sơ khác ngày tiếp nhận")
        if received_at and due_at and due_at < received_at:
            row.errors.append("hạn trả kết quả trước thời điểm tiếp nhận")
        if received_at and finished_at and finished_at < received_at:
            row.errors.append("thời điểm xử lý xong trước thời điểm tiếp nhận")
        if finished_at and returned_at and returned_at < finished_at:
            row.errors.append("thời điểm trả kết quả trước thời điểm xử lý xong")
        if not row.errors:
            records.append(
                {
                    "row": row.number,
                    "code": code,
                    "procedure": procedure,
                    "agency": agency,
                    "channel": v["channel"],
                    "applicant_name": v["applicant_name"],
                    "applicant_phone": v["applicant_phone"],
                    "received_at": received_at,
                    "due_at": due_at,
                    "status": status,
                    "finished_at": finished_at,
                    "returned_at": returned_at,
                    "number": parsed[2],
                }
            )
    errors = [(row.number, row.errors) for row in rows if row.errors]
    if errors:
        raise ImportRejected(errors)
    return records


def import_dossiers(*, path: Path, actor=None, dry_run: bool = False) -> list[Dossier]:
    """Validate the whole file, then import it in one transaction (all or nothing)."""
    records = validate(read_rows(path))
    if dry_run:
        return []
    now = timezone.now()
    created = []
    with transaction.atomic():
        # A long transaction: its dossiers' change times may precede the alert scan's
        # watermark by more than its margin when it commits, so the next scan is a full one.
        from ..alerts.scan import reset_scan_watermark

        transaction.on_commit(reset_scan_watermark)
        for record in sorted(records, key=lambda r: (r["agency"].pk, r["received_at"], r["code"])):
            procedure, agency = record["procedure"], record["agency"]
            competent = procedure.competent_agency or agency
            status = record["status"]
            year = timezone.localtime(record["received_at"]).year
            case = procedure.cases.all()[0]
            dossier = Dossier(
                code=record["code"],
                procedure=procedure,
                case=case,
                case_version=case_version_for(case=case, channel=record["channel"]),
                receiving_agency=agency,
                competent_agency=competent,
                current_unit=None if status in FINISHED_STATUSES else competent,
                channel=record["channel"],
                applicant_name=record["applicant_name"],
                applicant_phone=record["applicant_phone"],
                summary=procedure.name[:500],
                received_at=record["received_at"],
                due_at=record["due_at"],
                original_due_at=record["due_at"],
                status=status,
                outcome=OUTCOME_BY_STATUS.get(status, Outcome.NONE),
                finished_at=record["finished_at"],
                returned_at=record["returned_at"],
                # A random PIN nobody learns: the citizen gets one when the counter reissues it.
                pin_hash=pins.hash_pin(record["code"], pins.new_pin()),
                register_year=year,
                register_number=next_yearly_number(
                    agency_id=agency.pk, year=year, kind=SequenceKind.REGISTER
                ),
                is_imported=True,
            )
            dossier.full_clean(validate_unique=False, validate_constraints=False)
            dossier.save()
            DossierEvent.objects.create(
                dossier=dossier,
                at=now,
                actor=actor,
                action=EventAction.IMPORT,
                status_after=status,
                unit_after=dossier.current_unit,
                due_at_after=dossier.due_at,
                note=f"Chuyển từ hệ thống cũ: tệp {path.name}, dòng {record['row']}.",
            )
            # Codes issued by the old system must never be issued again by the counter.
            raise_daily_floor(
                agency_id=agency.pk,
                day=timezone.localtime(record["received_at"]).date(),
                number=record["number"],
            )
            created.append(dossier)
    return created
