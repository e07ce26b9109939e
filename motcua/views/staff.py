from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import RangeDateField
from core.params import IdField, PageField, QueryForm, choice_field
from thutuc.accounts.roles import user_roles
from thutuc.accounts.visibility import ALL, visible_agencies, visible_agency_ids

from ..selectors_processing import (
    DAY_LISTS,
    FILTERS,
    WORKLISTS,
    is_staff_member,
    with_deadline_text,
    worklist_procedures,
    worklist_rows,
    worklists_for,
)

PAGE_SIZE = 25


class WorklistQuery(QueryForm):
    """?ds= (a worklist) &loc= (a filter) &thu-tuc= (procedure id) &ngay= (the day of a day
    list, YYYY-MM-DD or dd/mm/yyyy) &trang="""

    ds = choice_field([w.slug for w in WORKLISTS], label=_("Danh sách"))
    loc = choice_field(list(FILTERS), label=_("Lọc"))
    ngay = RangeDateField(label=_("Ngày"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    trang = PageField()
    extra_fields = {"thu-tuc": IdField(label=_("Thủ tục"))}


@login_required
def staff_home(request):
    """The staff landing page: who you are, where you work, and your worklists
    (reception: today's intake, results to return, due today; specialist: mine and my
    unit's; leader: the whole unit), with filters and the remaining working time per row."""
    ids = visible_agency_ids(request.user)  # computed once per request, reused by the lists
    context = {
        "roles": sorted(user_roles(request.user)),
        "agency_count": visible_agencies(request.user).count() if ids is ALL else len(ids),
    }
    lists = worklists_for(request.user) if is_staff_member(request.user) else []
    if lists:
        slugs = [w.slug for w in lists]
        params = WorklistQuery.parse(request.GET)
        if params["ds"] and params["ds"] not in slugs:
            raise PermissionDenied  # another role's worklist
        current = params["ds"] or slugs[0]
        filter_slug = params["loc"]
        procedure_id = params["thu-tuc"]
        now = timezone.now()
        day = params["ngay"] if current in DAY_LISTS else None
        rows = worklist_rows(
            request.user, current, filter_slug=filter_slug, procedure_id=procedure_id, now=now, day=day
        )
        page = Paginator(rows, PAGE_SIZE).get_page(params["trang"])
        with_deadline_text(page.object_list, now=now)
        # (pk, code, name) tuples: over a hundred options on the national catalogue
        procedures = worklist_procedures(request.user)
        query = request.GET.copy()
        query.pop("trang", None)
        context.update(
            worklists=lists,
            current=current,
            filters=FILTERS,
            filter_slug=filter_slug,
            procedure_id=procedure_id,
            procedures=procedures,
            page=page,
            count_capped=rows.capped,
            day_list=current in DAY_LISTS,
            day=day or timezone.localdate(),
            acted_list=current == "da-xu-ly",
            query=query.urlencode(),
        )
    return render(request, "motcua/staff_home.html", context)
