"""Public catalogue pages: /thu-tuc/ (search, filters) and /thu-tuc/<code>/ (one procedure)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.params import page_param
from core.text import fold

from ..calendar_store import get_calendar
from ..deadlines import case_due_at
from ..models import Agency, AgencyLevel, DocumentKind, Field, Procedure, ProcedureDocument, ProcedureLevel
from . import places
from .selectors import public_procedure, public_procedures

PAGE_SIZE = 20

# The moment "now" of the appointment date; tests replace it to freeze time.
clock = timezone.now


class ProcedureSearchForm(forms.Form):
    q = forms.CharField(label=_("Tên, mã thủ tục hoặc lĩnh vực"), required=False, max_length=200)
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
    """One procedure with everything the catalogue knows of it. Any field may be missing in
    real data (no agency, no time, no fee, no papers): the page says so, never fails."""
    try:
        procedure = public_procedure(code)
    except Procedure.DoesNotExist as exc:
        raise Http404 from exc
    now = clock()
    receiving = list(procedure.receiving_agencies.all())
    centres = [] if receiving else centres_receiving(procedure)
    agency = (receiving or centres or [procedure.competent_agency])[0]
    cases = list(procedure.cases.all())
    calendar = get_calendar(agency)
    for case in cases:
        # What the counter would print on the receipt if the citizen filed right now; a
        # case without a stated time has no appointment (it cannot be received yet).
        case.appointment = case_due_at(calendar, case, now) if case.processing_time is not None else None
        documents = list(case.documents.all())
        case.papers_filed = [d for d in documents if d.kind != DocumentKind.SHOW]
        case.papers_shown = [d for d in documents if d.kind == DocumentKind.SHOW]
    return render(
        request,
        "thutuc/procedure_detail.html",
        {
            "procedure": procedure,
            "cases": cases,
            "receiving": receiving,
            "centres": centres,
            "generic_receiving": "" if receiving else places.generic_receiving_description(procedure),
            "now": now,
            "calendar_agency": agency,
        },
    )


def centres_receiving(procedure) -> list:
    """The one-stop centres that receive a procedure named with no agency (by its levels)."""
    if not places.received_anywhere(procedure):
        return []
    return list(
        Agency.objects.filter(level=AgencyLevel.ONE_STOP_CENTRE, is_active=True)
        .exclude(code=None)
        .order_by("name")[:20]
    )


# Content types of the form templates a catalogue admin may upload (upload_check.py).
TEMPLATE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "odt": "application/vnd.oasis.opendocument.text",
}


def document_template(request, pk: int):
    """The form (mẫu đơn, tờ khai) of one paper of an active procedure, as a download.

    MEDIA_URL is never served: every file leaves through a view that decides who may read
    it. Form templates of procedures in force are public; anything else is a 404."""
    document = (
        ProcedureDocument.objects.filter(pk=pk, case__procedure__is_active=True)
        .exclude(template="")
        .select_related("case__procedure")
        .first()
    )
    if document is None or not document.template.storage.exists(document.template.name):
        raise Http404
    extension = document.template.name.rsplit(".", 1)[-1].lower()
    if extension not in TEMPLATE_CONTENT_TYPES:
        raise Http404
    filename = f"{slugify(fold(document.name))[:80] or 'mau-don'}.{extension}"
    response = FileResponse(
        document.template.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=TEMPLATE_CONTENT_TYPES[extension],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
