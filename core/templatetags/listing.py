"""Tags for the long lists of staff pages, where per-row template work adds up.

`{{ text|clip:70 }}`: a plain-text value cut to at most N characters, ending in "…".

The same result as Django's `truncatechars` for plain text, without its per-call work
(a translated ellipsis looked up through gettext, HTML-aware truncation): the staff lists
cut a procedure name per row and per option of the procedure filter — on a national
catalogue over a hundred per page, which made truncatechars the largest cost of the
worklist's template (docs/performance.md, issue 21 §2)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=False)
def clip(value, length):
    text = str(value)
    length = int(length)
    if len(text) <= length:
        return text
    return text[: max(length - 1, 0)] + "…"


@register.simple_tag
def options(choices, selected=None, clip_at=60):
    """The <option>s of a select from (value, code, name) rows, "code – name" cut to
    `clip_at` characters, `selected` marked: built in one pass (a loop of template nodes
    cost ~20 µs per option; the worklist's procedure filter has over a hundred), each
    value escaped by the standard library (format_html's per-call work was still 3 ms a
    page)."""
    return mark_safe(
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if value == selected else ""}>'
            f"{escape(str(code))} – {escape(clip(name, clip_at))}</option>"
            for value, code, name in choices
        )
    )
