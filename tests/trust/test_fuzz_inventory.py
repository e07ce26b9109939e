"""Every form class of the project must be in the fuzz table: a new form cannot escape the
bad-input tests (issue 9)."""

import importlib
import inspect
import re
from pathlib import Path

from django.forms import BaseForm

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "thutuc", "motcua", "khieunai", "baocao")

# form class → the test that posts hostile values through it
FUZZ_TABLE = {
    "thutuc.accounts.forms.LoginForm": "test_fuzz_auth.py::test_login",
    "thutuc.accounts.forms.AdminLoginForm": "test_fuzz_auth.py::test_login",
    "thutuc.catalogue.views.ProcedureSearchForm": "test_fuzz_lookups.py::test_catalogue_search",
    "thutuc.catalogue.admin.CaseInlineForm": "test_fuzz_admin.py::test_case_inline_form",
    "thutuc.catalogue.admin.ProcedureForm": "test_fuzz_admin.py::test_procedure_form",
    "motcua.intake_forms.IntakeForm": "test_fuzz_intake.py",
    "motcua.forms_online.OnlineAcceptForm": "test_fuzz_online.py::test_accept_ignores_whatever_is_posted",
    "motcua.forms_online.OnlineSupplementForm": (
        "test_fuzz_online.py::test_supplement_form_survives_hostile_values"
    ),
    "motcua.forms_online.OnlineRefuseForm": "test_fuzz_online.py::test_refuse_form_survives_hostile_values",
    "motcua.forms_online.OnlineInboxQuery": "test_fuzz_lookups.py::test_staff_lookups[motcua:online_inbox]",
    "motcua.forms_processing._ActionForm": "test_fuzz_dossier.py (base of the action forms)",
    "motcua.forms_processing.TransferForm": "test_fuzz_dossier.py::transfer",
    "motcua.forms_processing.SupplementRequestForm": "test_fuzz_dossier.py::request_supplement",
    "motcua.forms_processing.NoteForm": "test_fuzz_dossier.py::receive_supplement/approve/receive_transfer",
    "motcua.forms_processing.RequestPaymentForm": "test_fuzz_dossier.py::request_payment",
    "motcua.forms_processing.ReceivePaymentForm": "test_fuzz_dossier.py::receive_payment",
    "motcua.forms_processing.ReasonForm": "test_fuzz_dossier.py::refuse",
    "motcua.forms_processing.WithdrawForm": "test_fuzz_dossier.py::withdraw",
    "motcua.forms_processing.ChangeCompetentForm": "test_fuzz_dossier.py::change_competent",
    "motcua.forms_processing.StopForm": "test_fuzz_dossier.py::stop",
    "motcua.forms_processing.ApologyForm": "test_fuzz_dossier.py::apologise",
    "motcua.forms_processing.ReturnResultForm": "test_fuzz_dossier.py::return_result (counter, post)",
    "motcua.forms_citizen.NextQuery": "test_fuzz_citizen.py::test_code_and_next_survive_hostile_values",
    "motcua.forms_citizen.ContactForm": "test_fuzz_citizen.py::test_sign_in_survives_hostile_values",
    "motcua.forms_citizen.CodeForm": "test_fuzz_citizen.py::test_code_and_next_survive_hostile_values",
    "motcua.forms_citizen.StartForm": "test_fuzz_citizen.py::test_start_survives_hostile_values",
    "motcua.forms_citizen.FilingForm": "test_fuzz_citizen.py::test_the_draft_survives_hostile_values",
    "motcua.forms_citizen.ReuseForm": "test_fuzz_citizen.py::test_reuse_and_remove_ignore_hostile_values",
    "motcua.forms_citizen.SupplementUploadForm": (
        "test_fuzz_citizen.py::test_supplement_and_scan_uploads_survive_hostile_values"
    ),
    "motcua.forms_citizen.ScanForm": (
        "test_fuzz_citizen.py::test_supplement_and_scan_uploads_survive_hostile_values"
    ),
    "motcua.tracking.forms.TrackingForm": "test_fuzz_lookups.py::test_tracking_lookup",
    "motcua.tracking.forms.RatingForm": "test_fuzz_dossier.py::test_rating_on_behalf_survives_hostile_values",
    "motcua.tracking.forms.CitizenRatingForm": "test_fuzz_lookups.py::test_citizen_rating",
    "motcua.views.register.RegisterFilterForm": "test_fuzz_lookups.py::test_staff_lookups[so-theo-doi]",
    "motcua.forms_fees.FeePaymentForm": "test_fuzz_fees.py::test_fee_forms_survive_hostile_values[nop]",
    "motcua.forms_fees.FeeExemptionForm": (
        "test_fuzz_fees.py::test_fee_forms_survive_hostile_values[mien-giam]"
    ),
    "motcua.forms_fees.FeeRefundForm": "test_fuzz_fees.py::test_fee_forms_survive_hostile_values[hoan-tra]",
    "motcua.forms_fees.ElectronicResultForm": "test_fuzz_fees.py::test_result_upload_survives_hostile_values",
    "motcua.forms_fees.PayForm": "test_fuzz_fees.py::test_pay_button_survives_hostile_values",
    "motcua.forms_fees.GatewayCallbackForm": (
        "test_fuzz_fees.py::test_gateway_callback_survives_hostile_values"
    ),
    "motcua.forms_fees.SandboxCheckoutForm": (
        "test_fuzz_fees.py::test_sandbox_checkout_survives_hostile_values"
    ),
    "motcua.views.fees.FeeFilterForm": "test_fuzz_lookups.py::test_staff_lookups[motcua:fee_report]",
    "khieunai.forms.SubmitterFields": "test_fuzz_khieunai.py (base of the public and staff forms)",
    "khieunai.forms.PublicFeedbackForm": "test_fuzz_khieunai.py::test_public_submit",
    "khieunai.forms.TrackForm": "test_fuzz_khieunai.py::test_public_track",
    "khieunai.forms.StaffFeedbackForm": "test_fuzz_khieunai.py::test_staff_create",
    "khieunai.forms.TriageForm": "test_fuzz_khieunai.py::test_staff_actions[phan-loai]",
    "khieunai.forms.AssignForm": "test_fuzz_khieunai.py::test_staff_actions[phan-cong]",
    "khieunai.forms.AnswerForm": "test_fuzz_khieunai.py::test_staff_actions[tra-loi]",
    "khieunai.forms.CloseForm": "test_fuzz_khieunai.py::test_staff_actions[ket-thuc]",
    "khieunai.forms.PublishForm": "test_fuzz_khieunai.py::test_staff_actions[cong-khai]",
    "khieunai.forms.LinkForm": "test_fuzz_khieunai.py::test_staff_actions[lien-ket]",
    "khieunai.forms.HotlineCallForm": "test_fuzz_khieunai.py::test_hotline_entry",
    "khieunai.forms.CitizenReceptionForm": "test_fuzz_khieunai.py::test_citizen_reception_entry",
    "baocao.forms.QuarterForm": "test_fuzz_lookups.py::test_staff_lookups[/bao-cao/]",
    "baocao.forms.StatisticsForm": "test_fuzz_lookups.py::test_staff_lookups[/bao-cao/thong-ke/]",
    "baocao.forms.CreateReportForm": "test_fuzz_baocao.py::test_report_create",
    "baocao.forms.NarrativeForm": "test_fuzz_baocao.py::test_report_edit",
    "baocao.forms.ReturnForm": "test_fuzz_baocao.py::test_report_return",
    # query strings read through a form (issue 14 §5; QUERY_TABLE below lists the pages)
    "core.params.QueryForm": "every page of QUERY_TABLE (base of the query forms)",
    "motcua.views.staff.WorklistQuery": ("test_fuzz_lookups.py::test_staff_lookups[motcua:staff_home]"),
    "motcua.views.search.SearchQuery": ("test_fuzz_lookups.py::test_staff_lookups[motcua:search]"),
    "motcua.views.notifications.NotificationQuery": (
        "test_fuzz_lookups.py::test_staff_lookups[motcua:notifications]"
    ),
    "motcua.views.intake.IntakeQuery": "test_fuzz_intake.py::test_intake_search_and_lookup_params",
    "khieunai.views.staff.FeedbackListQuery": "test_fuzz_lookups.py::test_staff_lookups[khieunai:staff_list]",
    "baocao.views.DrillDownQuery": "test_fuzz_lookups.py::test_staff_lookups[baocao:drill_down]",
    "baocao.forms.IndexPeriodForm": "test_fuzz_lookups.py::test_staff_lookups[baocao:service_index]",
    "baocao.forms.LatenessForm": "test_fuzz_lookups.py::test_staff_lookups[baocao:lateness]",
    "baocao.views_quality.IndexQuery": (
        "test_fuzz_lookups.py::test_staff_lookups[baocao:service_index_dossiers]"
    ),
    "baocao.views_quality.LatenessQuery": (
        "test_fuzz_lookups.py::test_staff_lookups[baocao:lateness_dossiers]"
    ),
    "baocao.forms.ReportRequestForm": "test_fuzz_baocao.py::test_report_request_create",
    "baocao.forms.RequestAnswerForm": "test_fuzz_baocao.py::test_report_request_answer",
}


