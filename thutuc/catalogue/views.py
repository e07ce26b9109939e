"""Public catalogue pages: /thu-tuc/ (search, filters) and /thu-tuc/<code>/ (one procedure)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..calendar import due_at
from ..models import Field, Procedure, ProcedureLevel
from ..params import page_param
from .selectors import public_procedure, public_procedures

PAGE_SIZE = 20

# The moment "now" of the appointment date; tests replace it to freeze time.
clock = timezone.now


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc mã thủ tục"), required=False, max_length=200)
    linh_vuc = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.order_by("name"), required=False, empty_label=_("Tất cả")
    )
    cap = forms.ChoiceField(
        label=_("Cấp thực hiện"), choices=[("", _("Tất cả")), *ProcedureLevel.choices], required=False
    )


def procedure_list(request):
    form = ProcedureSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    procedures = public_procedures(
        text=criteria.get("q", ""),
        field_id=criteria["linh_vuc"].pk if criteria.get("linh_vuc") else None,
        level=criteria.get("cap", ""),
    )
    page = Paginator(procedures, PAGE_SIZE).get_page(page_param(request.GET, key="page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "thutuc/procedure_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "searched": bool(criteria.get("q"))},
    )


def procedure_detail(request, code):
    try:
        procedure = public_procedure(code)
    except Procedure.DoesNotExist as exc:
        raise Http404 from exc
    now = clock()
    receiving = list(procedure.receiving_agencies.all())
    agency = receiving[0] if receiving else procedure.competent_agency
    cases = list(procedure.cases.all())
    for case in cases:
        # What the counter would print on the receipt if the citizen filed right now.
        case.appointment = due_at(
            now, case.processing_time, case.processing_unit, agency=agency, cutoff=case.cutoff_time
        )
    return render(
        request,
        "thutuc/procedure_detail.html",
        {
            "procedure": procedure,
            "cases": cases,
            "receiving": receiving,
            "now": now,
            "calendar_agency": agency,
        },
    )
