"""Pages of the report requests (the reporting calendar's periodic and ad-hoc reports):
Sở Nội vụ lists and creates them, reads each unit's answer, accepts or returns it; a unit's
leader reads what is asked and sends the answer. Another unit's answer is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.once import once_per_token
from core.workflow import TransitionError
from thutuc.accounts.visibility import restrict_to_visible, sees_everything

from . import requests as service
from .forms import ReportRequestForm as CreateForm
from .forms import RequestAnswerForm, ReturnForm
from .models import ReportRequest, ReportRequestUnit, RequestUnitStatus


def _is_home_affairs(user) -> bool:
    return user.has_perm(service.REVIEW) and sees_everything(user)


def _units_visible_to(user):
    queryset = ReportRequestUnit.objects.select_related("request", "agency", "submitted_by")
    return queryset if _is_home_affairs(user) else restrict_to_visible(queryset, user, field="agency")


@login_required
@permission_required("baocao.view_quarterlyreport", raise_exception=True)
def request_list(request, form=None):
    if _is_home_affairs(request.user):
        requests = ReportRequest.objects.annotate(
            unit_count=Count("units"),
            sent_count=Count("units", filter=~Q(units__status=RequestUnitStatus.PENDING)),
        )
        context = {"requests": requests, "form": form or CreateForm(), "home_affairs": True}
    else:
        context = {"units": _units_visible_to(request.user).order_by("-request__due_date", "-request_id")}
    # the year's reporting calendar (periods and due dates), for both sides
    context["calendar"] = service.reporting_calendar(timezone.localdate().year)
    context["calendar_year"] = timezone.localdate().year
    return render(request, "baocao/requests.html", context, status=400 if form is not None else 200)


@login_required
@require_POST
@permission_required(service.REVIEW, raise_exception=True)
@once_per_token
def request_create(request):
    if not _is_home_affairs(request.user):
        raise PermissionDenied
    form = CreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = service.request_create(
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                due_date=data["due_date"],
                agencies=data["agencies"],
                actor=request.user,
                period=form.period,
            )
        except TransitionError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Đã gửi yêu cầu báo cáo đến %(n)s đơn vị.") % {"n": len(data["agencies"])}
            )
            return redirect("baocao:request_detail", pk=created.pk)
    return request_list(request, form=form)


@login_required
@permission_required("baocao.view_quarterlyreport", raise_exception=True)
def request_detail(request, pk, *, answer_form=None, return_form=None, status=200):
    report_request = get_object_or_404(ReportRequest, pk=pk)
    units = list(_units_visible_to(request.user).filter(request=report_request))
    if not units:
        raise Http404
    return render(
        request,
        "baocao/request_detail.html",
        {
            "report_request": report_request,
            "units": units,
            "home_affairs": _is_home_affairs(request.user),
            "can_submit": request.user.has_perm(service.SUBMIT),
            "answer_form": answer_form,
            "return_form": return_form or ReturnForm(),
        },
        status=status,
    )


def _unit(request, pk) -> ReportRequestUnit:
    return get_object_or_404(_units_visible_to(request.user), pk=pk)


def _refused(exc: TransitionError) -> str:
    if exc.forbidden:
        raise PermissionDenied from exc
    return " ".join(exc.messages)


@login_required
@require_POST
@permission_required(service.SUBMIT, raise_exception=True)
@once_per_token
def request_submit(request, pk):
    unit = _unit(request, pk)
    form = RequestAnswerForm(request.POST)
    if form.is_valid():
        try:
            service.request_submit(unit=unit, answer=form.cleaned_data["answer"], actor=request.user)
        except TransitionError as exc:
            messages.error(request, _refused(exc))
        else:
            messages.success(request, _("Đã gửi báo cáo đến Sở Nội vụ."))
        return redirect("baocao:request_detail", pk=unit.request_id)
    return request_detail(request, unit.request_id, answer_form=form, status=400)


@login_required
@require_POST
@permission_required(service.REVIEW, raise_exception=True)
@once_per_token
def request_review(request, pk, verdict):
    if verdict not in ("accept", "return"):
        raise Http404
    unit = _unit(request, pk)
    form = ReturnForm(request.POST) if verdict == "return" else None
    if form is not None and not form.is_valid():
        return request_detail(request, unit.request_id, return_form=form, status=400)
    try:
        service.request_review(
            unit=unit,
            accept=verdict == "accept",
            actor=request.user,
            comment=form.cleaned_data["comment"] if form is not None else "",
        )
    except TransitionError as exc:
        messages.error(request, _refused(exc))
    else:
        messages.success(
            request, _("Đã tiếp nhận báo cáo.") if verdict == "accept" else _("Đã trả lại báo cáo.")
        )
    return redirect("baocao:request_detail", pk=unit.request_id)
