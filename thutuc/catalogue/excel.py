"""The Excel format of the catalogue: one sheet, one row per procedure case.

A procedure with one case is one row; a procedure with several cases has one row per
case, the procedure columns repeated (they must agree). Papers, fees, routing steps and
per-channel times are listed inside their cell, one per line (Alt+Enter in Excel), fields
separated by " | "; a line "# heading" in a papers cell starts a group of papers.
`case_to_row` renders a case, `parse_row` reads a row back into a `CatalogueRow` of
normalised plain values; parse_row(case_to_row(case)) describes the case exactly, which is
what makes "an exported file imported unchanged changes nothing" hold. docs/catalogue.md
documents the format, column by column, for the people who fill it in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator

from core.text import fold

from ..models.catalogue import (
    Currency,
    DocumentKind,
    FeeCollection,
    FeeKind,
    OnlineLevel,
    ProcedureLevel,
    StepRole,
    SubmissionChannel,
    TimeUnit,
    levels_value,
    validate_procedure_code,
)
from ..validators import validate_agency_code
from .rules import format_fee_amount, format_number

# Column headers, in file order.
COL_CODE = "Mã thủ tục"
COL_NAME = "Tên thủ tục"
COL_FIELD_CODE = "Mã lĩnh vực"
COL_FIELD_NAME = "Tên lĩnh vực"
COL_LEVEL = "Cấp thực hiện"
COL_TYPE = "Loại thủ tục"
COL_APPLICANTS = "Đối tượng thực hiện"
COL_RECEIVING = "Cơ quan tiếp nhận"
COL_COMPETENT = "Cơ quan có thẩm quyền"
COL_COMPETENT_TEXT = "Cơ quan có thẩm quyền (theo công bố)"
COL_IMPLEMENTING_TEXT = "Cơ quan thực hiện (theo công bố)"
COL_AUTHORISED_TEXT = "Cơ quan được ủy quyền"
COL_COORDINATING_TEXT = "Cơ quan phối hợp"
COL_ADDRESS = "Địa chỉ tiếp nhận hồ sơ"
COL_ONLINE = "Mức độ dịch vụ công trực tuyến"
COL_IMMEDIATE = "Trả kết quả ngay"
COL_ACTIVE = "Đang áp dụng"
COL_SAMPLE = "Dữ liệu mẫu"
COL_DECISION = "Số quyết định công bố"
COL_DECISION_DATE = "Ngày quyết định có hiệu lực"
COL_SEQUENCE = "Trình tự thực hiện"
COL_RESULT = "Kết quả thực hiện"
COL_RESULT_CODES = "Mã kết quả"
COL_REQUIREMENTS = "Yêu cầu, điều kiện"
COL_LEGAL = "Căn cứ pháp lý"
COL_RELATED = "Thủ tục liên quan"
COL_SOURCE = "Đường dẫn trên CSDL quốc gia"
COL_CASE_ORDER = "STT trường hợp"
COL_CASE_NAME = "Tên trường hợp"
COL_CASE_ACTIVE = "Trường hợp đang áp dụng"
COL_TIME = "Thời hạn giải quyết"
COL_UNIT = "Đơn vị thời gian"
COL_CUTOFF = "Giờ chốt nhận hồ sơ"
COL_CHANNELS = "Thời hạn theo hình thức nộp"
COL_CHANNEL_DESCRIPTION = "Mô tả cách thức thực hiện"
COL_DOCUMENTS = "Thành phần hồ sơ"
COL_SHOWN = "Giấy tờ xuất trình"
COL_DOCUMENTS_NOTE = "Lưu ý về thành phần hồ sơ"
COL_FEES = "Phí, lệ phí"
COL_STEPS = "Quy trình xử lý"

PROCEDURE_COLUMNS = [
    COL_CODE,
    COL_NAME,
    COL_FIELD_CODE,
    COL_FIELD_NAME,
    COL_LEVEL,
    COL_TYPE,
    COL_APPLICANTS,
    COL_RECEIVING,
    COL_COMPETENT,
    COL_COMPETENT_TEXT,
    COL_IMPLEMENTING_TEXT,
    COL_AUTHORISED_TEXT,
    COL_COORDINATING_TEXT,
    COL_ADDRESS,
    COL_ONLINE,
    COL_IMMEDIATE,
    COL_ACTIVE,
    COL_SAMPLE,
    COL_DECISION,
    COL_DECISION_DATE,
    COL_SEQUENCE,
    COL_RESULT,
    COL_RESULT_CODES,
    COL_REQUIREMENTS,
    COL_LEGAL,
    COL_RELATED,
    COL_SOURCE,
]
CASE_COLUMNS = [
    COL_CASE_ORDER,
    COL_CASE_NAME,
    COL_CASE_ACTIVE,
    COL_TIME,
    COL_UNIT,
    COL_CUTOFF,
    COL_CHANNELS,
    COL_CHANNEL_DESCRIPTION,
    COL_DOCUMENTS,
    COL_SHOWN,
    COL_DOCUMENTS_NOTE,
    COL_FEES,
    COL_STEPS,
]
COLUMNS = PROCEDURE_COLUMNS + CASE_COLUMNS

SEP = " | "
YES, NO = "Có", "Không"
MANDATORY, OPTIONAL = "Bắt buộc", "Không bắt buộc"
NOT_STATED = "Không quy định"
GROUP_MARK = "#"
# Excel holds at most this many characters in a cell; a longer text would be cut when the
# file is opened there.
EXCEL_CELL_LIMIT = 32_767
PRINT_NAME_MAX = 150

# Other ways people (and the national database) write a level or a channel.
LEVEL_ALIASES = {"cap bo": ProcedureLevel.CENTRAL.value, "cap huyen": ProcedureLevel.DISTRICT.value}
CHANNEL_ALIASES = {
    "buu chinh": SubmissionChannel.POSTAL.value,
    "buu chinh cong ich": SubmissionChannel.POSTAL.value,
    "qua buu chinh": SubmissionChannel.POSTAL.value,
    "truc tiep tai bo phan mot cua": SubmissionChannel.DIRECT.value,
}
NOT_STATED_WORDS = {"khong quy dinh", "khong co thong tin", "chua quy dinh"}


@dataclass(frozen=True)
class DocumentLine:
    name: str
    originals: int = 1
    certified_copies: int = 0
    photocopies: int = 0
    mandatory: bool = True
    note: str = ""
    template_name: str = ""
    print_name: str = ""
    group: str = ""
    kind: str = DocumentKind.FILE.value


@dataclass(frozen=True)
class FeeLine:
    kind: str
    amount: Decimal | None
    description: str
    collected: str
    channel: str = ""
    exemptions: str = ""
    currency: str = Currency.VND.value
    per_unit: str = ""
    cap: Decimal | None = None


@dataclass(frozen=True)
class StepLine:
    name: str
    agency: str  # agency code, "Unit name (parent code)", a unique name, or "" (competent agency)
    role: str
    allotted_time: Decimal
    allotted_unit: str


@dataclass(frozen=True)
class ChannelLine:
    channel: str
    processing_time: Decimal | None
    processing_unit: str


@dataclass(frozen=True)
class CatalogueRow:
    code: str
    name: str
    field_code: str
    field_name: str
    levels: str  # levels_value(): "province,commune"
    procedure_type: str
    applicants: str
    receiving: tuple[str, ...]
    competent: str
    competent_text: str
    implementing_text: str
    authorised_text: str
    coordinating_text: str
    receiving_address: str
    online_level: str
    immediate_result: bool
    is_active: bool
    is_sample: bool
    decision_number: str
    decision_date: dt.date | None
    sequence: str
    result: str
    result_codes: str
    requirements: str
    legal_basis: str
    related: str
    source_url: str
    case_order: int
    case_name: str
    case_active: bool
    processing_time: Decimal | None
    processing_unit: str
    cutoff_time: dt.time | None
    channels: tuple[ChannelLine, ...]
    channel_description: str
    documents: tuple[DocumentLine, ...]  # papers to file, then papers to show (kind)
    documents_note: str
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
    "levels": COL_LEVEL,
    "procedure_type": COL_TYPE,
    "applicants": COL_APPLICANTS,
    "receiving": COL_RECEIVING,
    "competent": COL_COMPETENT,
    "competent_text": COL_COMPETENT_TEXT,
    "implementing_text": COL_IMPLEMENTING_TEXT,
    "authorised_text": COL_AUTHORISED_TEXT,
    "coordinating_text": COL_COORDINATING_TEXT,
    "receiving_address": COL_ADDRESS,
    "online_level": COL_ONLINE,
    "immediate_result": COL_IMMEDIATE,
    "is_active": COL_ACTIVE,
    "is_sample": COL_SAMPLE,
    "decision_number": COL_DECISION,
    "decision_date": COL_DECISION_DATE,
    "sequence": COL_SEQUENCE,
    "result": COL_RESULT,
    "result_codes": COL_RESULT_CODES,
    "requirements": COL_REQUIREMENTS,
    "legal_basis": COL_LEGAL,
    "related": COL_RELATED,
    "source_url": COL_SOURCE,
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


def format_time(amount) -> str:
    """A processing time as written in the file: '5', '0.5'; 'Không quy định' when not stated."""
    return NOT_STATED if amount is None else format_number(amount).replace(",", ".")


def levels_label(levels: str) -> str:
    labels = dict(ProcedureLevel.choices)
    return ", ".join(str(labels[level]) for level in levels.split(",") if level in labels)


def _document_line(d) -> str:
    parts = [
        d.name,
        str(d.originals),
        str(d.certified_copies),
        str(d.photocopies),
        MANDATORY if d.mandatory else OPTIONAL,
        d.note,
        d.template_name,
        d.print_name,
    ]
    while len(parts) > 5 and not parts[-1]:
        parts.pop()  # trailing optional parts left out, as people write them
    return SEP.join(parts)


def documents_cell(documents) -> str:
    """Papers one per line; a '# heading' line where the group changes ('#' alone: no group)."""
    lines, group = [], ""
    for d in documents:
        if d.group != group:
            group = d.group
            # "# heading" opens a group; a bare "#" ends it
            lines.append(f"{GROUP_MARK} {group}" if group else GROUP_MARK)
        lines.append(_document_line(d))
    return "\n".join(lines)


def fee_line(f) -> str:
    parts = [
        str(FeeKind(f.kind).label),
        format_fee_amount(f.amount, f.currency, f.per_unit, f.cap),
        f.description,
        str(FeeCollection(f.collected).label),
        str(SubmissionChannel(f.channel).label) if f.channel else "",
        f.exemptions,
    ]
    while len(parts) > 4 and not parts[-1]:
        parts.pop()
    return SEP.join(parts)


def case_to_row(case) -> dict[str, object]:
    """The row of one case. Uses the case's related managers (prefetch them for many)."""
    procedure = case.procedure
    documents = list(case.documents.all())
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
    channels = "\n".join(
        SEP.join(
            [
                str(SubmissionChannel(c.channel).label),
                format_time(c.processing_time),
                str(TimeUnit(c.processing_unit).label) if c.processing_time is not None else "",
            ]
        ).rstrip(" |")
        for c in case.channels.all()
    )
    return {
        COL_CODE: procedure.code,
        COL_NAME: procedure.name,
        COL_FIELD_CODE: procedure.field.code,
        COL_FIELD_NAME: procedure.field.name,
        COL_LEVEL: levels_label(procedure.levels),
        COL_TYPE: procedure.procedure_type,
        COL_APPLICANTS: procedure.applicants,
        COL_RECEIVING: "\n".join(sorted(agency_label(a) for a in procedure.receiving_agencies.all())),
        COL_COMPETENT: agency_label(procedure.competent_agency),
        COL_COMPETENT_TEXT: procedure.competent_agency_text,
        COL_IMPLEMENTING_TEXT: procedure.implementing_agency_text,
        COL_AUTHORISED_TEXT: procedure.authorised_agency_text,
        COL_COORDINATING_TEXT: procedure.coordinating_agency_text,
        COL_ADDRESS: procedure.receiving_address,
        COL_ONLINE: str(OnlineLevel(procedure.online_level).label),
        COL_IMMEDIATE: _yes(procedure.immediate_result),
        COL_ACTIVE: _yes(procedure.is_active),
        COL_SAMPLE: _yes(procedure.is_sample),
        COL_DECISION: procedure.decision_number,
        COL_DECISION_DATE: (
            procedure.decision_effective_date.strftime("%d/%m/%Y")
            if procedure.decision_effective_date
            else ""
        ),
        COL_SEQUENCE: procedure.sequence,
        COL_RESULT: procedure.result,
        COL_RESULT_CODES: procedure.result_codes,
        COL_REQUIREMENTS: procedure.requirements,
        COL_LEGAL: procedure.legal_basis,
        COL_RELATED: procedure.related_procedures,
        COL_SOURCE: procedure.source_url,
        COL_CASE_ORDER: case.order,
        COL_CASE_NAME: case.name,
        COL_CASE_ACTIVE: _yes(case.is_active),
        COL_TIME: format_time(case.processing_time),
        COL_UNIT: str(TimeUnit(case.processing_unit).label),
        COL_CUTOFF: case.cutoff_time.strftime("%H:%M") if case.cutoff_time else "",
        COL_CHANNELS: channels,
        COL_CHANNEL_DESCRIPTION: case.channel_description,
        COL_DOCUMENTS: documents_cell(d for d in documents if d.kind != DocumentKind.SHOW),
        COL_SHOWN: documents_cell(d for d in documents if d.kind == DocumentKind.SHOW),
        COL_DOCUMENTS_NOTE: case.documents_note,
        COL_FEES: "\n".join(fee_line(f) for f in case.fees.all()),
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
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
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


def _match_choice(text: str, choices, aliases=None) -> str | None:
    folded = fold(text)
    for choice_value, label in choices.choices:
        if folded in (fold(str(label)), fold(choice_value)):
            return choice_value
    return (aliases or {}).get(folded)


def _choice(value, choices, column: str, errors: _Errors, *, default=None, aliases=None) -> str:
    text = cell_text(value)
    if not text and default is not None:
        return default
    found = _match_choice(text, choices, aliases)
    if found is not None:
        return found
    allowed = ", ".join(f"«{label}»" for _v, label in choices.choices)
    errors.add(column, f"Giá trị «{text}» không hợp lệ; chọn một trong: {allowed}.")
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
    if not number.is_finite():
        errors.add(column, f"{what} «{text}» không phải là số.")
        return None
    if number < 0:
        errors.add(column, f"{what} không được âm (đang ghi {text}).")
        return None
    if number >= 100_000:
        errors.add(column, f"{what} «{text}» quá lớn.")
        return None
    return number


def _count(text: str, what: str, line_no: int, column: str, errors: _Errors) -> int:
    text = text or "0"
    if not text.isdigit() or int(text) > 999:
        errors.add(
            column, f"Dòng {line_no} trong ô: số {what} «{text}» phải là số nguyên không âm (tối đa 999)."
        )
        return 0
    return int(text)


def _parts(line: str, most: int, what: str, no: int, column: str, errors: _Errors) -> list[str] | None:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) > most:
        errors.add(
            column,
            f"Dòng {no} trong ô: {what} có tối đa {most} phần ngăn bởi «|», đang có {len(parts)} "
            "(trong nội dung không được dùng ký tự «|»).",
        )
        return None
    return parts + [""] * (most - len(parts))


