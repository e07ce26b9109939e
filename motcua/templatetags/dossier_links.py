"""{% dossier_link dossier %} / {% dossier_link "000.00.06.H99-260302-0001" %}: a dossier's
code as a link to its staff page, for a viewer who may open it; plain text for anyone else.

Every page that shows dossier codes uses it (worklists, search results, the register and its
PDF, the drill-down lists, notifications, hotline calls, feedback). It decides without a
query per row: from the dossier's three agency ids when given the object, from the code's
agency prefix when given the text (the competent agency's identifier starts the code, the
receiving counter's for an inter-agency dossier: NĐ 118/2025 Điều 28) —
against the viewer's visible agencies, read once per request (thutuc.accounts.visibility).
A list of one receiving counter's dossiers (the register) names that counter:
`{% dossier_link code receiving_agency_id=agency.pk %}`, since the code's prefix names the
competent agency, which may be another one."""

import re
from functools import lru_cache
from types import SimpleNamespace

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html

from ..selectors_processing import may_open_listed

register = template.Library()

_PLAIN_CODE = re.compile(r"[A-Za-z0-9._-]+")
_PLACEHOLDER = "0CODE0"


@lru_cache(maxsize=16)
def _detail_url_pattern(urlconf, script_prefix) -> str:
    return reverse("motcua:dossier_detail", kwargs={"code": _PLACEHOLDER})


def _detail_url(code: str) -> str:
    """The dossier page's URL: reversed once per URL configuration and filled in with the
    code (lists show dozens of codes per page; a code of other characters is reversed)."""
    if not _PLAIN_CODE.fullmatch(code):
        return reverse("motcua:dossier_detail", kwargs={"code": code})
    return _detail_url_pattern(get_urlconf(), get_script_prefix()).replace(_PLACEHOLDER, code)


@register.simple_tag(takes_context=True)
def dossier_link(context, dossier, absolute=False, receiving_agency_id=None):
    code = getattr(dossier, "code", dossier) or ""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    url = dossier_url(
        dossier, user=user, request=request, absolute=absolute, receiving_agency_id=receiving_agency_id
    )
    if url is None:
        return code
    return format_html('<a href="{}" class="dossier-code">{}</a>', url, code)


def dossier_url(dossier, *, user, request=None, absolute=False, receiving_agency_id=None) -> str | None:
    """The URL of the dossier's staff page if `user` may open it (the tag's decision), else
    None; also for the register's PDF, which is drawn without a template."""
    code = getattr(dossier, "code", dossier) or ""
    if receiving_agency_id is not None and isinstance(dossier, str):
        dossier = SimpleNamespace(code=code, receiving_agency_id=receiving_agency_id)
    if not code or user is None or not may_open_listed(user, dossier):
        return None
    url = _detail_url(code)
    if absolute:
        url = (
            request.build_absolute_uri(url)
            if request is not None
            else f"{settings.PUBLIC_BASE_URL.rstrip('/')}{url}"
        )
    return url
