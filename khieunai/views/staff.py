"""Staff pages for feedback, complaints and denunciations (/khieu-nai/)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import pins
from core.once import once_per_token
from core.params import PageField, QueryForm, choice_field
from core.workflow import TransitionError
from motcua.services.deadlines import format_working_hours
from thutuc.accounts.audit import Counted, log_access
from thutuc.deadlines import due_soon_hours
from thutuc.models import AccessAction

from .. import selectors, services
from ..confidentiality import can_see_identity, submitter_for
from ..deadlines import ALL_LIMITS
from ..forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    LinkForm,
    PublishForm,
    StaffFeedbackForm,
    TriageForm,
)
from ..models import FeedbackKind, FeedbackStatus
from . import xlsx
from .common import apply_errors, staff_permission

PAGE_SIZE = 50
SESSION_NEW_PIN = "khieunai_new_pin"  # code + sealed PIN of the feedback just entered


class FeedbackListQuery(QueryForm):
    """?loai= &trang_thai= &han= &q= (code or title, 100 characters) &trang= &xuat=xlsx"""

    loai = choice_field(FeedbackKind.choices, label=gettext_lazy("Loại đơn"))
    trang_thai = choice_field(FeedbackStatus.choices, label=gettext_lazy("Trạng thái"))
    han = choice_field(selectors.DUE_FILTERS, label=gettext_lazy("Thời hạn"))
    q = forms.CharField(label=gettext_lazy("Mã đơn, tiêu đề"), max_length=100, required=False)
    trang = PageField()
    xuat = choice_field(["xlsx"], label=gettext_lazy("Xuất"))


@staff_permission("khieunai.view_feedback")
def feedback_list(request):
    params = FeedbackListQuery.parse(request.GET)
    filters = {"kind": params["loai"], "status": params["trang_thai"], "due": params["han"], "q": params["q"]}
    qs = selectors.feedback_list(request.user, **filters)
    if params["xuat"] == "xlsx":
        return _export(request, qs)
    page = Paginator(qs, PAGE_SIZE).get_page(params["trang"])
    now = timezone.now()
    rows = [
        {
            "feedback": item,
            "submitter": submitter_for(request.user, item),
            "overdue": item.next_due_at is not None and item.next_due_at < now,
        }
        for item in page.object_list
    ]
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "khieunai/staff/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "kinds": FeedbackKind.choices,
            "statuses": FeedbackStatus.choices,
            "query": query.urlencode(),
            "due_soon_window": format_working_hours(due_soon_hours()),
        },
    )


def _export(request, qs):
    """Excel export of the list. Denunciation identities are always masked here."""
    counted = Counted(qs)
    rows = (
        [
            item.code,
            item.get_kind_display(),
            item.get_channel_display(),
            item.agency.name,
            submitter_for(None, item).name,
            item.title,
            item.received_at,
            item.get_triage_display(),
            item.accepted_at,
            item.due_at,
            item.get_status_display(),
            item.assignee.get_full_name() if item.assignee else "",
            item.answered_at,
        ]
        for item in counted.iterator(chunk_size=500)
    )
    response = xlsx.workbook_response(
        filename=f"phan-anh-khieu-nai-{timezone.localdate():%Y%m%d}.xlsx",
        title=_("Sổ tiếp nhận phản ánh, kiến nghị, khiếu nại, tố cáo"),
        headers=[
            _("Mã đơn"),
            _("Loại"),
            _("Kênh"),
            _("Cơ quan tiếp nhận"),
            _("Người gửi"),
            _("Tiêu đề"),
            _("Ngày nhận"),
            _("Phân loại"),
            _("Ngày thụ lý"),
            _("Hạn giải quyết"),
            _("Trạng thái"),
            _("Cán bộ xử lý"),
            _("Ngày trả lời"),
        ],
        rows=rows,
        widths=[16, 16, 16, 30, 24, 40, 16, 24, 16, 16, 18, 22, 16],
    )
    label = _("Sổ phản ánh, kiến nghị, khiếu nại, tố cáo (Excel)")
    log_access(
        request, action=AccessAction.EXPORT, label=label, count=counted.count, object_type="khieunai.feedback"
    )
    return response


@staff_permission("khieunai.add_feedback")
@once_per_token
def feedback_create(request):
    form = StaffFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.feedback_submit(
                kind=data["kind"],
                channel=data["channel"],
                agency=request.user.agency,
                title=data["title"],
                content=data["content"],
                submitter_name=data["submitter_name"],
                submitter_id_number=data["submitter_id_number"],
                submitter_phone=data["submitter_phone"],
                submitter_email=data["submitter_email"],
                submitter_address=data["submitter_address"],
                related_dossier_code=data["related_dossier_code"],
                is_second_instance=data["is_second_instance"],
                publish_answer=data["publish_answer"],
                received_at=data["received_at"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã vào sổ đơn %(code)s.") % {"code": feedback.code})
            # The PIN is shown once on the next page; the session keeps it sealed meanwhile
            # (never in a message cookie or the session in clear: issue 14 §3).
            request.session[SESSION_NEW_PIN] = {
                "code": feedback.code,
                "sealed_pin": pins.seal(feedback.code, feedback.pin),
            }
            return redirect("khieunai:staff_detail", code=feedback.code)
    return render(request, "khieunai/staff/create.html", {"form": form})


# URL slug -> (transition of services.TRANSITIONS, its form)
ACTIONS = {
    "phan-loai": ("triage", TriageForm),
    "phan-cong": ("assign", AssignForm),
    "tra-loi": ("answer", AnswerForm),
    "ket-thuc": ("close", CloseForm),
    "cong-khai": ("publish", PublishForm),
    "lien-ket": ("link", LinkForm),
}


def _forms(request, feedback, bound=None):
    """The action forms the user may use now (name -> form), `bound` replacing one."""
    user = request.user
    handler_only = feedback.kind == FeedbackKind.DENUNCIATION and not can_see_identity(user, feedback)
    forms = {}
    for slug, (name, form_class) in ACTIONS.items():
        transition = services.TRANSITIONS[name]
        if (
            handler_only
            or not any(user.has_perm(perm) for perm in transition.rights)
            or not services.WORKFLOW.allows(feedback, name)
        ):
            continue
        if name == "publish" and (
            not feedback.publish_answer or feedback.published_at or feedback.kind == FeedbackKind.DENUNCIATION
        ):
            continue
        kwargs = {}
        if form_class is TriageForm:
            kwargs["feedback"] = feedback
        if form_class in (AssignForm, LinkForm):
            kwargs["actor"] = user
        form = form_class(prefix=name, **kwargs)
        forms[name] = {"slug": slug, "form": form}
    if bound is not None:
        forms[bound[0]]["form"] = bound[1]
    return forms


def _detail_context(request, feedback, bound=None):
    original = feedback.forwarded_from
    return {
        # A case forwarded here: where it came from, with that agency's history.
        "original": original,
        "original_events": selectors.feedback_events(original) if original is not None else [],
        # Cases this one was forwarded to (their status; their page belongs to their agency).
        "forwards": list(feedback.forwards.select_related("agency")),
        "feedback": feedback,
        "submitter": submitter_for(request.user, feedback),
        "can_see_identity": can_see_identity(request.user, feedback),
        "events": selectors.feedback_events(feedback),
        "attachments": feedback.attachments.all(),
        "actions": _forms(request, feedback, bound),
        "labels": services.ACTION_LABELS,
        "triage_rule": ALL_LIMITS.get(feedback.triage_rule),
        "due_rule": ALL_LIMITS.get(feedback.due_rule),
        "now": timezone.now(),
    }


@staff_permission("khieunai.view_feedback")
def feedback_detail(request, code):
    feedback = selectors.feedback_get_for_staff(request.user, code)
    context = _detail_context(request, feedback)
    context["new_pin"] = _pop_new_pin(request, feedback.code)
    log_access(request, action=AccessAction.VIEW, obj=feedback, label=_identity_label(request, feedback))
    return render(request, "khieunai/staff/detail.html", context)


def _pop_new_pin(request, code: str) -> str:
    """The PIN of a feedback this officer just entered, once (see feedback_create)."""
    stored = request.session.get(SESSION_NEW_PIN)
    if not isinstance(stored, dict) or stored.get("code") != code:
        return ""
    del request.session[SESSION_NEW_PIN]
    return pins.unseal(code, stored.get("sealed_pin", ""), max_age=15 * 60)


def _identity_label(request, feedback) -> str:
    # A denouncer's identity is confidential: the log says whether it was shown in clear.
    if feedback.kind != FeedbackKind.DENUNCIATION:
        return ""
    if can_see_identity(request.user, feedback):
        return _("Tố cáo: danh tính người tố cáo được hiển thị")
    return _("Tố cáo: danh tính người tố cáo được giữ bí mật")


@require_POST
@staff_permission("khieunai.view_feedback")
@once_per_token
def feedback_action(request, code, action):
    feedback = selectors.feedback_get_for_staff(request.user, code)
    if action not in ACTIONS:
        raise PermissionDenied
    name, form_class = ACTIONS[action]
    forms = _forms(request, feedback)
    if name not in forms:
        messages.error(request, _("Không thể thực hiện thao tác này."))
        return redirect("khieunai:staff_detail", code=code)
    kwargs = {"feedback": feedback} if form_class is TriageForm else {}
    if form_class in (AssignForm, LinkForm):
        kwargs["actor"] = request.user
    form = form_class(request.POST, prefix=name, **kwargs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if name == "triage":
                services.feedback_triage(
                    feedback=feedback,
                    triage=data["triage"],
                    note=data["note"],
                    forwarded_to=data["forwarded_to"],
                    forwarded_agency=data["forwarded_agency"],
                    is_complex=data.get("is_complex"),
                    is_remote_area=data.get("is_remote_area"),
                    is_second_instance=data.get("is_second_instance"),
                    actor=request.user,
                )
            elif name == "assign":
                services.feedback_assign(
                    feedback=feedback, assignee=data["assignee"], note=data["note"], actor=request.user
                )
            elif name == "answer":
                services.feedback_answer(feedback=feedback, answer=data["answer"], actor=request.user)
            elif name == "close":
                services.feedback_close(feedback=feedback, note=data["note"], actor=request.user)
            elif name == "publish":
                services.feedback_publish(
                    feedback=feedback, public_title=data["public_title"], actor=request.user
                )
            elif name == "link":
                services.feedback_link(
                    feedback=feedback,
                    dossier_code=data["dossier_code"],
                    related_officer=data["related_officer"],
                    actor=request.user,
                )
        except TransitionError as error:
            if error.forbidden:  # the actor's right, checked on the locked row: 403 as ever
                raise PermissionDenied from error
            apply_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("khieunai:staff_detail", code=code)
    feedback.refresh_from_db()
    return render(
        request,
        "khieunai/staff/detail.html",
        _detail_context(request, feedback, bound=(name, form)),
        status=400,
    )


@staff_permission("khieunai.view_feedback")
def feedback_notice(request, code):
    """Printable written notice: acceptance / refusal / forwarding (Mẫu 01-KN, 02-KN style)."""
    feedback = selectors.feedback_get_for_staff(request.user, code)
    if feedback.triaged_at is None:
        raise PermissionDenied
    context = {
        "feedback": feedback,
        "submitter": submitter_for(request.user, feedback),
        "due_rule": ALL_LIMITS.get(feedback.due_rule),
    }
    log_access(request, action=AccessAction.PRINT, obj=feedback, label=_identity_label(request, feedback))
    return render(request, "khieunai/staff/notice.html", context)