def parse_documents(value, errors: _Errors, *, column: str = COL_DOCUMENTS, kind: str = "file"):
    """Papers of one cell: 'tên | bản chính | bản sao chứng thực | bản photo | Bắt buộc |
    ghi chú | mẫu đơn, tờ khai | tên in trên phiếu' per line; '# heading' starts a group."""
    result, group = [], ""
    number = 0
    for line in _lines(value):
        if line.startswith(GROUP_MARK):
            group = line[len(GROUP_MARK) :].strip()
            continue
        number += 1
        no = number
        parts = _parts(line, 8, "mỗi giấy tờ", no, column, errors)
        if parts is None:
            continue
        name = parts[0]
        if not name:
            errors.add(column, f"Dòng {no} trong ô: thiếu tên giấy tờ.")
            continue
        originals = _count(parts[1] or "1", "bản chính", no, column, errors)
        certified = _count(parts[2], "bản sao chứng thực", no, column, errors)
        photocopies = _count(parts[3], "bản photo", no, column, errors)
        sub = _Errors()
        mandatory = _bool(parts[4], column, sub, default=True)
        for message in sub.by_column.get(column, []):
            errors.add(column, f"Dòng {no} trong ô: {message}")
        if len(parts[7]) > PRINT_NAME_MAX:
            errors.add(
                column,
                f"Dòng {no} trong ô: tên in trên phiếu dài quá {PRINT_NAME_MAX} ký tự ({len(parts[7])}).",
            )
        result.append(
            DocumentLine(
                name, originals, certified, photocopies, mandatory, parts[5], parts[6], parts[7], group, kind
            )
        )
    return tuple(result)


