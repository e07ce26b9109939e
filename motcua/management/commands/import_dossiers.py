from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.services.legacy_import import HEADER, ImportRejected, import_dossiers


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ từ hệ thống cũ (CSV UTF-8 hoặc XLSX). Dòng tiêu đề: "
        + ", ".join(HEADER)
        + ". Kiểm tra mọi dòng trước; một dòng lỗi thì không nhập dòng nào."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không nhập.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        if file.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("Chỉ nhận tệp .csv (UTF-8) hoặc .xlsx.")
        try:
            created = import_dossiers(path=file, dry_run=dry_run)
        except ImportRejected as rejected:
            for number, reasons in rejected.errors:
                self.stderr.write(f"Dòng {number}: {'; '.join(reasons)}.")
            raise CommandError(f"Tệp có {len(rejected.errors)} dòng lỗi: không nhập hồ sơ nào.") from None
        except UnicodeDecodeError:
            raise CommandError("Tệp CSV phải được lưu bằng mã UTF-8.") from None
        if dry_run:
            self.stdout.write(self.style.SUCCESS("Tệp hợp lệ (chạy thử: chưa nhập hồ sơ nào)."))
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập {len(created)} hồ sơ."))
