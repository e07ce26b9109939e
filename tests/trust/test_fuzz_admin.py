"""Hostile input to the catalogue admin's own form (the procedure's case inline)."""

from hypothesis import given

from tests.thutuc.factories import CaseFactory, ProcedureFactory
from thutuc.catalogue.admin import CaseInlineForm, ProcedureForm
from thutuc.models import Procedure, ProcedureCase

from .fuzz import is_vietnamese
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
    case = CaseFactory()
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


PROCEDURE = {
    "code": "text",
    "name": "text",
    "levels": "choice",
    "source_url": "text",
    "decision_effective_date": "date",
    "result_codes": "text",
}


@examples(60)
@given(change=mutation(PROCEDURE, max_fields=4))
def test_procedure_form(db, change):
    """The procedure's own form (issue 17: several levels as checkboxes, the record's address,
    the publishing decision's date, local and variant codes)."""
    from django.forms import modelform_factory
    from django.http import QueryDict

    procedure = ProcedureFactory()
    form_class = modelform_factory(Procedure, form=ProcedureForm, fields=["field", *PROCEDURE])
    base = {
        "code": "1.000948.H38",
        "name": "Thủ tục thử",
        "field": str(procedure.field_id),
        "levels": ["province", "commune"],
        "source_url": "",
        "decision_effective_date": "",
        "result_codes": "",
    }
    data = {k: v for k, v in {**base, **change}.items() if v is not None}
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    before = Procedure.objects.filter(pk=procedure.pk).values().get()
    form = form_class(query, instance=procedure)
    if form.is_valid():
        saved = form.save()
        saved.full_clean()
        assert set(saved.level_list) <= {"central", "province", "district", "commune", "other"}
    else:
        for errors in form.errors.values():
            for error in errors:
                assert is_vietnamese(error), error
        assert Procedure.objects.filter(pk=procedure.pk).values().get() == before


# --- the query strings of every admin list (issue 14 §5) -------------------------------------------

ADMIN_LIST_VALUES = [
    "abc",
    "-1",
    "0",
    "99999999999999999999",
    "²",
    "1e9",
    "\x00",
    "' OR 1=1 --",
    "9999-12-31",
    "0001-01-01",
    "x" * 300,
]


def _admin_list_params(model_admin, request) -> set[str]:
    """Every query key a changelist reads: its filters' parameters, the date hierarchy's,
    search, page, order, the error flag."""
    changelist = model_admin.get_changelist_instance(request)
    keys = {"q", "p", "o", "e", "all"}
    for spec in changelist.filter_specs:
        keys.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        keys.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return keys


def test_every_admin_list_survives_hostile_query_parameters(province, client):
    """Each registered admin's changelist × each query key it reads × hostile values, as a
    superuser (who sees every list): never a 500. `?nam=99999999999999999999` on the working
    calendar's list overflowed the database integer before."""
    from django.contrib import admin
    from django.test import RequestFactory
    from django.urls import reverse

    from thutuc.models import User

    root = User.objects.create_superuser("goc", "goc@example.vn", "mat-khau-goc-2026-dai")
    client.force_login(root)
    request = RequestFactory().get("/")
    request.user = root
    client.raise_request_exception = False
    tried, failed = 0, []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for key in sorted(_admin_list_params(model_admin, request)):
            for value in ADMIN_LIST_VALUES:
                if client.get(url, {key: value}).status_code >= 500:
                    failed.append((url, key, value[:20]))
                tried += 1
    assert not failed, "\n".join(map(str, failed))
    assert tried > 500