_AMOUNT_RE = re.compile(
    r"^(?P<amount>\d[\d.,\s]*?)\s*(?P<currency>đồng|dong|đ|vnđ|vnd|usd)?\s*"
    r"(?:/\s*(?P<per>[^,;]+?))?\s*"
    r"(?:[,;]\s*(?:tối đa|toi da)\s*(?P<cap>\d[\d.,\s]*?)\s*(?:đồng|dong|đ|vnđ|vnd|usd)?)?$",
    re.IGNORECASE,
)


def _digits(text: str) -> Decimal:
    return Decimal(re.sub(r"[.,\s]", "", text))


def parse_amount(text: str) -> Decimal | None:
    """'8.000', '8,000', '8 000 đồng', '8000' -> Decimal(8000); 'Miễn phí' -> 0; '' -> None.
    Raises ValueError."""
    found = parse_fee_amount(text)
    return None if found is None else found[0]


def parse_fee_amount(text: str) -> tuple[Decimal, str, str, Decimal | None] | None:
    """(amount, currency, per unit, cap) of an amount cell part: 'Miễn phí', '8.000 đồng',
    '2.000 đồng/trang, tối đa 200.000 đồng', '10 USD/bản'; None when blank. Raises ValueError."""
    text = " ".join(text.split())
    if not text:
        return None
    if fold(text) in ("mien phi", "khong thu"):
        return Decimal(0), Currency.VND.value, "", None
    match = _AMOUNT_RE.match(text)
    if match is None:
        raise ValueError(text)
    currency = Currency.USD.value if (match["currency"] or "").lower() == "usd" else Currency.VND.value
    cap = _digits(match["cap"]) if match["cap"] else None
    return _digits(match["amount"]), currency, (match["per"] or "").strip(), cap


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
    """'Phí/Lệ phí | mức thu | mô tả | thời điểm thu | hình thức nộp | miễn, giảm' per line."""
    result = []
    for no, line in enumerate(_lines(value), 1):
        parts = _parts(line, 6, "mỗi khoản phí", no, COL_FEES, errors)
        if parts is None:
            continue
        sub = _Errors()
        kind = _choice(parts[0], FeeKind, COL_FEES, sub)
        amount, currency, per_unit, cap = None, Currency.VND.value, "", None
        if parts[1].startswith("-"):
            sub.add(COL_FEES, f"mức thu không được âm (đang ghi {parts[1]}).")
        else:
            try:
                found = parse_fee_amount(parts[1])
            except ValueError:
                sub.add(
                    COL_FEES,
                    f"mức thu «{parts[1]}» không đọc được; ghi ví dụ 8.000 đồng, Miễn phí, "
                    "2.000 đồng/trang, tối đa 200.000 đồng hoặc 10 USD/bản.",
                )
                found = None
            if found is not None:
                amount, currency, per_unit, cap = found
        description = parts[2]
        collected = _collected(parts[3], sub)
        channel = ""
        if parts[4]:
            channel = _choice(parts[4], SubmissionChannel, COL_FEES, sub, aliases=CHANNEL_ALIASES)
        if amount is None and not description and not sub.by_column:
            sub.add(COL_FEES, "phí, lệ phí phải có mức thu hoặc mô tả (ví dụ «Miễn phí»).")
        for message in sub.by_column.get(COL_FEES, []):
            errors.add(COL_FEES, f"Dòng {no} trong ô: {message}")
        result.append(
            FeeLine(kind, amount, description, collected, channel, parts[5], currency, per_unit, cap)
        )
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


