"""Shared helpers of the bad-input tests: post a mutated form and check the properties
every form of the portal must keep (imported by tests/trust/test_fuzz_*.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.db.models import Model
from django.utils.html import escape

# Letters only Vietnamese (or its neighbours) write: an error message carrying none of
# them is taken for an untranslated English default.
VIETNAMESE_LETTERS = set(
    "àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴĐ"
)
ENGLISH_MARKERS = re.compile(
    r"\b(Ensure|Enter a|This field|Select a|Null characters|is not|characters|valid)\b"
)

# What a form's field accepts, for the re-render check (text-like values come back as typed).
RERENDERED_KINDS = {"text", "number", "date"}


def is_vietnamese(message: str) -> bool:
    return bool(VIETNAMESE_LETTERS & set(message)) and not ENGLISH_MARKERS.search(
        # the user's own value may be quoted inside the message: only the text around it counts
        re.sub(r"“[^”]*”|\"[^\"]*\"", "", message)
    )


def apply(base: dict, change: dict) -> dict:
    data = dict(base)
    for key, value in change.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def last(value):
    return value[-1] if isinstance(value, list) else value


def row_counts(models: Iterable[type[Model]]) -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in models}


def assert_form_errors_shown(response, form, sent: dict, kinds: dict[str, str], prefix: str = "") -> None:
    """Each error of the bound form is Vietnamese and rendered next to its field (or at the
    top of the form for a form-wide error); the values the user typed come back."""
    html = response.content.decode()
    assert form.errors, "an invalid submission must say why"
    honeypots = {form.add_prefix(n) for n, k in kinds.items() if k == "honeypot"}
    for name, errors in form.errors.items():
        if form.add_prefix(name) in honeypots:
            continue  # hidden from people on purpose; a bot's value is refused as a whole
        for error in errors:
            assert is_vietnamese(error), f"error of {name!r} is not Vietnamese: {error!r}"
            shown = escape(error)
            assert shown in html, f"error of {name!r} not rendered: {error!r}"
            if name == "__all__":
                continue
            field_name = form.add_prefix(name)
            anchor = html.find(f'name="{field_name}"')
            if anchor < 0:  # a field not rendered as an input (e.g. deleted by the view)
                continue
            positions = [m.start() for m in re.finditer(re.escape(shown), html)]
            raw = sent.get(field_name) or ""
            typed = sum(len(str(v)) for v in (raw if isinstance(raw, list) else [raw]))
            distance = min(abs(p - anchor) for p in positions)
            assert distance < 3000 + len(shown) + 2 * typed, (
                f"error of {name!r} is far from its field ({distance} chars)"
            )
    for name, kind in kinds.items():
        if kind not in RERENDERED_KINDS or name not in sent:
            continue
        html_name = f"{prefix}-{name}" if prefix else name
        if f'name="{html_name}"' not in html:
            continue
        value = str(last(sent[name]))
        if value.strip() and len(value) < 20_000:
            assert escape(value) in html, f"the value typed in {name!r} was not re-rendered"


def check_post(
    client,
    url: str,
    data: dict,
    *,
    kinds: dict[str, str],
    models: Iterable[type[Model]],
    state: Callable[[], object] = lambda: None,
    on_success: Callable[[object, dict, dict], None] | None = None,
    form_key: str = "form",
    prefix: str = "",
    method: str = "post",
):
    """Send `data`, then: never a server error (the test client re-raises any exception);
    an invalid form comes back with Vietnamese errors next to its fields, the typed values,
    and nothing saved; a redirect is a complete save (checked by `on_success`)."""
    models = list(models)
    before, state_before = row_counts(models), state()
    response = getattr(client, method)(url, data)
    assert response.status_code < 500
    after, state_after = row_counts(models), state()
    form = response.context.get(form_key) if response.context is not None else None
    if response.status_code in (301, 302, 303):
        if on_success is not None:
            on_success(response, before, after)
        return response
    if form is not None and form.is_bound and form.errors:
        assert_form_errors_shown(response, form, data, kinds, prefix=prefix)
    assert after == before, f"an unsuccessful submission saved rows: {before} → {after}"
    assert state_after == state_before, "an unsuccessful submission changed the object"
    return response


def check_change(
    client, url: str, base: dict, change: dict, *, kinds: dict[str, str], prefix: str = "", **options
):
    """`check_post` of the valid `base` with a drawn `change` applied (a None removes the
    field); with a form `prefix`, the sent names and the kinds carry it."""

    def named(fields: dict) -> dict:
        return {f"{prefix}-{k}" if prefix else k: v for k, v in fields.items()}

    return check_post(client, url, named(apply(base, change)), kinds=named(kinds), **options)
