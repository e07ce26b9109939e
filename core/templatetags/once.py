"""`{% once_field %}`: the hidden one-time token of a state-changing form (core.once)."""

from django import template
from django.utils.html import format_html

from ..once import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_field():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
