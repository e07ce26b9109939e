"""Reads of the fee ledger for the accountant: payments and refunds per receiving agency
and period (SQL aggregates), the rows themselves, their Excel workbook."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.xlsx import write_table
from thutuc.calendar import TZ

from .models import FeeEntry, FeeEntryKind, PaymentMethod

MONEY = DecimalField(max_digits=16, decimal_places=0)


@dataclass(frozen=True)
class FeeFilter:
    agency_ids: list[int]
    date_from: dt.date
    date_to: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=TZ)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=TZ)


def _money(condition: Q):
    return Coalesce(Sum("amount", filter=condition), Value(Decimal(0)), output_field=MONEY)


def _collected(flt: FeeFilter):
    return FeeEntry.objects.filter(
        kind__in=(FeeEntryKind.PAYMENT, FeeEntryKind.REFUND),
        at__gte=flt.start,
        at__lt=flt.end,
        dossier__receiving_agency_id__in=flt.agency_ids,
    )


def collected_summary(flt: FeeFilter) -> list[dict]:
    """One row per receiving agency: collected (and of it online, at the counter), refunded,
    net, number of payments; one query."""
    payment = Q(kind=FeeEntryKind.PAYMENT)
    rows = list(
        _collected(flt)
        .values("dossier__receiving_agency_id", "dossier__receiving_agency__name")
        .annotate(
            collected=_money(payment),
            online=_money(payment & Q(method=PaymentMethod.ONLINE)),
            counter=_money(payment & ~Q(method=PaymentMethod.ONLINE)),
            refunded=_money(Q(kind=FeeEntryKind.REFUND)),
            payments=Count("pk", filter=payment),
        )
        .order_by("dossier__receiving_agency__name")
    )
    for row in rows:
        row["agency"] = row.pop("dossier__receiving_agency__name")
        row["net"] = row["collected"] - row["refunded"]
    return rows


def collected_entries(flt: FeeFilter):
    return (
        _collected(flt)
        .select_related("dossier__receiving_agency", "actor")
        .only(
            "kind",
            "amount",
            "method",
            "receipt_number",
            "reason",
            "label",
            "at",
            "dossier__code",
            "dossier__receiving_agency__name",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
        .order_by("-at", "-pk")
    )


# The workbook's column headings (Vietnamese, as the accountant's other books).
HEADINGS = [
    "Thời điểm",
    "Mã hồ sơ",
    "Cơ quan tiếp nhận",
    "Loại",
    "Hình thức",
    "Số biên lai / mã giao dịch",
    "Số tiền (đồng)",
    "Nội dung, lý do",
    "Cán bộ ghi nhận",
]


def entry_values(entry: FeeEntry) -> list:
    sign = -1 if entry.kind == FeeEntryKind.REFUND else 1
    return [
        timezone.localtime(entry.at).replace(tzinfo=None),
        entry.dossier.code,
        entry.dossier.receiving_agency.name,
        entry.get_kind_display(),
        entry.get_method_display() if entry.method else "",
        entry.receipt_number,
        sign * entry.amount,
        entry.reason or entry.label,
        entry.actor.get_full_name() if entry.actor else _("Cổng thanh toán"),
    ]


def fees_workbook(flt: FeeFilter) -> tuple[bytes, int]:
    """The rows of the period as an .xlsx (write-only: any number of rows), and their count."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Thu phí, lệ phí"))
    count = write_table(
        sheet,
        headings=HEADINGS,
        rows=(entry_values(e) for e in collected_entries(flt).iterator(chunk_size=2000)),
        widths=[17, 24, 36, 12, 24, 22, 14, 40, 24],
        title_rows=[
            _("SỔ THU PHÍ, LỆ PHÍ"),
            _("Từ ngày %(start)s đến ngày %(end)s")
            % {"start": flt.date_from.strftime("%d/%m/%Y"), "end": flt.date_to.strftime("%d/%m/%Y")},
        ],
        formats={0: "dd/mm/yyyy hh:mm", 6: "#,##0"},
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count
