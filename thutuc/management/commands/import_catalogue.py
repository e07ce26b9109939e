"""`python manage.py import_catalogue FILE.xlsx [--dry-run]`: load a province's catalogue.

The same import as the admin's "Nhập từ Excel" (thutuc.catalogue.resources): every row is
checked, one bad row imports nothing (one transaction), the errors are listed per Excel line
in Vietnamese and the exit status is 1. Cases of the file's procedures that the file no
longer lists are withdrawn, never deleted. The summary prints how long the import took.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.xlsx import FormulaInFile
from thutuc.catalogue.jobs import import_errors
from thutuc.catalogue.resources import CatalogueLoadResource, CatalogueXLSX


class Command(BaseCommand):
    help = (
        "Nhập danh mục thủ tục hành chính từ tệp Excel (.xlsx) theo mẫu của trang quản trị "
        "(docs/catalogue.md). Kiểm tra mọi dòng trước; một dòng lỗi thì không nhập dòng nào."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu gì.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        if file.suffix.lower() != ".xlsx":
            raise CommandError("Chỉ nhận tệp Excel .xlsx (xuất từ trang quản trị hoặc theo mẫu).")
        started = time.monotonic()
        try:
            dataset = CatalogueXLSX().create_dataset(file.read_bytes())
        except FormulaInFile as formulas:
            raise CommandError(str(formulas)) from None
        except Exception:
            raise CommandError(
                "Không đọc được tệp: tệp trống, hỏng hoặc không phải tệp Excel .xlsx."
            ) from None
        result = CatalogueLoadResource().import_data(dataset, dry_run=dry_run, raise_errors=False)
        seconds = time.monotonic() - started
        errors = import_errors(result)
        if errors:
            for line, column, message in errors:
                where = f"Dòng {line}" if line else "Tệp"
                self.stderr.write(f"{where}{f', cột «{column}»' if column else ''}: {message}")
            raise CommandError(f"Tệp có {len(errors)} lỗi: không nhập dòng nào.")
        totals = result.totals
        withdrawn = getattr(result, "deactivated_cases", [])
        summary = (
            f"{len(dataset)} dòng: {totals.get('new', 0)} trường hợp thêm mới, "
            f"{totals.get('update', 0)} cập nhật, {totals.get('skip', 0)} không thay đổi, "
            f"{len(withdrawn)} ngừng áp dụng (không còn trong tệp); {seconds:.1f} giây."
        )
        for code, order, name in withdrawn:
            self.stdout.write(f"Ngừng áp dụng: {code} trường hợp {order} ({name[:80]})")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"Tệp hợp lệ (chạy thử: chưa lưu gì). {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập. {summary}"))
