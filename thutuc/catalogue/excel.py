"""The Excel format of the catalogue: one sheet, one row per procedure case.

A procedure with one case is one row; a procedure with several cases has one row per
case, the procedure columns repeated (they must agree). Papers, fees and routing steps
are listed inside their cell, one per line (Alt+Enter in Excel), fields separated by
" | ". `case_to_row` renders a case, `parse_row` reads a row back into a `CatalogueRow`
of normalised plain values; parse_row(case_to_row(case)) describes the case exactly,
which is what makes "an exported file imported unchanged changes nothing" hold.
docs/catalogue.md documents the format for the people who fill it in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from core.text import fold

from ..models.catalogue import (
    FeeCollection,
    FeeKind,
    OnlineLevel,
    ProcedureLevel,
    StepRole,
    TimeUnit,
    validate_procedure_code,
)
from ..validators import validate_agency_code
from .rules import format_number

# Column headers, in file order.
COL_CODE = "Mã thủ tục"
COL_NAME = "Tên thủ tục"
COL_FIELD_CODE = "Mã lĩnh vực"
COL_FIELD_NAME = "Tên lĩnh vực"
COL_LEVEL = "Cấp thực hiện"
COL_RECEIVING = "Cơ quan tiếp nhận"
COL_COMPETENT = "Cơ quan có thẩm quyền"
COL_ONLINE = "Mức độ dịch vụ công trực tuyến"
COL_IMMEDIATE = "Trả kết quả ngay"
COL_ACTIVE = "Đang áp dụng"
COL_SAMPLE = "Dữ liệu mẫu"
COL_RESULT = "Kết quả thực hiện"
COL_REQUIREMENTS = "Yêu cầu, điều kiện"
COL_LEGAL = "Căn cứ pháp lý"
COL_CASE_ORDER = "STT trường hợp"
COL_CASE_NAME = "Tên trường hợp"
COL_TIME = "Thời hạn giải quyết"
COL_UNIT = "Đơn vị thời gian"
COL_CUTOFF = "Giờ chốt nhận hồ sơ"
COL_DOCUMENTS = "Thành phần hồ sơ"
COL_FEES = "Phí, lệ phí"
COL_STEPS = "Quy trình xử lý"

PROCEDURE_COLUMNS = [
    COL_CODE,
    COL_NAME,
    COL_FIELD_CODE,
    COL_FIELD_NAME,
    COL_LEVEL,
    COL_RECEIVING,
    COL_COMPETENT,
    COL_ONLINE,
    COL_IMMEDIATE,
    COL_ACTIVE,
    COL_SAMPLE,
    COL_RESULT,
    COL_REQUIREMENTS,
    COL_LEGAL,
]
CASE_COLUMNS = [
    COL_CASE_ORDER,
    COL_CASE_NAME,
    COL_TIME,
    COL_UNIT,
    COL_CUTOFF,
    COL_DOCUMENTS,
    COL_FEES,
    COL_STEPS,
]
COLUMNS = PROCEDURE_COLUMNS + CASE_COLUMNS

SEP = " | "
YES, NO = "Có", "Không"
MANDATORY, OPTIONAL = "Bắt buộc", "Không bắt buộc"


@dataclass(frozen=True)
class DocumentLine:
    name: str
    originals: int = 1
    certified_copies: int = 0
    photocopies: int = 0
    mandatory: bool = True
    note: str = ""


@dataclass(frozen=True)
class FeeLine:
    kind: str
    amount: Decimal | None
    description: str
    collected: str


@dataclass(frozen=True)
class StepLine:
    name: str
    agency: str  # agency code, "Unit name (parent code)", a unique name, or "" (competent agency)
    role: str
    allotted_time: Decimal
    allotted_unit: str


@dataclass(frozen=True)
class CatalogueRow:
    code: str
    name: str
    field_code: str
    field_name: str
    level: str
    receiving: tuple[str, ...]
    competent: str
    online_level: str
    immediate_result: bool
    is_active: bool
    is_sample: bool
    result: str
    requirements: str
    legal_basis: str
    case_order: int
    case_name: str
    processing_time: Decimal
    processing_unit: str
    cutoff_time: dt.time | None
    documents: tuple[DocumentLine, ...]
    fees: tuple[FeeLine, ...]
    steps: tuple[StepLine, ...]

    def procedure_part(self) -> tuple:
        return tuple(getattr(self, name) for name in PROCEDURE_ATTRS)


# CatalogueRow attribute of each procedure column (used to compare rows of one procedure).
PROCEDURE_ATTRS = {
    "code": COL_CODE,
    "name": COL_NAME,
    "field_code": COL_FIELD_CODE,
    "field_name": COL_FIELD_NAME,
    "level": COL_LEVEL,
    "receiving": COL_RECEIVING,
    "competent": COL_COMPETENT,
    "online_level": COL_ONLINE,
    "immediate_result": COL_IMMEDIATE,
    "is_active": COL_ACTIVE,
    "is_sample": COL_SAMPLE,
    "result": COL_RESULT,
    "requirements": COL_REQUIREMENTS,
    "legal_basis": COL_LEGAL,
}


# --- rendering -----------------------------------------------------------------------------


def agency_label(agency) -> str:
    """How an agency is written in the file: its code; a unit without a code as
    'Name (parent code)'; blank for none."""
    if agency is None:
        return ""
    if agency.code:
        return agency.code
    if agency.parent_id and agency.parent.code:
        return f"{agency.name} ({agency.parent.code})"
    return agency.name


def format_amount(amount) -> str:
    """8000 -> '8.000' (the way amounts in đồng are written in Vietnam)."""
    return f"{int(amount):,}".replace(",", ".")


def _yes(value: bool) -> str:
    return YES if value else NO


def case_to_row(case) -> dict[str, object]:
    """The row of one case. Uses the case's related managers (prefetch them for many)."""
    procedure = case.procedure
    documents = "\n".join(
        SEP.join(
            [
                d.name,
                str(d.originals),
                str(d.certified_copies),
                str(d.photocopies),
                MANDATORY if d.mandatory else OPTIONAL,
                *([d.note] if d.note else []),
            ]
        )
        for d in case.documents.all()
    )
    fees = "\n".join(
        SEP.join(
            [
                str(FeeKind(f.kind).label),
                "" if f.amount is None else format_amount(f.amount),
                f.description,
                str(FeeCollection(f.collected).label),
            ]
        )
        for f in case.fees.all()
    )
    steps = "\n".join(
        SEP.join(
            [
                s.name,
                agency_label(s.agency),
                str(StepRole(s.role).label),
                format_number(s.allotted_time),
                str(TimeUnit(s.allotted_unit).label),
            ]
        )
        for s in case.steps.all()
    )
    return {
        COL_CODE: procedure.code,
        COL_NAME: procedure.name,
        COL_FIELD_CODE: procedure.field.code,
        COL_FIELD_NAME: procedure.field.name,
        COL_LEVEL: str(ProcedureLevel(procedure.level).label),
        COL_RECEIVING: "\n".join(sorted(agency_label(a) for a in procedure.receiving_agencies.all())),
        COL_COMPETENT: agency_label(procedure.competent_agency),
        COL_ONLINE: str(OnlineLevel(procedure.online_level).label),
        COL_IMMEDIATE: _yes(procedure.immediate_result),
        COL_ACTIVE: _yes(procedure.is_active),
        COL_SAMPLE: _yes(procedure.is_sample),
        COL_RESULT: procedure.result,
        COL_REQUIREMENTS: procedure.requirements,
        COL_LEGAL: procedure.legal_basis,
        COL_CASE_ORDER: case.order,
        COL_CASE_NAME: case.name,
        COL_TIME: format_number(case.processing_time).replace(",", "."),
        COL_UNIT: str(TimeUnit(case.processing_unit).label),
        COL_CUTOFF: case.cutoff_time.strftime("%H:%M") if case.cutoff_time else "",
        COL_DOCUMENTS: documents,
        COL_FEES: fees,
        COL_STEPS: steps,
    }


