"""`{% memo key … %}…{% endmemo %}`: a fragment rendered once per process for each value of
its keys, then reused (issue 21 §2).

For parts of every page that are a pure function of a few values — the staff navigation
depends only on the user's roles, permissions and superuser flag — and cost a dozen URL
reversals and includes each time. The language, the URL configuration and the script
prefix are part of the key as well; the store is emptied when settings change (tests) and
bounded. The fragment must read nothing from the context except its keys and constants:
no request, no user name, no CSRF token, no counters.

`{% cache … %}…{% endcache %}` (loaded from here instead of Django's `cache` library): Django's
shared fragment cache, except that an unreachable cache server renders the fragment for the
request instead of failing the page (the public dashboard with Redis down)."""

from __future__ import annotations

import itertools
import logging

from django import template
from django.core.signals import setting_changed
from django.templatetags.cache import CacheNode, do_cache
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language
from redis.exceptions import RedisError

register = template.Library()
log = logging.getLogger(__name__)

_FRAGMENTS: dict = {}
MAX_FRAGMENTS = 2000


def clear(**kwargs) -> None:
    _FRAGMENTS.clear()


setting_changed.connect(clear, dispatch_uid="core.fragments.clear")


# Each {% memo %} tag gets its own number when its template is compiled (never reused in a
# process: a template compiled again gets new numbers, its old entries are never read again).
_TAGS = itertools.count()


class MemoNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.number = next(_TAGS)

    def render(self, context):
        key = (
            self.number,
            tuple(k.resolve(context) for k in self.keys),
            get_language(),
            get_urlconf(),
            get_script_prefix(),
        )
        html = _FRAGMENTS.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_FRAGMENTS) >= MAX_FRAGMENTS:
                _FRAGMENTS.clear()
            _FRAGMENTS[key] = html
        return html


@register.tag
def memo(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% memo %} needs at least one key")
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(nodelist, [parser.compile_filter(bit) for bit in bits])


class TolerantCacheNode(CacheNode):
    def render(self, context):
        try:
            return super().render(context)
        except RedisError:
            log.warning("cache unreachable: fragment %s rendered without it", self.fragment_name)
            return self.nodelist.render(context)


@register.tag("cache")
def tolerant_cache(parser, token):
    """Django's {% cache %} (same arguments), tolerant of an unreachable cache server."""
    node = do_cache(parser, token)
    node.__class__ = TolerantCacheNode
    return node