def _processing_time(text: str, column: str, errors: _Errors) -> Decimal | None:
    """A time cell: a number, or 'Không quy định' for a time the published text does not state.
    A blank cell is an error, not "not stated": a time left out by mistake (or a cell Excel
    could not hold, such as NaN) must not slip in as a procedure that cannot be received."""
    if not text:
        errors.add(
            column,
            f"Thiếu thời hạn giải quyết: ghi số, hoặc «{NOT_STATED}» nếu văn bản công bố không quy định.",
        )
        return None
    if fold(text) in NOT_STATED_WORDS:
        return None
    return _decimal(text, "Thời hạn", column, errors)


def parse_channels(value, errors: _Errors) -> tuple[ChannelLine, ...]:
    """'Trực tuyến | 5 | ngày làm việc' per line; a blank or 'Không quy định' time: not stated."""
    result, seen = [], set()
    for no, line in enumerate(_lines(value), 1):
        parts = _parts(line, 3, "mỗi hình thức nộp", no, COL_CHANNELS, errors)
        if parts is None:
            continue
        sub = _Errors()
        channel = _choice(parts[0], SubmissionChannel, COL_CHANNELS, sub, aliases=CHANNEL_ALIASES)
        # a channel without its own time falls back on the case's: blank allowed here
        time = _processing_time(parts[1], COL_CHANNELS, sub) if parts[1] else None
        unit = _choice(parts[2], TimeUnit, COL_CHANNELS, sub, default=TimeUnit.WORKING_DAYS.value)
        if time is not None and unit == TimeUnit.MONTHS and time != time.to_integral_value():
            sub.add(COL_CHANNELS, "thời hạn tính theo tháng phải là số nguyên.")
        if channel in seen:
            sub.add(COL_CHANNELS, f"hình thức nộp «{parts[0]}» đã ghi ở dòng trước.")
        seen.add(channel)
        for message in sub.by_column.get(COL_CHANNELS, []):
            errors.add(COL_CHANNELS, f"Dòng {no} trong ô: {message}")
        result.append(ChannelLine(channel, time, unit if time is not None else TimeUnit.WORKING_DAYS.value))
    return tuple(result)


