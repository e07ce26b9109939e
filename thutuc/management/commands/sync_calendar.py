import re

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from thutuc.services import calendar_import_makeup_days


def parse_years(text: str) -> list[int]:
    """'2025-2030' -> [2025, ..., 2030]; '2026' -> [2026]; '2025,2027' -> [2025, 2027]."""
    years: set[int] = set()
    for chunk in filter(None, (c.strip() for c in text.split(","))):
        match = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", chunk)
        if not match:
            raise CommandError(f"Năm không hợp lệ: {chunk!r} (ví dụ: 2025-2030)")
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if last < first or last - first > 100:
            raise CommandError(f"Khoảng năm không hợp lệ: {chunk!r}")
        years.update(range(first, last + 1))
    if not years:
        raise CommandError("Cần ít nhất một năm.")
    return sorted(years)


class Command(BaseCommand):
    help = (
        "Import the make-up working days (làm bù) implied by the holidays package's swapped days "
        "off into the calendar overrides. Idempotent; run it after upgrading the holidays package."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", default=None, help="Years, e.g. 2025-2030 (default: last year to four years ahead)"
        )

    def handle(self, *args, years=None, **options):
        if years:
            wanted = parse_years(years)
        else:
            this_year = timezone.localdate().year
            wanted = list(range(this_year - 1, this_year + 5))
        created = calendar_import_makeup_days(years=wanted)
        for row in created:
            self.stdout.write(f"  {row.date:%d/%m/%Y}: {row.reason}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {len(created)} ngày làm bù mới cho các năm {wanted[0]}–{wanted[-1]}."
            )
        )
