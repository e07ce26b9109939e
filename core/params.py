"""Query-string and POST parameters (lookups, lists, filters, exports, ids).

A browser sends anything: `?truong_hop=abc` must not reach `.get(pk=...)` (ValueError →
500), `?tu_ngay=9999-12-31` must not reach `date + 1 day` (OverflowError → 500), and a NUL
byte must not reach PostgreSQL, which refuses it in a text literal (another 500). Every page
reads its query string through a `QueryForm` (or a filter form of its own) whose fields have
a type and a range; `id_param` / `text_param` read a single value outside a form."""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import BadRequest, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1


def id_param(value) -> int | None:
    """A database id (positive ASCII integer within bigint range), or None."""
    text = str(value if value is not None else "").strip()
    # (length first: int() of 12,000 digits raises ValueError, Python's digit limit)
    if not (len(text) <= len(str(MAX_ID)) and text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def text_param(value, *, max_length: int = 200) -> str:
    """Free text for a lookup: trimmed, bounded, without NUL characters."""
    return str(value if value is not None else "").replace("\x00", "").strip()[:max_length]


# --- query strings read through a form (issue 14 §5) ------------------------------------------------

MAX_PAGE = 100_000


class InvalidQuery(BadRequest):
    """A query parameter outside its type or range: the page answers 400 and lists why
    (motcua.views.public.bad_request renders `messages`)."""

    def __init__(self, form: forms.Form):
        self.messages = []
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            label = capfirst(str(field.label)) if field is not None and field.label else name
            self.messages += [f"{label} ({name}): {error}" for error in errors]
        super().__init__("; ".join(self.messages))


class QueryForm(forms.Form):
    """The query string of a list, filter or export page: every parameter has a field with a
    type and a range, so `?trang=abc`, `?ngay=9999-12-31` or a NUL never reaches a query.
    `parse(request.GET)` returns the cleaned values (a missing key gives the field's empty
    value) or raises InvalidQuery (400 with the reasons in Vietnamese).

    Field names may be any query key (e.g. "thu-tuc"): declare them in `extra_fields`."""

    extra_fields: dict[str, forms.Field] = {}

    def __init__(self, *args, fields: dict[str, forms.Field] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in {**self.extra_fields, **(fields or {})}.items():
            self.fields[name] = copy.deepcopy(field)

    @classmethod
    def parse(cls, query, **kwargs) -> dict:
        form = cls(query, **kwargs)
        if not form.is_valid():
            raise InvalidQuery(form)
        return form.cleaned_data


def read_query(query, fields: dict[str, forms.Field]) -> dict:
    """`fields` read from the query string through a QueryForm (400 when one is invalid)."""
    return QueryForm.parse(query, fields=fields)


def page_param(query, *, key: str = "trang") -> int | None:
    """The page number of a list (`?trang=` or `?page=`): 1 … MAX_PAGE, or None."""
    return read_query(query, {key: PageField()})[key]


class PageField(forms.IntegerField):
    """A page number (1 … MAX_PAGE); Paginator.get_page shows the last page beyond the end."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Trang"))
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_PAGE, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not str(value).strip().isascii():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdField(forms.IntegerField):
    """A database id: ASCII digits, 1 … 2**63-1 (`²` or `١٢` are refused, see id_param)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = id_param(value)
        if number is None:
            raise ValidationError(_("Mã số không hợp lệ."), code="invalid")
        return number


def choice_field(choices, *, label, blank=True) -> forms.ChoiceField:
    """A choice among `choices` (values or (value, label) pairs); blank allowed by default."""
    pairs = [c if isinstance(c, tuple) else (c, c) for c in choices]
    if blank:
        pairs = [("", "—"), *pairs]
    return forms.ChoiceField(label=label, choices=pairs, required=False)
