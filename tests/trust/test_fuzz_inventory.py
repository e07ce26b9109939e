"""Every form class of the project must be in the fuzz table: a new form cannot escape the
bad-input tests (issue 9)."""

import importlib
import inspect
from pathlib import Path

from django.forms import BaseForm

ROOT = Path(__file__).resolve().parents[2]
APPS = ("thutuc", "motcua", "khieunai", "baocao")

# form class → the test that posts hostile values through it
FUZZ_TABLE = {
    "thutuc.forms.LoginForm": "test_fuzz_auth.py::test_login",
    "thutuc.forms.AdminLoginForm": "test_fuzz_auth.py::test_login",
    "thutuc.catalogue.views.ProcedureSearchForm": "test_fuzz_lookups.py::test_catalogue_search",
    "thutuc.catalogue.admin.CaseInlineForm": "test_fuzz_admin.py::test_case_inline_form",
    "motcua.intake_forms.IntakeForm": "test_fuzz_intake.py",
    "motcua.forms_processing._ActionForm": "test_fuzz_dossier.py (base of the action forms)",
    "motcua.forms_processing.TransferForm": "test_fuzz_dossier.py::transfer",
    "motcua.forms_processing.SupplementRequestForm": "test_fuzz_dossier.py::request_supplement",
    "motcua.forms_processing.NoteForm": "test_fuzz_dossier.py::receive_supplement/approve",
    "motcua.forms_processing.RequestPaymentForm": "test_fuzz_dossier.py::request_payment",
    "motcua.forms_processing.ReceivePaymentForm": "test_fuzz_dossier.py::receive_payment",
    "motcua.forms_processing.ReasonForm": "test_fuzz_dossier.py::refuse/withdraw",
    "motcua.forms_processing.StopForm": "test_fuzz_dossier.py::stop",
    "motcua.forms_processing.ApologyForm": "test_fuzz_dossier.py::apologise",
    "motcua.forms_processing.ReturnResultForm": "test_fuzz_dossier.py::return_result (counter, post)",
    "motcua.tracking.forms.TrackingForm": "test_fuzz_lookups.py::test_tracking_lookup",
    "motcua.tracking.forms.RatingForm": "test_fuzz_dossier.py::test_rating_on_behalf_survives_hostile_values",
    "motcua.tracking.forms.CitizenRatingForm": "test_fuzz_lookups.py::test_citizen_rating",
    "motcua.views.register.RegisterFilterForm": "test_fuzz_lookups.py::test_staff_lookups[so-theo-doi]",
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
}


def project_forms() -> set[str]:
    """Form classes defined in any module of the four apps (namespace packages included)."""
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
