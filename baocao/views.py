"""Pages of the baocao app: thin — authenticate, authorise, parse, call a service or selector."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.once import once_per_token
from core.params import IdField, PageField, QueryForm, choice_field
from core.workflow import TransitionError
from thutuc.accounts.visibility import can_see_agency, sees_everything
from thutuc.models import AgencyLevel

from . import exports, figures, ii06a, selectors, services
from .forms import CreateReportForm, NarrativeForm, QuarterForm, ReturnForm, StatisticsForm
from .models import ExportStatus, QuarterlyReport, ReportExport, ReportStatus
from .periods import quarter_period, report_deadline
from .presentation import view as present

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_centre(agency) -> bool:
    """Whether the receiving variant of the form is named after a one-stop centre (or, for
    another agency, its Bộ phận Một cửa); the whole province counts its centres."""
    return agency is None or agency.level == AgencyLevel.ONE_STOP_CENTRE


def province_title() -> str:
    name = selectors.province_name()
    return (
        _("%(province)s – tổng hợp các đơn vị") % {"province": name[:1].upper() + name[1:]}
        if name
        else _("Toàn tỉnh – tổng hợp các đơn vị")
    )


def _stats_query(*, agency_id, period, grouping="field", role=ii06a.DEFAULT_AGENCY_ROLE) -> str:
    """Query string of the statistics/drill-down pages for an agency (None = province)."""
    params = {"grouping": grouping, "role": role}
    if period.quarter:
        params.update(kind="quarter", year=period.year, quarter=period.quarter)
    else:
        params.update(kind="custom", date_from=period.start.isoformat(), date_to=period.end.isoformat())
    if agency_id:
        params["agency"] = agency_id
    return urlencode(params)


@login_required
@permission_required("baocao.view_quarterlyreport", raise_exception=True)
def index(request):
    """Sở Nội vụ: the quarter's overview of every unit. Leaders: their unit's reports."""
    quarter_form = QuarterForm.from_query(request.GET)
    year, quarter = quarter_form.cleaned_data["year"], quarter_form.cleaned_data["quarter"]
    if sees_everything(request.user):
        period = quarter_period(year, quarter)
        table = ii06a.compute(selectors.agency_scope(None), period, grouping="unit")
        return render(
            request,
            "baocao/overview.html",
            {
                "quarter_form": quarter_form,
                "period": period,
                "deadline": report_deadline(year, quarter),
                "units": selectors.overview(year, quarter),
                "table": table,
                "stats_query": _stats_query(agency_id=None, period=period, grouping="unit"),
                "province_title": province_title(),
                "year": year,
                "quarter": quarter,
            },
        )
    agency = selectors.reporting_agency_for(request.user)
    reports = selectors.reports_visible_to(request.user)
    return render(
        request,
        "baocao/unit_reports.html",
        {
            "agency": agency,
            "reports": reports,
            "create_form": CreateReportForm(initial={"year": year, "quarter": quarter}),
            "can_create": agency is not None and request.user.has_perm("baocao.add_quarterlyreport"),
        },
    )


@login_required
@require_POST
@permission_required("baocao.add_quarterlyreport", raise_exception=True)
@once_per_token
def report_create(request):
    form = CreateReportForm(request.POST)
    agency = selectors.reporting_agency_for(request.user)
    if agency is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            report = services.report_create(
                agency=agency,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("baocao:report_detail", pk=report.pk)
    return render(
        request,
        "baocao/unit_reports.html",
        {
            "agency": agency,
            "reports": selectors.reports_visible_to(request.user),
            "create_form": form,
            "can_create": True,
        },
        status=400,
    )


def _get_report(request, pk) -> QuarterlyReport:
    # Another agency's report is a 404, not a 403: its existence is not disclosed.
    return get_object_or_404(selectors.reports_visible_to(request.user), pk=pk)


def _report_context(request, report, *, narrative_form=None, return_form=None) -> dict:
    payload = services.report_payload(report)
    data = present(payload)
    user = request.user
    return {
        **data,
        "report": report,
        "frozen": not report.is_editable and report.snapshot is not None,
        "events": report.events.select_related("actor"),
        "narrative_form": narrative_form or (NarrativeForm(instance=report) if report.is_editable else None),
        "return_form": return_form or ReturnForm(),
        "can_edit": report.is_editable and user.has_perm("baocao.change_quarterlyreport"),
        "can_submit": report.is_editable and user.has_perm("baocao.submit_quarterlyreport"),
        "period_ended": services.period_has_ended(report),
        "can_review": report.status in (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
        and user.has_perm("baocao.review_quarterlyreport"),
        "stats_query": _stats_query(
            agency_id=report.agency_id, period=data["period"], role=data["agency_role"]
        ),
        "exports": report.exports.filter(status=ExportStatus.DONE).order_by("-created_at")[:6],
    }


@login_required
@permission_required("baocao.view_quarterlyreport", raise_exception=True)
def report_detail(request, pk):
    report = _get_report(request, pk)
    return render(request, "baocao/report_detail.html", _report_context(request, report))


@login_required
@require_POST
@permission_required("baocao.change_quarterlyreport", raise_exception=True)
@once_per_token
def report_edit(request, pk):
    report = _get_report(request, pk)
    form = NarrativeForm(request.POST, instance=report)
    if form.is_valid():
        try:
            services.report_update_narrative(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã lưu nội dung báo cáo."))
        return redirect("baocao:report_detail", pk=report.pk)
    report.refresh_from_db()
    return render(
        request,
        "baocao/report_detail.html",
        _report_context(request, report, narrative_form=form),
        status=400,
    )


def _refusal_message(refusal: TransitionError) -> str:
    """A refused transition's message for the page; a refused right stays a 403."""
    if refusal.forbidden:
        raise PermissionDenied from refusal
    return " ".join(refusal.messages)