def parse_levels(value, errors: _Errors) -> str:
    """'Cấp tỉnh, Cấp xã' (or one per line) -> 'province,commune'."""
    found = []
    for part in re.split(r"[,;\n]", cell_text(value)):
        if not part.strip():
            continue
        level = _match_choice(part.strip(), ProcedureLevel, LEVEL_ALIASES)
        if level is None:
            allowed = ", ".join(f"«{label}»" for _v, label in ProcedureLevel.choices)
            errors.add(COL_LEVEL, f"Cấp «{part.strip()}» không hợp lệ; ghi một hoặc nhiều cấp: {allowed}.")
        else:
            found.append(level)
    if not found and not errors.by_column.get(COL_LEVEL):
        errors.add(COL_LEVEL, "Thiếu cấp thực hiện.")
    return levels_value(found)


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


def parse_date(value, column: str, errors: _Errors) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if 1945 <= day.year <= 2100:
            return day
    errors.add(column, f"Ngày «{text}» không hợp lệ; ghi dạng dd/mm/yyyy, ví dụ 01/07/2025.")
    return None


def _url(value, errors: _Errors) -> str:
    text = cell_text(value)
    if text:
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            errors.add(COL_SOURCE, f"«{text[:80]}» không phải là đường dẫn http(s) hợp lệ.")
    return text


