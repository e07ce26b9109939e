from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from thutuc.access import ALL, visible_agencies, visible_agency_ids
from thutuc.models import Procedure
from thutuc.params import date_param, id_param
from thutuc.roles import user_roles

from ..selectors_processing import (
    DAY_LISTS,
    FILTERS,
    is_staff_member,
    visible_dossiers,
    with_deadline_text,
    worklist_rows,
    worklists_for,
)

PAGE_SIZE = 25


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
        current = request.GET.get("ds") if request.GET.get("ds") in slugs else slugs[0]
        filter_slug = request.GET.get("loc", "") if request.GET.get("loc") in FILTERS else ""
        procedure_id = id_param(request.GET.get("thu-tuc"))
        now = timezone.now()
        day = date_param(request.GET.get("ngay")) if current in DAY_LISTS else None
        rows = worklist_rows(
            request.user, current, filter_slug=filter_slug, procedure_id=procedure_id, now=now, day=day
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
        with_deadline_text(page.object_list, now=now)
        procedures = (
            Procedure.objects.filter(pk__in=visible_dossiers(request.user).values("procedure_id"))
            .only("pk", "code", "name")
            .order_by("code")
        )
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
