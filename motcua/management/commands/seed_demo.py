import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app seeds its own sample data in <app>/demo.py, lowest layer first.
DEMO_APPS = ["thutuc", "motcua", "khieunai", "baocao"]


class Command(BaseCommand):
    help = "Load the demo province, catalogue and sample records (idempotent; sample data only)."

    def handle(self, *args, **options):
        for app in DEMO_APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))
