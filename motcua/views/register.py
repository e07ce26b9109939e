"""The register page (Sổ theo dõi hồ sơ) with its filters, Excel export and A4 PDF."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.params import InvalidQuery, page_param
from core.pdf import pdf_response
from thutuc.accounts.audit import Counted, log_access
from thutuc.accounts.roles import Role, has_role
from thutuc.accounts.visibility import visible_agencies
from thutuc.models import AccessAction, Procedure

from .. import printed_forms
from ..models import Status
from ..register import COLUMNS, RegisterFilter, register_entries, register_workbook, row_values
from ..register_pdf import render_register_pdf
from ..templatetags.dossier_links import dossier_url

PER_PAGE = 50
# A printed book beyond this many entries is refused with a hint to print it in parts (a
# date range) or use the Excel export: a book that long is no longer read on paper, and the
# request must finish well within the web server's timeout (motcua.register_pdf).
MAX_PDF_ROWS = 2000


def register_access(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        allowed = request.user.is_superuser or has_role(
            request.user, Role.RECEPTION, Role.LEADER, Role.HOME_AFFAIRS
        )
        if not allowed:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class RegisterFilterForm(forms.Form):
    co_quan = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận"), queryset=None, required=False, empty_label=None
    )
    nam = dates.YearField(label=_("Năm"), required=False)
    thu_tuc = forms.ModelChoiceField(
        label=_("Thủ tục"), queryset=Procedure.objects.none(), required=False, empty_label=_("Tất cả")
    )
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *Status.choices]
    )
    tu_ngay = dates.RangeDateField(
        label=_("Nhận từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    den_ngay = dates.RangeDateField(
        label=_("đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = agencies

    def clean(self):
        data = super().clean()
        if data.get("tu_ngay") and data.get("den_ngay") and data["tu_ngay"] > data["den_ngay"]:
            self.add_error("den_ngay", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


def _filtered(request, *, export: bool = False):
    """(form, agency, year, entries) for the request. Every parameter is read through the
    filter form: another agency's book (or an unknown one) is a 404, as if it did not exist;
    on the page an invalid filter shows its error and the valid ones apply, an export with
    an invalid filter answers 400 (core.params.InvalidQuery)."""
    # An agency ended by a reorganisation (valid_to set) keeps its closed books.
    agencies = (
        visible_agencies(request.user)
        .exclude(code__isnull=True)
        .filter(Q(is_active=True) | Q(valid_to__isnull=False))
        .order_by("name")
    )
    agency_list = list(agencies)
    if not agency_list:
        raise Http404
    # The Năm box shows the year of the book in the title, also when none was asked for.
    query = request.GET.copy()
    if not query.get("nam"):
        query["nam"] = str(timezone.localdate().year)
    form = RegisterFilterForm(query, agencies=agencies)
    # Any procedure received by the visible agencies validates; the list shown is narrowed below.
    form.fields["thu_tuc"].queryset = Procedure.objects.filter(
        dossiers__receiving_agency__in=agencies
    ).distinct()
    form.is_valid()
    if "co_quan" in form.errors:
        raise Http404  # another agency's book: as if it did not exist
    if export and form.errors:
        raise InvalidQuery(form)
    data = form.cleaned_data  # the valid filters apply; the others show their error
    agency = data.get("co_quan") or next(
        (a for a in agency_list if a.pk == request.user.agency_id), agency_list[0]
    )
    year = data.get("nam") or timezone.localdate().year
    form.fields["thu_tuc"].queryset = Procedure.objects.filter(
        dossiers__receiving_agency=agency, dossiers__register_year=year
    ).distinct()
    flt = RegisterFilter(
        agency_id=agency.pk,
        year=year,
        procedure_id=data["thu_tuc"].pk if data.get("thu_tuc") else None,
        status=data.get("trang_thai") or "",
        date_from=data.get("tu_ngay"),
        date_to=data.get("den_ngay") if "den_ngay" not in form.errors else None,
    )
    return form, agency, flt.year, register_entries(flt)


@register_access
def register(request):
    form, agency, year, entries = _filtered(request)
    page = Paginator(entries, PER_PAGE).get_page(page_param(request.GET, key="page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "motcua/register/register.html",
        {
            "form": form,
            "agency": agency,
            "year": year,
            "page": page,
            "rows": [row_values(d) for d in page.object_list],
            "columns": [heading for heading, _w in COLUMNS],
            "query": query.urlencode(),
        },
    )


@register_access
def register_xlsx(request):
    _form, agency, year, entries = _filtered(request, export=True)
    rows = Counted(entries)
    content = register_workbook(rows, agency=agency, year=year)
    label = _("Sổ theo dõi hồ sơ năm %(year)s (Excel)") % {"year": year}
    log_access(
        request,
        action=AccessAction.EXPORT,
        label=label,
        count=rows.count,
        agency=agency,
        object_type="motcua.dossier",
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="so-theo-doi-{agency.code}-{year}.xlsx"'
    return response


@register_access
def register_pdf(request):
    """The whole book for the chosen year and filters, as printed pages (A4 landscape,
    headings repeated on every page) — not only the page on screen."""
    form, agency, year, entries = _filtered(request, export=True)
    total = entries.count()
    if total > MAX_PDF_ROWS:
        return render(
            request,
            "motcua/register/too_long.html",
            {"total": total, "limit": MAX_PDF_ROWS, "year": year, "query": request.GET.urlencode()},
            status=400,
        )
    rows = [row_values(d) for d in entries.iterator(chunk_size=2000)]
    label = _("%(form)s năm %(year)s (PDF)") % {"form": printed_forms.REGISTER, "year": year}
    log_access(
        request,
        action=AccessAction.EXPORT,
        label=label,
        count=len(rows),
        agency=agency,
        object_type="motcua.dossier",
    )
    subtitle = _("%(agency)s · %(count)s hồ sơ") % {"agency": agency.name, "count": len(rows)}
    filters = _filter_summary(form)
    if filters:
        subtitle += f" · {filters}"
    pdf = render_register_pdf(
        rows=rows,
        columns=[heading for heading, _w in COLUMNS],
        head=printed_forms.letterhead(
            printed_forms.one_stop_issuer(agency), form=printed_forms.REGISTER, number=None
        ),
        title=_("Sổ theo dõi hồ sơ năm %(year)s") % {"year": year},
        subtitle=subtitle,
        link=lambda code: dossier_url(
            code, user=request.user, request=request, absolute=True, receiving_agency_id=agency.pk
        ),
    )
    return pdf_response(pdf, f"so-theo-doi-{agency.code}-{year}.pdf")


def _filter_summary(form) -> str:
    """The filters other than the agency and year, as printed under the book's title."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return ""
    data = form.cleaned_data
    parts = []
    if data.get("thu_tuc"):
        parts.append(_("Thủ tục: %(name)s") % {"name": data["thu_tuc"].name})
    if data.get("trang_thai"):
        parts.append(_("Trạng thái: %(status)s") % {"status": Status(data["trang_thai"]).label})
    if data.get("tu_ngay"):
        parts.append(_("nhận từ ngày %(day)s") % {"day": f"{data['tu_ngay']:%d/%m/%Y}"})
    if data.get("den_ngay") and "den_ngay" not in form.errors:
        parts.append(_("đến ngày %(day)s") % {"day": f"{data['den_ngay']:%d/%m/%Y}"})
    return "; ".join(parts)
