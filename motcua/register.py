"""The dossier register (Sổ theo dõi hồ sơ, form 06 of TT 01/2018; item 7 of DESIGN §5.5):
one book per receiving agency and year, entries numbered from 01 for the whole year.
The numbers are stored on the dossier at intake (Dossier.register_number) so that the book
never renumbers; this module reads it: one query for a page, whatever its length."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from .models import Dossier, DossierEvent, EventAction, SupplementRequest

# (heading, width in the Excel sheet)
COLUMNS = [
    ("STT", 6),
    ("Mã hồ sơ", 26),
    ("Tên thủ tục hành chính", 40),
    ("Số lượng hồ sơ (bộ)", 8),
    ("Tên cá nhân, tổ chức", 24),
    ("Địa chỉ, số điện thoại", 30),
    ("Cơ quan chủ trì giải quyết", 26),
    ("Nhận hồ sơ", 16),
    ("Hẹn trả kết quả", 16),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 16),
    ("Ngày có kết quả / yêu cầu bổ sung", 20),
    ("Trả kết quả (ngày, ký nhận)", 16),
    ("Ghi chú", 24),
]


@dataclass(frozen=True)
class RegisterFilter:
    agency_id: int
    year: int
    procedure_id: int | None = None
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def register_entries(flt: RegisterFilter) -> QuerySet[Dossier]:
    """The register's rows in book order, with every column computed by the database."""
    queryset = Dossier.objects.filter(receiving_agency_id=flt.agency_id, register_year=flt.year)
    if flt.procedure_id:
        queryset = queryset.filter(procedure_id=flt.procedure_id)
    if flt.status:
        queryset = queryset.filter(status=flt.status)
    tz = timezone.get_current_timezone()
    if flt.date_from:
        queryset = queryset.filter(received_at__gte=dt.datetime.combine(flt.date_from, dt.time.min, tz))
    if flt.date_to:
        queryset = queryset.filter(
            received_at__lt=dt.datetime.combine(flt.date_to + dt.timedelta(days=1), dt.time.min, tz)
        )
    first_transfer = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), action=EventAction.TRANSFER)
        .order_by("at")
        .values("at")[:1]
    )
    first_supplement = (
        SupplementRequest.objects.filter(dossier=OuterRef("pk"))
        .order_by("requested_at")
        .values("requested_at")[:1]
    )
    return (
        queryset.select_related("procedure", "case_version", "competent_agency")
        .annotate(transferred_at=Subquery(first_transfer), supplement_requested_at=Subquery(first_supplement))
        .order_by("register_number")
    )


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def _date(moment) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


# Columns (0-based) holding a date in the Excel file, and the entry number.
DATE_COLUMNS = (7, 8, 9, 11)
NUMBER_COLUMN = 0


def row_cells(dossier: Dossier) -> list:
    """The 13 cells of one entry for the Excel file: the number and the counts as numbers,
    the days as dates (the sheet sorts and filters them), the rest as text."""
    values = row_values(dossier)
    values[NUMBER_COLUMN] = dossier.register_number
    for index, moment in zip(
        DATE_COLUMNS,
        (dossier.received_at, dossier.due_at, dossier.transferred_at, dossier.returned_at),
        strict=True,
    ):
        values[index] = _date(moment)
    return values


def row_values(dossier: Dossier) -> list:
    """The 13 cells of one entry, as text (the page and the PDF)."""
    applicant = dossier.applicant_name
    if dossier.organisation_name:
        applicant = f"{dossier.organisation_name} ({dossier.applicant_name})"
    contact = ", ".join(filter(None, [dossier.applicant_address, dossier.applicant_phone]))
    result = []
    if dossier.supplement_requested_at:
        result.append(f"Bổ sung: {_day(dossier.supplement_requested_at)}")
    if dossier.finished_at:
        result.append(f"Kết quả: {_day(dossier.finished_at)}")
    note = [f"{dossier.national_status_code}. {dossier.get_status_display()}"]
    if dossier.is_imported:
        note.append("chuyển từ hệ thống cũ")
    return [
        f"{dossier.register_number:02d}",
        dossier.code,
        dossier.procedure_name,
        dossier.number_of_sets,
        applicant,
        contact,
        dossier.competent_agency.name,
        _day(dossier.received_at),
        _day(dossier.due_at),
        _day(dossier.transferred_at),
        "; ".join(result),
        _day(dossier.returned_at),
        "; ".join(note),
    ]


def register_workbook(entries, *, agency, year) -> bytes:
    """The filtered register as an .xlsx file (write-only: constant memory), through the
    portal's one table writer (typed cells, frozen heading, autofilter, A4 landscape)."""
    from io import BytesIO

    from openpyxl import Workbook

    from core.xlsx import write_table

    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"So theo doi {year}")
    write_table(
        sheet,
        title_rows=[
            f"SỔ THEO DÕI HỒ SƠ NĂM {year}",
            f"Bộ phận tiếp nhận và trả kết quả {agency.name} ({agency.code})",
            "",
        ],
        headings=[heading for heading, _w in COLUMNS],
        widths=[width for _h, width in COLUMNS],
        rows=(row_cells(dossier) for dossier in entries.iterator(chunk_size=2000)),
        formats={NUMBER_COLUMN: "00"},
    )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
