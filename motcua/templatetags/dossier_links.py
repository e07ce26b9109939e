"""{% dossier_link dossier %} / {% dossier_link "000.00.06.H99-260302-0001" %}: a dossier's
code as a link to its staff page, for a viewer who may open it; plain text for anyone else.

Every page that shows dossier codes uses it (worklists, search results, the register and its
PDF, the drill-down lists, notifications, hotline calls, feedback). It decides without a
query per row: from the dossier's three agency ids when given the object, from the code's
agency prefix when given the text (the competent agency's identifier starts the code, the
receiving counter's for an inter-agency dossier: NĐ 118/2025 Điều 28) —
against the viewer's visible agencies, read once per request (thutuc.accounts.visibility)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from ..selectors_processing import may_open_listed

register = template.Library()


@register.simple_tag(takes_context=True)
def dossier_link(context, dossier, absolute=False):
    code = getattr(dossier, "code", dossier) or ""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if not code or user is None or not may_open_listed(user, dossier):
        return code
    url = reverse("motcua:dossier_detail", kwargs={"code": code})
    if absolute:
        url = (
            request.build_absolute_uri(url)
            if request is not None
            else f"{settings.PUBLIC_BASE_URL.rstrip('/')}{url}"
        )
    return format_html('<a href="{}" class="dossier-code">{}</a>', url, code)