def project_forms() -> set[str]:
    """Form classes defined in any module of the apps and core (namespace packages included)."""
    found = set()
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(p for p in parts if p != "__init__")
            module = importlib.import_module(name)
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, BaseForm)
                    and value.__module__ == module.__name__
                ):
                    found.add(f"{value.__module__}.{value.__qualname__}")
    return found


def test_every_project_form_is_fuzzed(db):
    forms = project_forms()
    assert "motcua.intake_forms.IntakeForm" in forms  # the walk works
    missing = sorted(forms - set(FUZZ_TABLE))
    assert not missing, f"forms without a bad-input test (add them to FUZZ_TABLE and fuzz them): {missing}"
    gone = sorted(set(FUZZ_TABLE) - forms)
    assert not gone, f"FUZZ_TABLE names forms that no longer exist: {gone}"


# --- query strings (issue 14 §5) ------------------------------------------------------------------
#
# Every page that reads its query string must be fuzzed on it, and must read it through a form
# whose fields have a type and a range (core.params.QueryForm / read_query / page_param, or a
# filter form of its own): `request.GET.get("x")` handed straight to a query is how `?trang=abc`,
# `?tu_ngay=9999-12-31` and a NUL byte became 500s.

# URL name → the test that sends hostile values in its query string
QUERY_TABLE = {
    "motcua:staff_home": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:notifications": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:search": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:register": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:online_inbox": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:register_xlsx": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:register_pdf": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:fee_report": "test_fuzz_lookups.py::test_staff_lookups",
    "motcua:fee_report_xlsx": "test_fuzz_lookups.py::test_staff_lookups",
    "payment_return": "test_fuzz_fees.py::test_gateway_callback_survives_hostile_values",
    "payment_notify": "test_fuzz_fees.py::test_gateway_callback_survives_hostile_values",
    "payment_sandbox": "test_fuzz_fees.py::test_sandbox_checkout_survives_hostile_values",
    "motcua:intake": "test_fuzz_intake.py::test_intake_search_and_lookup_params",
    "motcua:tracking": "test_fuzz_lookups.py::test_tracking_lookup",
    "khieunai:staff_list": "test_fuzz_lookups.py::test_staff_lookups",
    "khieunai:hotline": "test_fuzz_lookups.py::test_staff_lookups",
    "khieunai:hotline_dossier_check": "test_fuzz_lookups.py::test_staff_lookups",
    "khieunai:hotline_export": "test_fuzz_lookups.py::test_staff_lookups",
    "khieunai:reception": "test_fuzz_lookups.py::test_staff_lookups",
    "khieunai:published": "test_fuzz_lookups.py::test_published_answers",
    "baocao:index": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:statistics": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:drill_down": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:service_index": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:service_index_dossiers": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:lateness": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:lateness_dossiers": "test_fuzz_lookups.py::test_staff_lookups",
    "baocao:public_dashboard": "test_fuzz_lookups.py::test_public_dashboard",
    "thutuc:procedure_list": "test_fuzz_lookups.py::test_catalogue_search",
    "motcua:citizen_login": "test_fuzz_citizen.py::test_code_and_next_survive_hostile_values",
    "motcua:citizen_code": "test_fuzz_citizen.py::test_code_and_next_survive_hostile_values",
}

