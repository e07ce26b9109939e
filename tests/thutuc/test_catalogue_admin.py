"""The catalogue admin (/quan-tri/): validation messages, navigation between levels, search."""

import pytest
from django.urls import reverse

from thutuc.models import Field, Procedure, ProcedureCase

pytestmark = pytest.mark.django_db


def procedure_form(field, **overrides):
    data = {
        "code": "1.999001",
        "name": "Thủ tục thêm trong trang quản trị",
        "field": field.pk,
        "levels": ["commune"],
        "online_level": "none",
        "is_active": "on",
        "result": "",
        "requirements": "",
        "legal_basis": "",
        "cases-TOTAL_FORMS": "1",
        "cases-INITIAL_FORMS": "0",
        "cases-MIN_NUM_FORMS": "1",
        "cases-MAX_NUM_FORMS": "1000",
        "cases-0-order": "1",
        "cases-0-name": "",
        "cases-0-processing_time": "3",
        "cases-0-processing_unit": "working_days",
        "cases-0-cutoff_time": "",
    }
    data.update(overrides)
    return data


def test_adding_a_single_case_procedure_lands_on_its_case_page(catalogue, client, login):
    login("quantri")
    response = client.post(reverse("admin:thutuc_procedure_add"), procedure_form(Field.objects.first()))
    case = ProcedureCase.objects.get(procedure__code="1.999001")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:thutuc_procedurecase_change", args=[case.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Thành phần hồ sơ" in page and "Quy trình xử lý" in page


def test_procedure_code_and_case_errors_are_vietnamese(catalogue, client, login):
    login("quantri")
    data = procedure_form(Field.objects.first(), code="1999001", **{"cases-0-processing_time": "-1"})
    response = client.post(reverse("admin:thutuc_procedure_add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mã thủ tục phải có dạng n.nnnnnn (mã quốc gia)" in page
    assert "lớn hơn hoặc bằng với 0" in page
    assert not Procedure.objects.filter(name="Thủ tục thêm trong trang quản trị").exists()


def test_a_procedure_needs_at_least_one_case(catalogue, client, login):
    login("quantri")
    data = procedure_form(Field.objects.first(), **{"cases-TOTAL_FORMS": "0"})
    response = client.post(reverse("admin:thutuc_procedure_add"), data)
    assert "Thủ tục phải có ít nhất một trường hợp" in response.content.decode()
    assert not Procedure.objects.filter(code="1.999001").exists()


def case_form(case, **overrides):
    data = {
        "order": case.order,
        "name": case.name,
        "processing_time": "5",
        "processing_unit": "working_days",
        "cutoff_time": "",
    }
    for prefix in ("channels", "documents", "fees", "steps"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def steps(*rows):
    data = {"steps-TOTAL_FORMS": str(len(rows))}
    for i, (name, amount, unit) in enumerate(rows):
        data.update(
            {
                f"steps-{i}-order": str(i + 1),
                f"steps-{i}-name": name,
                f"steps-{i}-role": "specialist",
                f"steps-{i}-allotted_time": amount,
                f"steps-{i}-allotted_unit": unit,
                f"steps-{i}-agency": "",
            }
        )
    return data


@pytest.fixture
def bare_case(catalogue):
    from .factories import CaseFactory

    return CaseFactory(processing_time=5, documents=[], fees=[])


def test_case_page_checks_that_steps_add_up(bare_case, client, login):
    login("quantri")
    url = reverse("admin:thutuc_procedurecase_change", args=[bare_case.pk])
    response = client.post(url, case_form(bare_case, **steps(("Thẩm định", "3", "working_days"))))
    assert response.status_code == 200
    assert "khác thời hạn giải quyết 5 ngày làm việc" in response.content.decode()
    assert not bare_case.steps.exists()
    ok = client.post(
        url,
        case_form(
            bare_case, **steps(("Tiếp nhận", "4", "working_hours"), ("Thẩm định", "4.5", "working_days"))
        ),
    )
    assert ok.status_code == 302
    assert bare_case.steps.count() == 2


def test_case_page_refuses_mixing_calendar_days(bare_case, client, login):
    login("quantri")
    url = reverse("admin:thutuc_procedurecase_change", args=[bare_case.pk])
    response = client.post(url, case_form(bare_case, **steps(("Thẩm định", "5", "calendar_days"))))
    assert "Không thể cộng ngày theo lịch với ngày/giờ làm việc" in response.content.decode()


def test_case_page_fee_and_paper_validation(bare_case, client, login):
    login("quantri")
    url = reverse("admin:thutuc_procedurecase_change", args=[bare_case.pk])
    data = case_form(
        bare_case,
        **{
            "fees-TOTAL_FORMS": "1",
            "fees-0-kind": "fee",
            "fees-0-amount": "",
            "fees-0-description": "",
            "fees-0-collected": "before",
            "documents-TOTAL_FORMS": "1",
            "documents-0-order": "1",
            "documents-0-name": "Tờ khai",
            "documents-0-originals": "-1",
            "documents-0-certified_copies": "0",
            "documents-0-photocopies": "0",
            "documents-0-mandatory": "on",
            "documents-0-note": "",
        },
    )
    page = client.post(url, data).content.decode()
    assert "Phí, lệ phí phải có mức thu hoặc mô tả" in page
    assert "lớn hơn hoặc bằng với 0" in page
    assert not bare_case.fees.exists() and not bare_case.documents.exists()


def test_changing_case_time_on_procedure_page_keeps_steps_consistent(catalogue, client, login):
    login("quantri")
    procedure = Procedure.objects.get(code="1.004873")
    case = procedure.cases.get()
    url = reverse("admin:thutuc_procedure_change", args=[procedure.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "field": procedure.field_id,
            "competent_agency": procedure.competent_agency_id,
            "is_active": "on",
            "receiving_agencies": [a.pk for a in procedure.receiving_agencies.all()],
            "levels": procedure.level_list,
        }
    )
    data.update(
        {
            "cases-TOTAL_FORMS": "1",
            "cases-INITIAL_FORMS": "1",
            "cases-MIN_NUM_FORMS": "1",
            "cases-MAX_NUM_FORMS": "1000",
            "cases-0-id": case.pk,
            "cases-0-procedure": procedure.pk,
            "cases-0-order": "1",
            "cases-0-name": "",
            "cases-0-is_active": "on",
            "cases-0-processing_time": "4",
            "cases-0-processing_unit": "working_days",
            "cases-0-cutoff_time": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "khác thời hạn giải quyết 4 ngày làm việc" in response.content.decode()
    case.refresh_from_db()
    assert case.processing_time == 3


def test_admin_search_ignores_diacritics(catalogue, client, login):
    login("quantri")
    response = client.get(reverse("admin:thutuc_procedure_changelist"), {"q": "ket hon"})
    results = list(response.context["cl"].result_list)
    assert [p.code for p in results] == ["1.000894"]


def test_admin_filters_by_receiving_agency(catalogue, client, login):
    from thutuc.models import Agency

    login("quantri")
    centre = Agency.objects.get(code="000.00.06.H99")
    response = client.get(
        reverse("admin:thutuc_procedure_changelist"), {"receiving_agencies__id__exact": centre.pk}
    )
    codes = {p.code for p in response.context["cl"].queryset}
    assert "2.000488" in codes and "1.001193" not in codes


def test_catalogue_admin_sees_import_and_export_buttons(catalogue, client, login):
    login("quantri")
    page = client.get(reverse("admin:thutuc_procedure_changelist")).content.decode()
    assert "Nhập từ Excel" in page and "Xuất ra Excel" in page
