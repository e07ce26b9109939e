"""Staff pages of service quality: the service index of every agency (QĐ 766/QĐ-TTg) with
its components and the province ranking, and the late steps by unit and by officer; every
count drills down to its dossiers (the same Q as the aggregate, like II.06a's drill-down)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.params import IdField, PageField, QueryForm, choice_field
from thutuc.accounts.visibility import sees_everything

from . import exports, lateness, selectors, service_index
from .forms import IndexPeriodForm, LatenessForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dossier_list(request, params, dossiers, *, title, agency, back, filename):
    """The drill-down list (50 a page) or its Excel (`&format=xlsx`), as II.06a's; `params`
    is the page's parsed query form (format, page)."""
    if params.cleaned_data["format"] == "xlsx":
        response = HttpResponse(exports.dossiers_xlsx(dossiers, title=title), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response
    page = Paginator(dossiers, 50).get_page(params.cleaned_data["page"])
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "baocao/drill_down.html",
        {"page": page, "title": title, "agency": agency, "query": query.urlencode(), "back": back},
    )


# --- the service index -----------------------------------------------------------------------


class IndexQuery(QueryForm):
    agency = IdField(label=gettext_lazy("Cơ quan, đơn vị"))
    measure = choice_field(list(service_index.MEASURES), label=gettext_lazy("Chỉ tiêu"))
    format = choice_field(["xlsx"], label=gettext_lazy("Định dạng"))
    page = PageField()


def _visible_agency(user, agency_id):
    """An agency the user may drill into (404 otherwise); None = the province (Sở Nội vụ)."""
    if agency_id is None:
        if not sees_everything(user):
            raise Http404
        return None
    agency = selectors.statistics_agencies(user).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


@login_required
@permission_required("baocao.view_statistics", raise_exception=True)
def service_index_page(request):
    """Every agency's index for a month / quarter / year, ranked; `&agency=` shows one agency's
    components (the user's own by default for a leader) with links to the dossiers."""
    form = IndexPeriodForm(request.GET)
    params = IndexQuery(request.GET)
    context = {"form": form, "groups": service_index.GROUPS}
    if form.is_valid() and params.is_valid():
        period = form.period()
        table = service_index.compute(period)
        visible = {a.pk for a in selectors.statistics_agencies(request.user)}
        agency_id = params.cleaned_data["agency"]
        if agency_id is None and not sees_everything(request.user):
            own = selectors.reporting_agency_for(request.user)
            agency_id = own.pk if own is not None else None
        if agency_id is not None and agency_id not in visible:
            raise Http404
        detail = next((r for r in table.rows if r.agency_id == agency_id), None) if agency_id else None
        if detail is None and sees_everything(request.user):
            detail = table.province
        context.update(
            period=period,
            table=table,
            detail=detail,
            visible=visible,
            period_query=urlencode(form.query()),
            max_points=service_index.MAX_POINTS,
        )
    return render(request, "baocao/service_index.html", context)


@login_required
@permission_required("baocao.view_statistics", raise_exception=True)
def service_index_dossiers(request):
    """The dossiers behind one figure of the index (`?…&agency=&measure=`)."""
    form = IndexPeriodForm(request.GET)
    params = IndexQuery(request.GET)
    if not (form.is_valid() and params.is_valid()) or not params.cleaned_data["measure"]:
        raise Http404
    agency = _visible_agency(request.user, params.cleaned_data["agency"])
    period = form.period()
    measure = params.cleaned_data["measure"]
    dossiers = service_index.dossiers_for(measure, service_index.scope_of(agency), period)
    title = f"{service_index.MEASURE_LABELS[measure]} – {period.label}"
    back_query = {**form.query(), **({"agency": agency.pk} if agency else {})}
    return _dossier_list(
        request,
        params,
        dossiers,
        title=title,
        agency=agency,
        back=reverse("baocao:service_index") + "?" + urlencode(back_query),
        filename=f"chi-so-{measure}",
    )


# --- late steps by unit / by officer -----------------------------------------------------------


class LatenessQuery(QueryForm):
    measure = choice_field(list(lateness.MEASURES), label=gettext_lazy("Chỉ tiêu"))
    key = forms.RegexField(regex=r"^(\d{1,18}|none)$", required=False, label=gettext_lazy("Dòng"))
    format = choice_field(["xlsx"], label=gettext_lazy("Định dạng"))
    page = PageField()


def _lateness_query(form: LatenessForm) -> dict:
    data = form.cleaned_data
    params = {"kind": data["kind"], "grouping": data["grouping"]}
    if data["kind"] in ("quarter", "year"):
        params["year"] = data["year"]
    if data["kind"] == "quarter":
        params["quarter"] = data["quarter"]
    if data["kind"] == "custom":
        params.update(date_from=data["date_from"].isoformat(), date_to=data["date_to"].isoformat())
    if data.get("agency"):
        params["agency"] = data["agency"].pk
    return params


@login_required
@permission_required("baocao.view_statistics", raise_exception=True)
def lateness_page(request):
    """Late steps of a period by unit or by officer (leaders: their agency; Sở Nội vụ: any)."""
    form = LatenessForm(request.GET, user=request.user)
    context = {"form": form, "headings": list(lateness.MEASURE_LABELS.values())}
    if form.is_valid():
        period = form.period()
        context.update(
            period=period,
            result=lateness.compute(
                agency_ids=form.agency_ids(), period=period, grouping=form.cleaned_data["grouping"]
            ),
            query=urlencode(_lateness_query(form)),
        )
    return render(request, "baocao/lateness.html", context)


@login_required
@permission_required("baocao.view_statistics", raise_exception=True)
def lateness_dossiers(request):
    """The dossiers of the steps behind one count (`?…&measure=late&key=ID|none`)."""
    form = LatenessForm(request.GET, user=request.user)
    params = LatenessQuery(request.GET)
    if not (form.is_valid() and params.is_valid()) or not params.cleaned_data["measure"]:
        raise Http404
    period = form.period()
    measure = params.cleaned_data["measure"]
    key_text = params.cleaned_data["key"]
    grouping = form.cleaned_data["grouping"] if key_text else None
    key = None if key_text in ("", "none") else int(key_text)
    dossiers = lateness.dossiers_for(
        agency_ids=form.agency_ids(), period=period, measure=measure, grouping=grouping, key=key
    )
    title = _("Bước xử lý: %(measure)s – %(period)s") % {
        "measure": lateness.MEASURE_LABELS[measure],
        "period": period.label,
    }
    return _dossier_list(
        request,
        params,
        dossiers,
        title=title,
        agency=form.cleaned_data.get("agency"),
        back=reverse("baocao:lateness") + "?" + urlencode(_lateness_query(form)),
        filename=f"buoc-{measure}",
    )