def parse_row(row: dict) -> CatalogueRow:
    """Read one row (column header -> cell value). Raises ValidationError keyed by column."""
    errors = _Errors()
    missing = [c for c in COLUMNS if c not in row]
    if missing:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    f"Thiếu cột: {', '.join(missing)}. Xuất danh mục ra Excel để có tệp mẫu đủ cột."
                ]
            }
        )
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
    for column in COLUMNS:
        if len(cell_text(row[column])) > EXCEL_CELL_LIMIT:
            errors.add(
                column, f"Ô dài quá {EXCEL_CELL_LIMIT:,} ký tự (giới hạn của Excel).".replace(",", ".")
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
    case_order = int(order_text) if order_text.isdigit() and 0 < int(order_text) < 1000 else 0
    if not case_order:
        errors.add(COL_CASE_ORDER, f"Số thứ tự trường hợp «{order_text}» phải là số nguyên dương (1, 2, …).")
    processing_time = _processing_time(cell_text(row[COL_TIME]), COL_TIME, errors)
    processing_unit = _choice(row[COL_UNIT], TimeUnit, COL_UNIT, errors, default=TimeUnit.WORKING_DAYS.value)
    if (
        processing_time is not None
        and processing_unit == TimeUnit.MONTHS
        and processing_time != processing_time.to_integral_value()
    ):
        errors.add(COL_TIME, "Thời hạn tính theo tháng phải là số nguyên.")
    documents = parse_documents(row[COL_DOCUMENTS], errors)
    shown = parse_documents(row[COL_SHOWN], errors, column=COL_SHOWN, kind=DocumentKind.SHOW.value)

    parsed = CatalogueRow(
        code=code,
        name=name,
        field_code=field_code,
        field_name=cell_text(row[COL_FIELD_NAME]),
        levels=parse_levels(row[COL_LEVEL], errors),
        procedure_type=cell_text(row[COL_TYPE]),
        applicants=cell_text(row[COL_APPLICANTS]),
        receiving=receiving,
        competent=cell_text(row[COL_COMPETENT]),
        competent_text=cell_text(row[COL_COMPETENT_TEXT]),
        implementing_text=cell_text(row[COL_IMPLEMENTING_TEXT]),
        authorised_text=cell_text(row[COL_AUTHORISED_TEXT]),
        coordinating_text=cell_text(row[COL_COORDINATING_TEXT]),
        receiving_address=cell_text(row[COL_ADDRESS]),
        online_level=_choice(
            row[COL_ONLINE], OnlineLevel, COL_ONLINE, errors, default=OnlineLevel.NONE.value
        ),
        immediate_result=_bool(row[COL_IMMEDIATE], COL_IMMEDIATE, errors, default=False),
        is_active=_bool(row[COL_ACTIVE], COL_ACTIVE, errors, default=True),
        is_sample=_bool(row[COL_SAMPLE], COL_SAMPLE, errors, default=False),
        decision_number=cell_text(row[COL_DECISION]),
        decision_date=parse_date(row[COL_DECISION_DATE], COL_DECISION_DATE, errors),
        sequence=cell_text(row[COL_SEQUENCE]),
        result=cell_text(row[COL_RESULT]),
        result_codes=cell_text(row[COL_RESULT_CODES]),
        requirements=cell_text(row[COL_REQUIREMENTS]),
        legal_basis=cell_text(row[COL_LEGAL]),
        related=cell_text(row[COL_RELATED]),
        source_url=_url(row[COL_SOURCE], errors),
        case_order=case_order,
        case_name=cell_text(row[COL_CASE_NAME]),
        case_active=_bool(row[COL_CASE_ACTIVE], COL_CASE_ACTIVE, errors, default=True),
        processing_time=processing_time,
        processing_unit=processing_unit,
        cutoff_time=parse_time(row[COL_CUTOFF], errors),
        channels=parse_channels(row[COL_CHANNELS], errors),
        channel_description=cell_text(row[COL_CHANNEL_DESCRIPTION]),
        documents=documents + shown,
        documents_note=cell_text(row[COL_DOCUMENTS_NOTE]),
        fees=parse_fees(row[COL_FEES], errors),
        steps=parse_steps(row[COL_STEPS], errors),
    )
    errors.raise_if_any()
    return parsed