# --- parsing ---------------------------------------------------------------------------------


class _Errors:
    """Collects error messages by column, raised together as one ValidationError."""

    def __init__(self):
        self.by_column: dict[str, list[str]] = {}

    def add(self, column: str, message: str) -> None:
        self.by_column.setdefault(column, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_column:
            raise ValidationError(self.by_column)


def cell_text(value) -> str:
    """A cell as text: None -> '', 12.0 -> '12', times and dates as HH:MM / dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return (
            value.strftime("%H:%M") if value.date() == dt.date(1899, 12, 30) else value.strftime("%d/%m/%Y")
        )
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _lines(value) -> list[str]:
    return [line.strip() for line in cell_text(value).split("\n") if line.strip()]


def parse_code(value) -> str:
    """The procedure code; Excel turns '1.001193' typed into a cell into the number
    1.001193 and drops trailing zeros ('1.000110' -> 1.00011): put them back."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f"{Decimal(str(value)):.6f}"
    return cell_text(value)


def _choice(value, choices, column: str, errors: _Errors, *, default=None) -> str:
    text = fold(cell_text(value))
    if not text and default is not None:
        return default
    for choice_value, label in choices.choices:
        if text in (fold(str(label)), fold(choice_value)):
            return choice_value
    allowed = ", ".join(f"«{label}»" for _v, label in choices.choices)
    errors.add(column, f"Giá trị «{cell_text(value)}» không hợp lệ; chọn một trong: {allowed}.")
    return default or ""


def _bool(value, column: str, errors: _Errors, *, default: bool) -> bool:
    text = fold(cell_text(value))
    if not text:
        return default
    if text in ("co", "x", "1", "true", "yes", "dung", "bat buoc"):
        return True
    if text in ("khong", "0", "false", "no", "sai", "khong bat buoc"):
        return False
    errors.add(column, f"Giá trị «{cell_text(value)}» không hợp lệ; ghi «Có» hoặc «Không».")
    return default


def _decimal(text: str, what: str, column: str, errors: _Errors) -> Decimal | None:
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        errors.add(column, f"{what} «{text}» không phải là số.")
        return None
    if number < 0:
        errors.add(column, f"{what} không được âm (đang ghi {text}).")
        return None
    return number


def _count(text: str, what: str, line_no: int, column: str, errors: _Errors) -> int:
    text = text or "0"
    if not text.isdigit():
        errors.add(column, f"Dòng {line_no} trong ô: số {what} «{text}» phải là số nguyên không âm.")
        return 0
    return int(text)


def parse_documents(value, errors: _Errors) -> tuple[DocumentLine, ...]:
    result = []
    for no, line in enumerate(_lines(value), 1):
        parts = [p.strip() for p in line.split("|")]
        name = parts[0]
        if not name:
            errors.add(COL_DOCUMENTS, f"Dòng {no} trong ô: thiếu tên giấy tờ.")
            continue
        parts += [""] * (6 - len(parts))
        originals = _count(parts[1] or "1", "bản chính", no, COL_DOCUMENTS, errors)
        certified = _count(parts[2], "bản sao chứng thực", no, COL_DOCUMENTS, errors)
        photocopies = _count(parts[3], "bản photo", no, COL_DOCUMENTS, errors)
        sub = _Errors()
        mandatory = _bool(parts[4], COL_DOCUMENTS, sub, default=True)
        for message in sub.by_column.get(COL_DOCUMENTS, []):
            errors.add(COL_DOCUMENTS, f"Dòng {no} trong ô: {message}")
        note = " | ".join(p for p in parts[5:] if p)
        result.append(DocumentLine(name, originals, certified, photocopies, mandatory, note))
    return tuple(result)


def parse_amount(text: str) -> Decimal | None:
    """'8.000', '8,000', '8 000 đồng', '8000' -> Decimal(8000); '' -> None. Raises ValueError."""
    cleaned = re.sub(r"(?i)\s*(đồng|dong|đ|vnd)\s*$", "", text.strip())
    cleaned = re.sub(r"[.,\s]", "", cleaned)
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValueError(text)
    return Decimal(cleaned)


def _collected(text: str, sub: _Errors) -> str:
    folded = fold(text)
    if not folded or "nop" in folded:
        return FeeCollection.BEFORE.value
    if "tra" in folded:
        return FeeCollection.AFTER.value
    sub.add(
        COL_FEES, f"thời điểm thu «{text}» không hợp lệ; ghi «Thu khi nộp hồ sơ» hoặc «Thu khi trả kết quả»."
    )
    return FeeCollection.BEFORE.value


def parse_fees(value, errors: _Errors) -> tuple[FeeLine, ...]:
    result = []
    for no, line in enumerate(_lines(value), 1):
        parts = [p.strip() for p in line.split("|")]
        parts += [""] * (4 - len(parts))
        sub = _Errors()
        kind = _choice(parts[0], FeeKind, COL_FEES, sub)
        amount = None
        if parts[1].startswith("-"):
            sub.add(COL_FEES, f"mức thu không được âm (đang ghi {parts[1]}).")
        else:
            try:
                amount = parse_amount(parts[1])
            except ValueError:
                sub.add(COL_FEES, f"mức thu «{parts[1]}» phải là số tiền (đồng), ví dụ 8.000.")
        description = " | ".join(p for p in parts[2:-1] if p)
        collected = _collected(parts[-1], sub)
        if amount is None and not description and not sub.by_column:
            sub.add(COL_FEES, "phí, lệ phí phải có mức thu hoặc mô tả (ví dụ «Miễn phí»).")
        for message in sub.by_column.get(COL_FEES, []):
            errors.add(COL_FEES, f"Dòng {no} trong ô: {message}")
        result.append(FeeLine(kind, amount, description, collected))
    return tuple(result)


def parse_steps(value, errors: _Errors) -> tuple[StepLine, ...]:
    result = []
    for no, line in enumerate(_lines(value), 1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 5:
            errors.add(
                COL_STEPS,
                f"Dòng {no} trong ô: cần đủ 5 phần «nội dung | cơ quan, đơn vị | vai trò | thời gian | "
                f"đơn vị thời gian», đang có {len(parts)}.",
            )
            continue
        sub = _Errors()
        role = _choice(parts[2], StepRole, COL_STEPS, sub, default=StepRole.SPECIALIST.value)
        unit = _choice(parts[4], TimeUnit, COL_STEPS, sub, default=TimeUnit.WORKING_HOURS.value)
        allotted = _decimal(parts[3], "thời gian", COL_STEPS, sub) if parts[3] else None
        if allotted is None and not sub.by_column:
            sub.add(COL_STEPS, "thiếu thời gian của bước.")
        if not parts[0]:
            sub.add(COL_STEPS, "thiếu nội dung công việc.")
        for message in sub.by_column.get(COL_STEPS, []):
            errors.add(COL_STEPS, f"Dòng {no} trong ô: {message}")
        result.append(
            StepLine(parts[0], parts[1], role, allotted if allotted is not None else Decimal(0), unit)
        )
    return tuple(result)


def parse_time(value, errors: _Errors) -> dt.time | None:
    if isinstance(value, dt.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:  # Excel stores a time as a fraction of a day
        minutes = round(value * 24 * 60)
        return dt.time(minutes // 60, minutes % 60)
    text = cell_text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[:hg.](\d{2})?", text.lower().replace(" ", ""))
    if match and int(match.group(1)) < 24 and int(match.group(2) or 0) < 60:
        return dt.time(int(match.group(1)), int(match.group(2) or 0))
    errors.add(COL_CUTOFF, f"Giờ chốt «{text}» không hợp lệ; ghi dạng 15:00.")
    return None


def parse_row(row: dict) -> CatalogueRow:
    """Read one row (column header -> cell value). Raises ValidationError keyed by column."""
    errors = _Errors()
    missing = [c for c in COLUMNS if c not in row]
    if missing:
        raise ValidationError({NON_FIELD_ERRORS: [f"Thiếu cột: {', '.join(missing)}."]})
    # A column the format does not know would be silently ignored: its data would be lost.
    unknown = [str(c) for c in row if c not in COLUMNS and str(c or "").strip()]
    if unknown:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Cột không thuộc mẫu danh mục: {', '.join(unknown)}. Xóa cột hoặc sửa tên cột."
                ]
            }
        )

    code = parse_code(row[COL_CODE])
    try:
        validate_procedure_code(code)
    except ValidationError as exc:
        errors.add(COL_CODE, f"«{code}»: {exc.messages[0]}" if code else "Thiếu mã thủ tục.")
    name = cell_text(row[COL_NAME])
    if not name:
        errors.add(COL_NAME, "Thiếu tên thủ tục.")
    field_code = cell_text(row[COL_FIELD_CODE])
    if not field_code:
        errors.add(COL_FIELD_CODE, "Thiếu mã lĩnh vực.")
    receiving = tuple(
        sorted({c for line in _lines(row[COL_RECEIVING]) for c in re.split(r"\s*;\s*", line) if c})
    )
    for agency_code in receiving:
        try:
            validate_agency_code(agency_code)
        except ValidationError:
            errors.add(
                COL_RECEIVING, f"«{agency_code}» không phải mã định danh cơ quan (dạng 000.00.06.H99)."
            )

    order_text = cell_text(row[COL_CASE_ORDER]) or "1"
    case_order = int(order_text) if order_text.isdigit() and int(order_text) > 0 else 0
    if not case_order:
        errors.add(COL_CASE_ORDER, f"Số thứ tự trường hợp «{order_text}» phải là số nguyên dương (1, 2, …).")
    time_text = cell_text(row[COL_TIME])
    processing_time = _decimal(time_text, "Thời hạn", COL_TIME, errors) if time_text else None
    if not time_text:
        errors.add(COL_TIME, "Thiếu thời hạn giải quyết.")

    parsed = CatalogueRow(
        code=code,
        name=name,
        field_code=field_code,
        field_name=cell_text(row[COL_FIELD_NAME]),
        level=_choice(row[COL_LEVEL], ProcedureLevel, COL_LEVEL, errors),
        receiving=receiving,
        competent=cell_text(row[COL_COMPETENT]),
        online_level=_choice(
            row[COL_ONLINE], OnlineLevel, COL_ONLINE, errors, default=OnlineLevel.NONE.value
        ),
        immediate_result=_bool(row[COL_IMMEDIATE], COL_IMMEDIATE, errors, default=False),
        is_active=_bool(row[COL_ACTIVE], COL_ACTIVE, errors, default=True),
        is_sample=_bool(row[COL_SAMPLE], COL_SAMPLE, errors, default=False),
        result=cell_text(row[COL_RESULT]),
        requirements=cell_text(row[COL_REQUIREMENTS]),
        legal_basis=cell_text(row[COL_LEGAL]),
        case_order=case_order,
        case_name=cell_text(row[COL_CASE_NAME]),
        processing_time=processing_time if processing_time is not None else Decimal(0),
        processing_unit=_choice(
            row[COL_UNIT], TimeUnit, COL_UNIT, errors, default=TimeUnit.WORKING_DAYS.value
        ),
        cutoff_time=parse_time(row[COL_CUTOFF], errors),
        documents=parse_documents(row[COL_DOCUMENTS], errors),
        fees=parse_fees(row[COL_FEES], errors),
        steps=parse_steps(row[COL_STEPS], errors),
    )
    errors.raise_if_any()
    return parsed
