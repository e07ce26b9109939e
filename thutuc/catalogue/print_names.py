"""The short name of a paper, for printed forms.

Real papers are described at length on the national portal (a sentence of legal conditions,
up to 2,500 characters): printed whole they push a receipt over 2–4 A5 pages. The printed
forms (receipt, supplement request) give each paper a short name; the full description stays
on the procedure's page (/thu-tuc/<code>/).

This one function derives the short name from the full one: the text before the first
legal aside (an opening parenthesis, a colon, a semicolon, "trừ trường hợp"...), cut at a
word boundary. **It is meant to be replaced** by a short name kept in the catalogue (issue 17
adds the real catalogue's fields): callers pass the paper's full name and, when the
catalogue has one, its own short name, which wins."""

from __future__ import annotations

import re

# The longest printed name: one line of the paper column of the receipt and of form 02 (A5, 8.5 pt).
PRINT_NAME_LIMIT = 64
# Where a long description stops naming the paper and starts qualifying it.
_ASIDE = re.compile(
    r"\s*(?:\(|:|;|\s–\s|\s-\s|,?\s+(?:trừ trường hợp|trong trường hợp|đối với trường hợp|"
    r"theo quy định|theo mẫu|kèm theo|được quy định))"
    # a form's file name glued to the paper's in the national records ("… khoáng sảnMau 08")
    r"|(?<=[a-zà-ỹđ])Mau\s",
    re.IGNORECASE,
)


def print_name(name: str, *, short_name: str = "", limit: int = PRINT_NAME_LIMIT) -> str:
    """The name printed for a paper: the catalogue's `short_name` when it has one, else the
    full `name` up to its first aside, cut at a word boundary to `limit` characters ("…")."""
    text = " ".join((short_name or name or "").split())
    if short_name:
        return _cut(text, limit)
    head = _ASIDE.split(text, maxsplit=1)[0].strip(" ,.;:-–")
    # an aside at the very start (a name opening with a parenthesis) keeps the whole text
    return _cut(head if len(head) >= 12 else text, limit)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-–") + "…"
