"""Staff pages of the fee ledger: record a payment at the counter, an exemption, a refund
(on the dossier page), and the accountant's list and Excel of fees collected per agency and
period (/mot-cua/phi-le-phi/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core import dates
from core.once import once_per_token
from core.params import InvalidQuery
from thutuc.accounts.audit import log_access
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import visible_agencies
from thutuc.models import AccessAction

from ..forms_fees import FeeExemptionForm, FeePaymentForm, FeeRefundForm
from ..selectors_fees import FeeFilter, collected_entries, collected_summary, fees_workbook
from ..selectors_processing import sees_by_agency
from ..services import fees
from .dossier import _get_dossier, _render_detail

# what → (form, service, success message)
FEE_ACTIONS = {
    "nop": (FeePaymentForm, fees.fee_record_payment, gettext_lazy("Đã ghi nhận khoản nộp phí, lệ phí")),
    "mien-giam": (FeeExemptionForm, fees.fee_exempt, gettext_lazy("Đã ghi nhận miễn, giảm phí, lệ phí")),
    "hoan-tra": (FeeRefundForm, fees.fee_refund, gettext_lazy("Đã ghi nhận hoàn trả phí, lệ phí")),
}


def may_record_fees(user, dossier) -> bool:
    """The counter that received the dossier (reception), or a leader who sees it."""
    if user.is_superuser:
        return True
    return sees_by_agency(user, dossier) and has_role(user, Role.RECEPTION, Role.LEADER)


@login_required
@require_POST
@once_per_token
def dossier_fee(request, code, what):
    dossier = _get_dossier(request, code)
    if what not in FEE_ACTIONS:
        raise Http404
    if not may_record_fees(request.user, dossier):
        raise PermissionDenied
    form_class, service, done = FEE_ACTIONS[what]
    form = form_class(request.POST, prefix=f"fee-{what}")
    if not form.is_valid():
        return _render_detail(request, dossier, status=400, fee_forms={what: form})
    try:
        form.call(service, dossier=dossier, actor=request.user)
    except fees.FeeError as exc:
        form.add_error(None, str(exc))
        return _render_detail(request, dossier, status=409, fee_forms={what: form})
    messages.success(request, f"{done}: {dossier.code}.")
    return redirect("motcua:dossier_detail", code=dossier.code)


# --- the accountant's list -------------------------------------------------------------------


def fee_report_access(user) -> bool:
    return user.is_superuser or user.has_perm("motcua.view_feeentry")


class FeeFilterForm(forms.Form):
    co_quan = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan tiếp nhận"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Tất cả cơ quan được xem"),
    )
    tu_ngay = dates.RangeDateField(
        label=gettext_lazy("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    den_ngay = dates.RangeDateField(
        label=gettext_lazy("đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("tu_ngay") and data.get("den_ngay") and data["tu_ngay"] > data["den_ngay"]:
            self.add_error("den_ngay", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


def _filter(request, *, export: bool) -> tuple[FeeFilterForm, FeeFilter]:
    if not fee_report_access(request.user):
        raise PermissionDenied
    agencies = visible_agencies(request.user).exclude(code__isnull=True).order_by("name")
    today = timezone.localdate()
    query = request.GET.copy()
    query.setdefault("tu_ngay", today.replace(day=1).isoformat())
    query.setdefault("den_ngay", today.isoformat())
    form = FeeFilterForm(query, agencies=agencies)
    form.is_valid()
    if "co_quan" in form.errors:
        raise Http404
    if export and form.errors:
        raise InvalidQuery(form)
    data = form.cleaned_data
    date_from = data.get("tu_ngay") or today.replace(day=1)
    date_to = data.get("den_ngay") if data.get("den_ngay") and data.get("den_ngay") >= date_from else today
    agency_ids = [data["co_quan"].pk] if data.get("co_quan") else list(agencies.values_list("pk", flat=True))
    return form, FeeFilter(agency_ids=agency_ids, date_from=date_from, date_to=max(date_to, date_from))


@login_required
def fee_report(request):
    form, flt = _filter(request, export=False)
    summary = collected_summary(flt)
    entries = list(collected_entries(flt)[:200])
    return render(
        request,
        "motcua/fees/report.html",
        {"form": form, "flt": flt, "summary": summary, "entries": entries, "query": request.GET.urlencode()},
    )


@login_required
def fee_report_xlsx(request):
    form, flt = _filter(request, export=True)  # an invalid filter: 400 (InvalidQuery)
    content, count = fees_workbook(flt)
    log_access(request, action=AccessAction.EXPORT, label=_("Sổ thu phí, lệ phí"), count=count)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = f"{flt.date_from:%Y%m%d}-{flt.date_to:%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="phi-le-phi-{stamp}.xlsx"'
    return response
