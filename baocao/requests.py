"""Report requests of the reporting calendar: Sở Nội vụ asks chosen units for a periodic
report (monthly, half-yearly, yearly — NĐ 09/2019/NĐ-CP Điều 12) or an ad-hoc one, each with
its due date; a unit's leader sends the answer; Sở Nội vụ accepts or returns it. Every step
tells the other side (notification centre and e-mail, motcua.notifications.staff); the units
that have not answered are reminded before the due date (baocao.reminders).

Each change locks the unit's row and checks its status there: two clicks give one change and
one refusal (`TransitionError` with a Vietnamese message)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.workflow import TransitionError
from motcua.alerts import kinds
from motcua.notifications.staff import send_to_staff, staff_of
from thutuc.accounts.roles import Role
from thutuc.accounts.visibility import can_see_agency
from thutuc.models import User

from .models import ReportRequest, ReportRequestUnit, RequestKind, RequestUnitStatus
from .periods import Period, half_year_period, report_month_period, year_period

REVIEW = "baocao.review_quarterlyreport"  # Sở Nội vụ
SUBMIT = "baocao.submit_quarterlyreport"  # a unit's leader


def calendar_period(kind: str, year: int, number: int | None) -> Period:
    """The figures' period of a periodic report (NĐ 09/2019 Điều 12 khoản 4)."""
    if kind == RequestKind.MONTHLY:
        return report_month_period(year, number)
    if kind == RequestKind.HALF_YEARLY:
        return half_year_period(year, number)
    if kind == RequestKind.YEARLY:
        return year_period(year)
    raise ValueError(f"{kind!r} has no calendar period")


def default_due_date(period: Period) -> dt.date:
    """Day REPORT_DEADLINE_DAY of the month the period ends in (as the quarterly report)."""
    return period.end.replace(day=settings.REPORT_DEADLINE_DAY)


def _day(value: dt.date) -> str:
    return formats.date_format(value, "d/m/Y")


def _link(request: ReportRequest) -> str:
    return reverse("baocao:request_detail", kwargs={"pk": request.pk})


def _home_affairs() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.HOME_AFFAIRS).distinct().order_by("pk"))


