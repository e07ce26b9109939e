"""The staff search box (header of every staff page): `/mot-cua/tim-kiem/?q=`."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.params import QueryForm
from thutuc.accounts.audit import log_access
from thutuc.models import AccessAction

from ..search import LIMIT, MAX_QUERY_LENGTH, search_dossiers
from ..selectors_processing import is_staff_member, openable_dossiers, visible_dossiers, with_deadline_text


class SearchQuery(QueryForm):
    """?q= (a code or its tail, a name, a phone or an identity number)"""

    q = forms.CharField(label=gettext_lazy("Tìm hồ sơ"), max_length=MAX_QUERY_LENGTH, required=False)


@login_required
def search(request):
    """Find a dossier by code (or its tail), applicant name without diacritics, phone or
    identity number. A code that names one dossier opens it; a search on personal data
    writes one access-log row."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    query = SearchQuery.parse(request.GET)["q"]
    result = search_dossiers(openable_dossiers(request.user), visible_dossiers(request.user), query)
    if result.exact is not None:
        return redirect("motcua:dossier_detail", code=result.exact.code)
    if result.personal:
        log_access(
            request,
            action=AccessAction.SEARCH,
            label=_("Tìm hồ sơ: %(query)s") % {"query": result.query},
            count=len(result.dossiers),
            object_type="motcua.dossier",
        )
    with_deadline_text(result.dossiers)
    return render(request, "motcua/search.html", {"search": result, "limit": LIMIT})
