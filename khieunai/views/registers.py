"""The hotline log (/duong-day-nong/) and the citizen-reception register (/tiep-cong-dan/)."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import dates
from core.once import once_per_token
from core.params import InvalidQuery, choice_field, read_query
from thutuc.accounts.audit import Counted, log_access
from thutuc.models import AccessAction

from .. import selectors, services
from ..forms import CitizenReceptionForm, HotlineCallForm
from . import xlsx
from .common import apply_errors, staff_permission

# The query strings of these pages, each parameter with a type and a range (core.params):
# `?ngay=9999-12-31` once overflowed the day's bounds (500); now it is a 400 saying why.
DAY = {"ngay": dates.RangeDateField(label=gettext_lazy("Ngày"), required=False)}
PERIOD = {
    "tu": dates.RangeDateField(label=gettext_lazy("Từ ngày"), required=False),
    "den": dates.RangeDateField(label=gettext_lazy("Đến ngày"), required=False),
}
CHECK = {"ma": forms.CharField(label=gettext_lazy("Mã hồ sơ"), max_length=64, required=False)}
REGISTER_YEAR = {
    "nam": dates.YearField(label=gettext_lazy("Năm"), required=False),
    "xuat": choice_field(["xlsx"], label=gettext_lazy("Xuất")),
}


# --- hotline ------------------------------------------------------------------------------------


@staff_permission("khieunai.view_hotlinecall")
@once_per_token
def hotline(request):
    """Fast entry on top (autofocus, one short form), the day's calls and totals below."""
    today = timezone.localdate()
    day = read_query(request.GET, DAY)["ngay"] or today
    can_log = request.user.has_perm("khieunai.add_hotlinecall")
    agency = services.home_agency(request.user.agency)
    form = None
    if can_log:
        form = HotlineCallForm(
            request.POST or None,
            initial={
                "started_at": timezone.localtime().replace(second=0, microsecond=0),
                "line": agency.hotline if agency else "",
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                call = services.hotline_call_log(
                    agency=request.user.agency,
                    started_at=data["started_at"],
                    line=data["line"],
                    caller_name=data["caller_name"],
                    caller_phone=data["caller_phone"],
                    topic=data["topic"],
                    dossier_code=data["dossier_code"],
                    summary=data["summary"],
                    duration_seconds=data["duration"],
                    outcome=data["outcome"],
                    transferred_to=data["transferred_to"],
                    actor=request.user,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                if call.feedback_id:
                    messages.success(request, _feedback_message(call.new_feedback, call.caller_phone))
                else:
                    messages.success(request, _("Đã ghi cuộc gọi."))
                return redirect(
                    f"{reverse('khieunai:hotline')}?ngay={timezone.localtime(call.started_at):%Y-%m-%d}"
                )
    calls = selectors.hotline_calls(request.user, start=day, end=day)
    return render(
        request,
        "khieunai/hotline/day.html",
        {
            "form": form,
            "day": day,
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1) if day < today else None,
            "calls": calls,
            "totals": selectors.hotline_totals(calls),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


def _feedback_message(feedback, phone: str) -> str:
    """What the officer reads out to the caller: the code and the PIN (shown this once)."""
    text = _(
        "Đã vào sổ phản ánh %(code)s. Đọc cho người gọi: mã đơn %(code)s, mã tra cứu %(pin)s "
        "(chỉ hiển thị một lần)."
    ) % {"code": feedback.code, "pin": feedback.pin}
    if phone.strip():
        text += " " + _("Mã đơn và mã tra cứu đã được nhắn tin đến số %(phone)s.") % {"phone": phone.strip()}
    return text


@staff_permission("khieunai.view_hotlinecall")
def dossier_check(request):
    """JSON for the hotline form: does this dossier code exist (among dossiers I may see)?"""
    try:
        code = read_query(request.GET, CHECK)["ma"]
    except InvalidQuery as invalid:
        return JsonResponse({"found": False, "message": "; ".join(invalid.messages)}, status=400)
    dossier = services.find_dossier(code, user=request.user)
    if dossier is None:
        return JsonResponse({"found": False, "message": _("Không tìm thấy hồ sơ")})
    return JsonResponse(
        {"found": True, "message": _("Tìm thấy: %(status)s") % {"status": dossier.get_status_display()}}
    )


@require_POST
@staff_permission("khieunai.convert_hotlinecall")
@once_per_token
def hotline_to_feedback(request, pk):
    call = selectors.hotline_call_for_staff(request.user, pk)
    feedback = services.hotline_call_to_feedback(call=call, actor=request.user)
    if getattr(feedback, "pin", None):
        messages.success(request, _feedback_message(feedback, call.caller_phone))
    else:
        messages.info(
            request,
            _("Cuộc gọi đã được vào sổ phản ánh %(code)s trước đó; mã tra cứu đã được cấp lần đầu.")
            % {"code": feedback.code},
        )
    if request.user.has_perm("khieunai.view_feedback"):
        return redirect("khieunai:staff_detail", code=feedback.code)
    return redirect("khieunai:hotline")


@staff_permission("khieunai.view_hotlinecall")
def hotline_export(request):
    period = read_query(request.GET, PERIOD)
    start = period["tu"] or timezone.localdate()
    end = max(period["den"] or start, start)
    calls = Counted(selectors.hotline_calls(request.user, start=start, end=end))
    rows = (
        [
            call.started_at,
            call.agency.name,
            call.line,
            call.caller_name,
            call.caller_phone,
            call.topic,
            call.dossier_code,
            _("Có") if call.related_dossier_id else (_("Không") if call.dossier_code else ""),
            call.summary,
            dt.timedelta(seconds=call.duration_seconds),
            call.handler.get_full_name(),
            call.get_outcome_display(),
            call.transferred_to,
            call.feedback.code if call.feedback_id else "",
            call.closed_at,
        ]
        for call in calls
    )
    response = xlsx.workbook_response(
        filename=f"duong-day-nong-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
        title=_("Nhật ký đường dây nóng từ %(start)s đến %(end)s")
        % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"},
        headers=[
            _("Thời điểm gọi"),
            _("Cơ quan"),
            _("Đường dây"),
            _("Người gọi"),
            _("Số điện thoại"),
            _("Chủ đề"),
            _("Mã hồ sơ"),
            _("Hồ sơ tìm thấy"),
            _("Tóm tắt"),
            _("Thời lượng"),
            _("Cán bộ nghe máy"),
            _("Kết quả"),
            _("Chuyển đến"),
            _("Phản ánh đã tạo"),
            _("Kết thúc"),
        ],
        rows=rows,
        widths=[16, 28, 14, 22, 14, 30, 24, 10, 50, 10, 22, 24, 20, 16, 16],
    )
    label = _("Nhật ký đường dây nóng %(start)s–%(end)s (Excel)") % {
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
    }
    log_access(
        request,
        action=AccessAction.EXPORT,
        label=label,
        count=calls.count,
        object_type="khieunai.hotlinecall",
    )
    return response


# --- citizen reception (Mẫu 06-TCD) ------------------------------------------------------------------


@staff_permission("khieunai.view_citizenreception")
def reception_list(request):
    params = read_query(request.GET, REGISTER_YEAR)
    year = params["nam"] or timezone.localdate().year
    entries = selectors.reception_register(request.user, year=year)
    if params["xuat"] == "xlsx":
        counted = Counted(entries)
        response = _reception_export(counted, year)
        label = _("Sổ tiếp công dân năm %(year)s (Excel)") % {"year": year}
        log_access(
            request,
            action=AccessAction.EXPORT,
            label=label,
            count=counted.count,
            object_type="khieunai.citizenreception",
        )
        return response
    entries = list(entries)
    label = _("Sổ tiếp công dân năm %(year)s") % {"year": year}
    log_access(
        request,
        action=AccessAction.VIEW,
        label=label,
        count=len(entries),
        object_type="khieunai.citizenreception",
    )
    this_year = timezone.localdate().year
    return render(
        request,
        "khieunai/reception/list.html",
        {"entries": entries, "year": year, "years": range(this_year, this_year - 5, -1)},
    )


def _reception_export(entries, year):
    rows = (
        [
            entry.number,
            entry.received_on,
            f"{entry.citizen_name}\n{entry.address}",
            entry.people_count,
            entry.content,
            entry.prior_handling,
            entry.request,
            entry.outcome,
            entry.officer.get_full_name(),
            entry.agency.name,
        ]
        for entry in entries
    )
    return xlsx.workbook_response(
        filename=f"so-tiep-cong-dan-{year}.xlsx",
        title=_("Sổ tiếp công dân năm %(year)s") % {"year": year},
        headers=[
            _("Số thứ tự"),
            _("Ngày tiếp"),
            _("Họ tên, địa chỉ"),
            _("Số người"),
            _("Nội dung vụ việc"),
            _("Quá trình xem xét, giải quyết của cơ quan có thẩm quyền (nếu có)"),
            _("Yêu cầu, đề nghị của công dân"),
            _("Tóm tắt kết quả tiếp và việc xử lý"),
            _("Cán bộ tiếp"),
            _("Cơ quan"),
        ],
        rows=rows,
        widths=[8, 12, 32, 8, 40, 30, 30, 36, 22, 28],
    )


@staff_permission("khieunai.add_citizenreception")
@once_per_token
def reception_create(request):
    form = CitizenReceptionForm(
        request.POST or None,
        initial={"received_on": timezone.localdate()},
        can_open_case=request.user.has_perm("khieunai.add_feedback"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.citizen_reception_record(
                agency=request.user.agency, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if entry.opened is not None:
                messages.success(
                    request,
                    _(
                        "Đã ghi sổ tiếp công dân, số thứ tự %(number)s, và vào sổ đơn %(code)s. "
                        "Mã tra cứu của công dân: %(pin)s (chỉ hiển thị một lần; đọc hoặc ghi cho công dân)."
                    )
                    % {"number": entry.number, "code": entry.opened.code, "pin": entry.opened.pin},
                )
                return redirect("khieunai:staff_detail", code=entry.opened.code)
            messages.success(request, _("Đã ghi sổ, số thứ tự %(number)s.") % {"number": entry.number})
            return redirect(f"{reverse('khieunai:reception')}?nam={entry.year}")
    return render(request, "khieunai/reception/create.html", {"form": form})
