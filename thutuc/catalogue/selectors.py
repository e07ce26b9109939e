"""Reads of the catalogue used by the public pages, the admin and the counter."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from core.text import fold

from ..models import Agency, Procedure, ProcedureCase, ProcedureStep


def procedure_search(queryset: QuerySet, text: str) -> QuerySet:
    """Procedures whose code or name contains every word typed, ignoring diacritics and
    case: "dang ky khai sinh", "Đăng ký khai sinh", "khai sin", "1.001193" all match.

    Matches the folded `search_text` column with a case-sensitive LIKE per word (the
    column is already lower case), which PostgreSQL can serve from a trigram index."""
    for word in fold(text).split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def public_procedures(*, text: str = "", field_id: int | None = None, level: str = "") -> QuerySet:
    """Active procedures for the public list, with what a list row shows."""
    queryset = Procedure.objects.filter(is_active=True).select_related("field").order_by("code")
    if text.strip():
        queryset = procedure_search(queryset, text)
    if field_id:
        queryset = queryset.filter(field_id=field_id)
    if level:
        queryset = queryset.filter(levels__contains=level)
    return queryset.prefetch_related(
        Prefetch("cases", queryset=ProcedureCase.objects.filter(is_active=True).order_by("order", "pk"))
    )


def public_procedure(code: str) -> Procedure:
    """One active procedure with everything its public page shows (a fixed number of
    queries). Raises Procedure.DoesNotExist."""
    return (
        Procedure.objects.filter(is_active=True, code=code)
        .select_related("field", "competent_agency")
        .prefetch_related(
            Prefetch("receiving_agencies", queryset=Agency.objects.order_by("level", "name")),
            Prefetch(
                "cases",
                queryset=ProcedureCase.objects.filter(is_active=True)
                .order_by("order", "pk")
                .prefetch_related(
                    "documents",
                    "fees",
                    "channels",
                    Prefetch("steps", queryset=ProcedureStep.objects.select_related("agency")),
                ),
            ),
        )
        .get()
    )