@transaction.atomic
def request_create(
    *,
    kind: str,
    title: str,
    content: str,
    due_date: dt.date,
    agencies,
    actor,
    period: Period | None = None,
) -> ReportRequest:
    if not actor.has_perm(REVIEW):
        raise PermissionDenied
    agencies = list(agencies)
    if not agencies:
        raise TransitionError({"agencies": _("Chọn ít nhất một đơn vị.")})
    request = ReportRequest(
        kind=kind,
        title=title.strip(),
        content=content.strip(),
        due_date=due_date,
        period_start=period.start if period else None,
        period_end=period.end if period else None,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    ReportRequestUnit.objects.bulk_create([ReportRequestUnit(request=request, agency=a) for a in agencies])
    body = _("Sở Nội vụ yêu cầu báo cáo: %(title)s. Hạn gửi: %(due)s.") % {
        "title": request.title,
        "due": _day(due_date),
    }
    for agency in agencies:
        send_to_staff(
            staff_of(agency.pk, (Role.LEADER,)),
            kind=kinds.REPORT_REQUESTED,
            subject=_("Yêu cầu báo cáo: %(title)s") % {"title": request.title},
            body=body,
            link=_link(request),
            key=f"request:{request.pk}:{agency.pk}",
            actor=actor,
            reference=f"request:{request.pk}",
        )
    return request


def _locked(unit: ReportRequestUnit) -> ReportRequestUnit:
    return ReportRequestUnit.objects.select_for_update().select_related("request", "agency").get(pk=unit.pk)


@transaction.atomic
def request_submit(*, unit: ReportRequestUnit, answer: str, actor) -> ReportRequestUnit:
    unit = _locked(unit)
    if not actor.has_perm(SUBMIT) or not can_see_agency(actor, unit.agency_id):
        raise TransitionError(_("Bạn không có quyền gửi báo cáo của đơn vị này."), forbidden=True)
    if not unit.is_editable:
        raise TransitionError(_("Báo cáo đã được gửi (%(status)s).") % {"status": unit.get_status_display()})
    if not answer.strip():
        raise TransitionError({"answer": _("Nhập nội dung báo cáo.")})
    now = timezone.now()
    again = unit.status == RequestUnitStatus.RETURNED
    unit.answer, unit.status = answer.strip(), RequestUnitStatus.SUBMITTED
    unit.submitted_at, unit.submitted_by = now, actor
    unit.first_submitted_at = unit.first_submitted_at or now
    unit.return_comment = ""
    unit.save()
    values = {"agency": unit.agency.name, "title": unit.request.title}
    send_to_staff(
        _home_affairs(),
        kind=kinds.REPORT_SUBMITTED,
        subject=_("%(agency)s gửi báo cáo: %(title)s") % values,
        body=(
            _("%(agency)s đã gửi lại báo cáo: %(title)s.")
            if again
            else _("%(agency)s đã gửi báo cáo: %(title)s.")
        )
        % values,
        link=_link(unit.request),
        key=f"request-unit:{unit.pk}:submit:{now.isoformat()}",
        actor=actor,
        reference=f"request:{unit.request_id}",
    )
    return unit


@transaction.atomic
def request_review(*, unit: ReportRequestUnit, accept: bool, actor, comment: str = "") -> ReportRequestUnit:
    unit = _locked(unit)
    if not actor.has_perm(REVIEW):
        raise TransitionError(_("Chỉ Sở Nội vụ tiếp nhận hoặc trả lại báo cáo."), forbidden=True)
    if unit.status != RequestUnitStatus.SUBMITTED:
        raise TransitionError(
            _("Báo cáo không ở trạng thái chờ xem xét (%(status)s).") % {"status": unit.get_status_display()}
        )
    if not accept and not comment.strip():
        raise TransitionError({"comment": _("Ghi rõ lý do trả lại để đơn vị chỉnh sửa.")})
    now = timezone.now()
    unit.status = RequestUnitStatus.ACCEPTED if accept else RequestUnitStatus.RETURNED
    unit.reviewed_at, unit.reviewed_by = now, actor
    unit.return_comment = "" if accept else comment.strip()
    unit.save()
    values = {"title": unit.request.title, "comment": unit.return_comment}
    body = (
        _("Sở Nội vụ đã tiếp nhận báo cáo: %(title)s.")
        if accept
        else _("Sở Nội vụ trả lại báo cáo: %(title)s. Lý do: %(comment)s")
    ) % values
    people = [u for u in (unit.submitted_by,) if u is not None]
    send_to_staff(
        [*people, *staff_of(unit.agency_id, (Role.LEADER,))],
        kind=kinds.REPORT_ACCEPTED if accept else kinds.REPORT_RETURNED,
        subject=body[:255],
        body=body,
        link=_link(unit.request),
        key=f"request-unit:{unit.pk}:review:{now.isoformat()}",
        actor=actor,
        reference=f"request:{unit.request_id}",
    )
    return unit


def reporting_calendar(year: int) -> list[dict]:
    """The year's reporting periods with their due dates, in due-date order: the quarterly CCHC
    reports (periods.report_deadline) and the periodic reports Sở Nội vụ may ask for (monthly,
    half-yearly, yearly: NĐ 09/2019 Điều 12 khoản 4, due by default on day REPORT_DEADLINE_DAY
    of the period's last month)."""
    from .periods import quarter_period, report_deadline

    rows = []
    for quarter in (1, 2, 3, 4):
        period = quarter_period(year, quarter)
        rows.append(
            {
                "kind": _("Hằng quý (báo cáo CCHC)"),
                "label": period.label,
                "period": period,
                "due": report_deadline(year, quarter),
            }
        )
    for month in range(1, 13):
        period = report_month_period(year, month)
        rows.append(
            {
                "kind": RequestKind.MONTHLY.label,
                "label": _("Tháng %(m)s/%(y)s") % {"m": month, "y": year},
                "period": period,
                "due": default_due_date(period),
            }
        )
    for half in (1, 2):
        period = half_year_period(year, half)
        rows.append(
            {
                "kind": RequestKind.HALF_YEARLY.label,
                "label": (_("6 tháng đầu năm %(y)s") if half == 1 else _("6 tháng cuối năm %(y)s"))
                % {"y": year},
                "period": period,
                "due": default_due_date(period),
            }
        )
    period = year_period(year)
    rows.append(
        {
            "kind": RequestKind.YEARLY.label,
            "label": _("Năm %(y)s") % {"y": year},
            "period": period,
            "due": default_due_date(period),
        }
    )
    return sorted(rows, key=lambda r: (r["due"], r["period"].start))