# A raw read of one parameter, kept on purpose: (module, the line's text) → why it is safe.
RAW_READS_ALLOWED = {
    ("motcua.views.intake", 'action = request.POST.get("action", "accept")'): (
        "IntakeForm keeps it only when it is one of its four actions"
    ),
    (
        "motcua.views.tracking",
        'form = TrackingForm({"ma": request.POST.get("ma", ""), "pin": request.POST.get("pin", "")})',
    ): ("handed to TrackingForm"),
    ("motcua.views.notifications", 'target = request.POST.get("next", "")'): (
        "followed only when url_has_allowed_host_and_scheme accepts it"
    ),
    (
        "motcua.views.tracking",
        'elif request.GET.get("pin"):',
    ): "only tested for presence; TrackingForm reads it",
    ("motcua.views.tracking", 'form = TrackingForm(data, initial={"ma": request.GET.get("ma", "")[:40]})'): (
        "prefills the form's input, cut to the field's length; never queried"
    ),
}
RAW_READ = re.compile(r"request\.(GET|POST)(\.get\(|\.getlist\(|\[)")


def project_views() -> dict[str, object]:
    """URL name → the view function (decorators unwrapped), outside the admin and Django's
    own class-based views."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = {}

    def walk(patterns, namespace=""):
        for item in patterns:
            if isinstance(item, URLResolver):
                if item.namespace == "admin":
                    continue
                walk(item.url_patterns, f"{namespace}{item.namespace}:" if item.namespace else namespace)
            elif isinstance(item, URLPattern) and item.name and not hasattr(item.callback, "view_class"):
                found[f"{namespace}{item.name}"] = inspect.unwrap(item.callback)

    walk(get_resolver().url_patterns)
    return found


def _source_with_helpers(view) -> str:
    """The view's source and that of the module-level helpers it calls (e.g. register's
    `_filtered`), one level deep."""
    module = inspect.getmodule(view)
    source = inspect.getsource(view)
    for name in set(re.findall(r"\b(_\w+)\(", source)):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper):
            source += inspect.getsource(helper)
    return source


def test_every_page_reading_its_query_string_is_fuzzed():
    views = project_views()
    assert "motcua:register" in views  # the walk works
    reading = {name for name, view in views.items() if "request.GET" in _source_with_helpers(view)}
    missing = sorted(reading - QUERY_TABLE.keys())
    assert not missing, f"pages reading their query string without a fuzz entry (QUERY_TABLE): {missing}"
    gone = sorted(QUERY_TABLE.keys() - reading)
    assert not gone, f"QUERY_TABLE names pages that no longer read a query string: {gone}"


def test_no_view_reads_a_raw_parameter():
    """Parameters reach the code through a form (type, range, Vietnamese error), never as
    `request.GET.get(...)` / `request.POST[...]`, except the reads listed with their reason."""
    modules = {inspect.getmodule(view) for view in project_views().values()}
    found = []
    for module in modules:
        for line in inspect.getsource(module).splitlines():
            if RAW_READ.search(line) and (module.__name__, line.strip()) not in RAW_READS_ALLOWED:
                found.append(f"{module.__name__}: {line.strip()}")
    assert not found, "raw parameter reads (read them through a form, core.params):\n" + "\n".join(found)
