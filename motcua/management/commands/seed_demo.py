import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app seeds its own sample data in <app>/demo.py, lowest layer first.
DEMO_APPS = ["thutuc", "motcua", "khieunai", "baocao"]


class Command(BaseCommand):
    help = "Load the demo province, catalogue and sample records (idempotent; sample data only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apps",
            nargs="+",
            choices=DEMO_APPS,
            default=DEMO_APPS,
            metavar="APP",
            help=(
                "Seed only these apps' demo data (each needs the ones below it: thutuc < motcua < "
                "khieunai < baocao). `--apps thutuc` loads the province, staff logins, catalogue and "
                "calendar in a few seconds (the production smoke); the default loads everything."
            ),
        )

    def handle(self, *args, **options):
        import logging

        from django.test.utils import override_settings

        # the demo runs hundreds of tasks in-process: one log line each is noise here
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)

        # Sample data must never e-mail or text anyone: messages the demo triggers are
        # delivered to memory (and so recorded as sent), whatever backends are configured.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            SMS_BACKEND="core.sms.LocmemSmsBackend",
        ):
            self.seed_all([app for app in DEMO_APPS if app in options["apps"]])
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu."))

    def seed_all(self, apps):
        for app in apps:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        if "motcua" in apps:
            # A district split on 01/07/2025 and a 2026 merger of two wards (issue 18), after
            # every app's sample data: the reorganisation moves their dossiers and staff.
            from motcua import demo_reorganisation

            with transaction.atomic():
                demo_reorganisation.seed(stdout=self.stdout)
        # Without Celery beat (the embedded run) nobody would scan the deadlines: do it once
        # now, by task name, so that the header counts and notification centre have content.
        from motcua.celery import app

        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
        for task_name in ("motcua.tasks.scan_deadline_alerts", "khieunai.tasks.scan_feedback_alerts"):
            if task_name in app.tasks and task_name.split(".")[0] in apps:
                created = app.tasks[task_name].apply().get()
                self.stdout.write(f"Cảnh báo hạn xử lý ({task_name.split('.')[0]}): {created} mới")
        # No demo officer starts with "99+" unread alerts: the sample's older ones are read.
        from motcua.demo import settle_alerts

        settle_alerts(self.stdout)
