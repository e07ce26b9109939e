"""The online inbox of a counter (NĐ 118/2025/NĐ-CP Điều 17 khoản 2): the filings made on
the national portal waiting for the check, each with its 08-working-hour deadline; one
filing with its three decisions (accept → the receipt, supplement → form 02, refuse →
form 03)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.once import once_per_token
from core.workflow import TransitionError
from thutuc.accounts.audit import log_access
from thutuc.accounts.visibility import restrict_to_visible
from thutuc.deadlines import ONLINE_DUE_SOON_WORKING_HOURS
from thutuc.models import AccessAction, ProcedureDocument

from ..forms_online import OnlineAcceptForm, OnlineInboxQuery, OnlineRefuseForm, OnlineSupplementForm
from ..models import OnlineSubmission, PaperFile, Status
from ..services.deadlines import calendars_for, remaining_working_time
from ..services.online import (
    online_submission_accept,
    online_submission_refuse,
    online_submission_request_supplement,
)
from .intake import reception_required, remember_pin, staff_required

PAGE_SIZE = 25


def _visible(request):
    return restrict_to_visible(OnlineSubmission.objects.all(), request.user, field="agency")


def _with_deadline_text(submissions, *, now):
    """`deadline_text` / `deadline_css` of each waiting filing: the working time left of its
    08 working hours, or how late it is (one query for the page's calendars)."""
    calendars = calendars_for({s.agency_id: s.agency for s in submissions}.values())
    for submission in submissions:
        if not submission.is_waiting:
            submission.deadline_text, submission.deadline_css = "", ""
            continue
        remaining = remaining_working_time(
            submission.decision_due_at, calendar=calendars[submission.agency_id], now=now
        )
        submission.deadline_text = str(remaining)
        submission.deadline_css = (
            "status-bad"
            if remaining.overdue
            else "status-warn"
            if remaining.hours <= ONLINE_DUE_SOON_WORKING_HOURS
            else "status-ok"
        )
    return submissions


@staff_required
def online_inbox(request):
    params = OnlineInboxQuery.parse(request.GET)
    decided = params["xem"] == "da-xu-ly"
    queryset = _visible(request).select_related("agency", "procedure", "decided_by", "dossier", "attempt")
    if decided:
        queryset = queryset.exclude(status=Status.SUBMITTED_ONLINE).order_by("-decided_at", "-pk")
    else:
        queryset = queryset.filter(status=Status.SUBMITTED_ONLINE).order_by("decision_due_at", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(params["trang"])
    _with_deadline_text(list(page.object_list), now=timezone.now())
    waiting = _visible(request).filter(status=Status.SUBMITTED_ONLINE).count()
    return render(
        request, "motcua/online/inbox.html", {"page": page, "decided": decided, "waiting_count": waiting}
    )


def _get(request, pk):
    return get_object_or_404(
        _visible(request).select_related(
            "agency", "procedure", "case", "recorded_by", "decided_by", "dossier", "attempt"
        ),
        pk=pk,
    )


def _papers(submission):
    return list(ProcedureDocument.objects.filter(case_id=submission.case_id).order_by("order", "pk"))


def _render(
    request, submission, *, accept_form=None, supplement_form=None, refuse_form=None, status=200, error=""
):
    _with_deadline_text([submission], now=timezone.now())
    context = {
        "submission": submission,
        "accept_form": accept_form or OnlineAcceptForm(procedure=submission.procedure, prefix="tn"),
        "supplement_form": supplement_form or OnlineSupplementForm(papers=_papers(submission), prefix="bs"),
        "refuse_form": refuse_form or OnlineRefuseForm(prefix="tc"),
        "open_form": "tn"
        if accept_form is not None
        else "bs"
        if supplement_form is not None
        else "tc"
        if refuse_form is not None
        else "",
        "action_error": error,
        "paper_files": list(
            PaperFile.objects.filter(filing__submission=submission).select_related("added_by").order_by("pk")
        ),
    }
    return render(request, "motcua/online/detail.html", context, status=status)


@staff_required
def online_detail(request, pk):
    submission = _get(request, pk)
    log_access(request, action=AccessAction.VIEW, obj=submission, label=_("Hồ sơ trực tuyến"))
    return _render(request, submission)


@reception_required
@require_POST
@once_per_token
def online_accept(request, pk):
    submission = _get(request, pk)
    form = OnlineAcceptForm(request.POST, procedure=submission.procedure, prefix="tn")
    if not form.is_valid():
        return _render(request, submission, accept_form=form, status=400)
    try:
        dossier, pin = online_submission_accept(
            submission=submission,
            actor=request.user,
            competent_agency=form.cleaned_data["competent_agency"],
            applicant_commune=form.cleaned_data["applicant_commune"],
        )
    except TransitionError as error:
        return _render(request, _get(request, pk), status=409, error=str(error))
    remember_pin(request, dossier.code, pin)
    messages.success(request, _("Đã tiếp nhận hồ sơ trực tuyến: mã hồ sơ %(code)s.") % {"code": dossier.code})
    if submission.decided_late:
        messages.warning(request, _("Hồ sơ được tiếp nhận sau thời hạn 08 giờ làm việc."))
    return redirect("motcua:intake_done", code=dossier.code)


@reception_required
@require_POST
@once_per_token
def online_supplement(request, pk):
    submission = _get(request, pk)
    form = OnlineSupplementForm(request.POST, papers=_papers(submission), prefix="bs")
    if not form.is_valid():
        return _render(request, submission, supplement_form=form, status=400)
    try:
        attempt = online_submission_request_supplement(
            submission=submission,
            actor=request.user,
            missing_documents=form.missing_documents(),
            reason=form.cleaned_data["reason"],
        )
    except TransitionError as error:
        return _render(request, _get(request, pk), status=409, error=str(error))
    messages.success(request, _("Đã yêu cầu bổ sung, hoàn thiện hồ sơ trực tuyến (Mẫu số 02)."))
    return redirect("motcua:intake_attempt", number=attempt.number)


@reception_required
@require_POST
@once_per_token
def online_refuse(request, pk):
    submission = _get(request, pk)
    form = OnlineRefuseForm(request.POST, prefix="tc")
    if not form.is_valid():
        return _render(request, submission, refuse_form=form, status=400)
    try:
        attempt = online_submission_refuse(
            submission=submission, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except TransitionError as error:
        return _render(request, _get(request, pk), status=409, error=str(error))
    messages.success(request, _("Đã từ chối tiếp nhận hồ sơ trực tuyến (Mẫu số 03)."))
    return redirect("motcua:intake_attempt", number=attempt.number)