@login_required
@require_POST
@permission_required("baocao.submit_quarterlyreport", raise_exception=True)
@once_per_token
def report_submit(request, pk):
    report = _get_report(request, pk)
    try:
        services.report_submit(report=report, actor=request.user)
    except TransitionError as exc:
        messages.error(request, _refusal_message(exc))
    else:
        messages.success(request, _("Đã gửi báo cáo đến Sở Nội vụ; số liệu đã được chốt."))
    return redirect("baocao:report_detail", pk=report.pk)


@login_required
@require_POST
@permission_required("baocao.review_quarterlyreport", raise_exception=True)
@once_per_token
def report_accept(request, pk):
    report = _get_report(request, pk)
    try:
        services.report_accept(report=report, actor=request.user)
    except TransitionError as exc:
        messages.error(request, _refusal_message(exc))
    else:
        messages.success(request, _("Đã tiếp nhận báo cáo."))
    return redirect("baocao:report_detail", pk=report.pk)


@login_required
@require_POST
@permission_required("baocao.review_quarterlyreport", raise_exception=True)
@once_per_token
def report_return(request, pk):
    report = _get_report(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(report=report, comment=form.cleaned_data["comment"], actor=request.user)
        except TransitionError as exc:
            messages.error(request, _refusal_message(exc))
        else:
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị."))
            return redirect("baocao:report_detail", pk=report.pk)
    return render(
        request, "baocao/report_detail.html", _report_context(request, report, return_form=form), status=400
    )


@login_required
@require_POST
@permission_required("baocao.add_reportexport", raise_exception=True)
@once_per_token
def report_export(request, pk, fmt):
    report = _get_report(request, pk)
    payload = services.report_payload(report)
    title = f"bao-cao-cchc-{report.agency.code}-q{report.quarter}-{report.year}-v{report.version}"
    export = services.export_request(
        payload=payload, fmt=fmt, title=title, actor=request.user, report=report, agency=report.agency
    )
    return redirect("baocao:export_status", pk=export.pk)


@login_required
@require_POST
@permission_required("baocao.add_reportexport", raise_exception=True)
@once_per_token
def statistics_export(request, fmt):
    """Export the statistics table shown (an agency's, or the province's for Sở Nội vụ)."""
    form = StatisticsForm(request.POST, user=request.user)
    if not form.is_valid():
        raise Http404
    agency = form.cleaned_data.get("agency")
    period = form.period()
    title = agency.name if agency else province_title()
    payload = figures.report_payload(
        scope=form.scope(),
        period=period,
        title=str(title),
        agency={"id": agency.pk, "code": agency.code, "name": agency.name} if agency else None,
        is_centre=is_centre(agency),
    )
    name = (
        f"thong-ke-ii06a-{agency.code if agency else 'toan-tinh'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    )
    export = services.export_request(payload=payload, fmt=fmt, title=name, actor=request.user, agency=agency)
    return redirect("baocao:export_status", pk=export.pk)


def _get_export(request, pk) -> ReportExport:
    export = get_object_or_404(ReportExport.objects.select_related("report"), pk=pk)
    if export.agency_id is None:
        allowed = sees_everything(request.user)
    else:
        allowed = can_see_agency(request.user, export.agency_id)
    if not allowed:
        raise Http404
    return export


@login_required
@permission_required("baocao.view_reportexport", raise_exception=True)
def export_status(request, pk):
    export = _get_export(request, pk)
    return render(request, "baocao/export_status.html", {"export": export})


@login_required
@permission_required("baocao.view_reportexport", raise_exception=True)
def export_download(request, pk):
    export = _get_export(request, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    content_type = "application/pdf" if export.format == "pdf" else XLSX
    response = FileResponse(
        export.file.open("rb"), content_type=content_type, as_attachment=True, filename=export.filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required("baocao.view_statistics", raise_exception=True)
def statistics(request):
    form = StatisticsForm(request.GET, user=request.user)
    context = {"form": form}
    if form.is_valid():
        period = form.period()
        grouping = form.cleaned_data["grouping"]
        table = ii06a.compute(form.scope(), period, grouping=grouping)
        agency = form.cleaned_data.get("agency")
        context.update(
            table=table,
            period=period,
            variant=ii06a.variant_title(form.cleaned_data["role"], is_centre=is_centre(agency)),
            running=ii06a.is_running(period),
            stats_query=_stats_query(
                agency_id=agency.pk if agency else None,
                period=period,
                grouping=grouping,
                role=form.cleaned_data["role"],
            ),
            post_data=form.data,
        )
    return render(request, "baocao/statistics.html", context)


class DrillDownQuery(QueryForm):
    """The drill-down's own parameters (the period and scope are the StatisticsForm's):
    ?col= (a column of II.06a) &key= (a field or unit id) &format=xlsx &page="""

    col = forms.TypedChoiceField(
        label=gettext_lazy("Cột"), choices=[(c, c) for c in ii06a.COLUMNS], coerce=int
    )
    key = IdField(label=gettext_lazy("Lĩnh vực hoặc đơn vị"))
    format = choice_field(["xlsx"], label=gettext_lazy("Định dạng"))
    page = PageField()


@login_required
@permission_required("baocao.view_statistics", raise_exception=True)
def drill_down(request):
    """The dossiers behind one number: the same Q as the aggregate (ii06a.column_q). A link
    the statistics page did not make (an invalid period, another unit, an unknown column or
    key) is a 404."""
    form = StatisticsForm(request.GET, user=request.user)
    params = DrillDownQuery(request.GET)
    if not (form.is_valid() and params.is_valid()):
        raise Http404
    column, key = str(params.cleaned_data["col"]), params.cleaned_data["key"]
    period = form.period()
    grouping = form.cleaned_data["grouping"] if key is not None else None
    dossiers = ii06a.dossiers_in(form.scope(), period, int(column), grouping=grouping, key=key)
    agency = form.cleaned_data.get("agency")
    title = _("Cột (%(c)s) – %(label)s – %(period)s") % {
        "c": column,
        "label": ii06a.COLUMN_LABELS[int(column)],
        "period": period.label,
    }
    if params.cleaned_data["format"] == "xlsx":
        response = HttpResponse(exports.dossiers_xlsx(dossiers, title=title), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ho-so-cot-{column}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    page = Paginator(dossiers, 50).get_page(params.cleaned_data["page"])
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "baocao/drill_down.html",
        {
            "page": page,
            "title": title,
            "agency": agency,
            "period": period,
            "query": query.urlencode(),
            "column": int(column),
            "back": reverse("baocao:statistics")
            + "?"
            + urlencode({k: v for k, v in query.items() if k not in ("col", "key")}),
        },
    )
