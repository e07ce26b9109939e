"""{{ amount|dong }} → "8.000 đồng" (the fee ledger's pages)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def dong(value) -> str:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{amount:,.0f}".replace(",", ".") + " đồng"
