"""Export an agency's quarterly report (or the province table) to .xlsx or .pdf.

    python manage.py export_report --agency 000.00.11.H99 --year 2026 --quarter 1 --output q1.xlsx
    python manage.py export_report --province --year 2026 --quarter 1 --output tinh-q1.pdf

An agency's submitted report is exported from its frozen snapshot; otherwise the figures
are computed now.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from baocao import exports, figures, selectors, services
from baocao.models import QuarterlyReport
from baocao.periods import quarter_period
from thutuc.models import Agency


class Command(BaseCommand):
    help = "Xuất báo cáo quý (Biểu II.06a và các chỉ số) ra tệp .xlsx hoặc .pdf."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--agency", help="mã định danh của đơn vị, ví dụ 000.00.11.H99")
        target.add_argument("--province", action="store_true", help="bảng tổng hợp toàn tỉnh theo đơn vị")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True, choices=[1, 2, 3, 4])
        parser.add_argument("--output", required=True, help="tệp .xlsx hoặc .pdf")
        parser.add_argument("--role", choices=["competent", "receiving"], default="competent")

    def handle(self, *args, agency, province, year, quarter, output, role, **options):
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "pdf"):
            raise CommandError("--output phải có đuôi .xlsx hoặc .pdf")
        period = quarter_period(year, quarter)
        if province:
            payload = figures.report_payload(
                scope=selectors.agency_scope(None, agency_role=role),
                period=period,
                title="Tỉnh – tổng hợp các đơn vị",
                agency=None,
            )
        else:
            found = Agency.objects.filter(code=agency).first()
            if found is None:
                raise CommandError(f"Không có đơn vị mã {agency}")
            report = QuarterlyReport.objects.filter(agency=found, year=year, quarter=quarter).first()
            if report is not None and role == "competent":
                payload = services.report_payload(report)
            else:
                payload = figures.report_payload(
                    scope=selectors.agency_scope(found, agency_role=role),
                    period=period,
                    title=found.name,
                    agency={"id": found.pk, "code": found.code, "name": found.name},
                )
        path.write_bytes(exports.build(payload, fmt))
        total = payload["ii06a"]["field"]["total"]["counts"]
        self.stdout.write(f"{path}: {period.label}, tổng số hồ sơ (3) = {total['3']}")
