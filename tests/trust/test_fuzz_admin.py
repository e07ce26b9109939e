"""Hostile input to the catalogue admin's own form (the procedure's case inline)."""

from hypothesis import given

from tests.thutuc.factories import ProcedureCaseFactory
from thutuc.catalogue.admin import CaseInlineForm
from thutuc.models import ProcedureCase

from .conftest_fuzz import is_vietnamese
from .fuzz_strategies import examples, mutation

CASE = {
    "order": "number",
    "name": "text",
    "processing_time": "number",
    "processing_unit": "choice",
    "cutoff_time": "date",
}


@examples(60)
@given(change=mutation(CASE, max_fields=5))
def test_case_inline_form(db, change):
    case = ProcedureCaseFactory()
    base = {
        "order": "1",
        "name": "",
        "processing_time": "3",
        "processing_unit": "working_days",
        "cutoff_time": "",
    }
    data = {k: v for k, v in {**base, **change}.items() if v is not None}
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    before = ProcedureCase.objects.filter(pk=case.pk).values().get()
    form = CaseInlineForm(query, instance=case)
    if form.is_valid():
        saved = form.save()
        saved.full_clean()
    else:
        for errors in form.errors.values():
            for error in errors:
                assert is_vietnamese(error), error
        assert ProcedureCase.objects.filter(pk=case.pk).values().get() == before
