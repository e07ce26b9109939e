"""Sample CCHC reports: a submitted report for Sở Tư pháp and a draft for UBND phường
Trung Sơn, for the quarter before the current one (idempotent; figures come from whatever
dossiers the other apps seeded)."""

from thutuc.models import Agency, User

from .forms import current_quarter
from .models import QuarterlyReport, ReportStatus
from .periods import quarter_period, report_deadline
from .services import report_create, report_submit, report_update_narrative

SUBMITTED_AGENCY = "000.00.11.H99"  # Sở Tư pháp (leader: lanhdao)
DRAFT_AGENCY = "000.17.22.H99"  # UBND phường Trung Sơn

NARRATIVE = {
    "results": "Tiếp nhận và giải quyết hồ sơ đúng quy trình một cửa; công khai đầy đủ thủ tục tại bộ phận "
    "một cửa và trên Cổng dịch vụ công.",
    "shortcomings": "Một số hồ sơ lĩnh vực chứng thực còn trễ hạn do thiếu công chức.",
    "causes": "Số lượng hồ sơ tăng vào cuối năm; phần mềm chưa liên thông đầy đủ.",
    "proposals": "Đề nghị bổ sung biên chế và tập huấn dịch vụ công trực tuyến cho cán bộ cấp xã.",
}


def _previous_quarter() -> tuple[int, int]:
    year, quarter = current_quarter()
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def seed(stdout=None) -> None:
    year, quarter = _previous_quarter()
    leader = User.objects.filter(username="lanhdao", agency__code=SUBMITTED_AGENCY).first()
    if leader is None:
        return
    done = []
    agency = Agency.objects.get(code=SUBMITTED_AGENCY)
    report = QuarterlyReport.objects.filter(agency=agency, year=year, quarter=quarter).first()
    if report is None:
        report = report_create(agency=agency, year=year, quarter=quarter, actor=leader)
    if report.status == ReportStatus.DRAFT:
        report_update_narrative(report=report, actor=leader, **NARRATIVE)
        report = report_submit(report=report, actor=leader)
    done.append(f"{agency.name}: {report.get_status_display()}")

    draft_agency = Agency.objects.filter(code=DRAFT_AGENCY).first()
    if draft_agency is not None:
        # That ward has no demo leader: sample data written directly, attributed to lanhdao.
        period = quarter_period(year, quarter)
        draft, _created = QuarterlyReport.objects.get_or_create(
            agency=draft_agency,
            year=year,
            quarter=quarter,
            defaults={
                "period_start": period.start,
                "period_end": period.end,
                "deadline": report_deadline(year, quarter),
                "created_by": leader,
                "results": NARRATIVE["results"],
            },
        )
        done.append(f"{draft_agency.name}: {draft.get_status_display()}")
    if stdout is not None:
        stdout.write(f"Báo cáo CCHC quý {quarter}/{year}: " + "; ".join(done))
