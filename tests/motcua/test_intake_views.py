"""The intake pages: search, the form, the three outcomes, receipts and slips."""

import re

import pytest
from django.urls import reverse

from core import pins
from motcua.models import Dossier, IntakeAttempt
from tests.factories import AgencyFactory, UserFactory
from thutuc.accounts.roles import Role

from .factories import CaseFactory, ProcedureFactory, intake_form, reception_officer
from .pdftext import pdf_text

URL = "/mot-cua/tiep-nhan/"


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_url_names():
    assert reverse("motcua:intake") == URL
    assert reverse("motcua:receipt_pdf", args=["X"]) == "/mot-cua/ho-so/X/giay-tiep-nhan.pdf"
    assert reverse("motcua:intake_attempt", args=["N"]) == "/mot-cua/tiep-nhan/phieu/N/"


def test_only_reception_officers_take_in_dossiers(client, db):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(UserFactory(roles=[Role.SPECIALIST]))
    assert client.get(URL).status_code == 403


def test_search_is_diacritic_insensitive_and_one_hit_opens_the_form(officer_client, case):
    ProcedureFactory(name="Chứng thực bản sao từ bản chính")
    response = officer_client.get(URL, {"q": "DANG KY khai SINH"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?thu_tuc={case.procedure.code}")
    partial = officer_client.get(URL, {"q": "chung thuc", "partial": "1"})
    assert "Chứng thực bản sao từ bản chính" in partial.content.decode()
    none = officer_client.get(URL, {"q": "khong co thu tuc nay"})
    assert "Không tìm thấy" in none.content.decode()


def test_search_only_lists_procedures_of_the_officers_agency(officer_client, officer):
    elsewhere = CaseFactory(procedure__name="Đăng ký kết hôn nơi khác")
    elsewhere.procedure.receiving_agencies.add(AgencyFactory())
    page = officer_client.get(URL, {"q": "ket hon", "partial": "1"}).content.decode()
    assert "Đăng ký kết hôn nơi khác" not in page
    assert officer_client.get(URL, {"thu_tuc": elsewhere.procedure.code}).status_code == 404


def test_several_cases_ask_for_a_choice(officer_client, case):
    CaseFactory(procedure=case.procedure, name="Trường hợp có yếu tố nước ngoài", order=2)
    page = officer_client.get(URL, {"thu_tuc": case.procedure.code}).content.decode()
    assert "Trường hợp có yếu tố nước ngoài" in page and "truong_hop=" in page
    form = officer_client.get(URL, {"thu_tuc": case.procedure.code, "truong_hop": case.pk}).content.decode()
    assert "Giấy chứng sinh" in form and 'name="token"' in form
    assert "8.000 đồng" in form  # the fee from the catalogue


def test_accept_prints_a_receipt_with_code_pin_and_appointment(officer_client, officer, case):
    response = officer_client.post(URL, intake_form(case))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("motcua:intake_done", args=[dossier.code])
    done = officer_client.get(response["Location"]).content.decode()
    pin = re.search(r'<strong class="pin">([^<]+)</strong>', done).group(1)
    assert dossier.code in done and pins.check_pin(dossier.code, pin, dossier.pin_hash)
    # the session keeps it sealed, never in clear (issue 14 §3)
    sealed = officer_client.session["counter_receipt_pins"][dossier.code]
    assert pin not in sealed and pins.unseal(dossier.code, sealed) == pin
    receipt = officer_client.get(reverse("motcua:receipt_pdf", args=[dossier.code]))
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert dossier.code in text and pin in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text and "Giấy chứng sinh" in text
    assert f"{dossier.register_number:02d}" in text
    assert dossier.documents.count() == 3


def test_missing_mandatory_paper_re_renders_with_the_data_typed(officer_client, case):
    data = intake_form(case)
    first = case.documents.get(name="Giấy chứng sinh")
    del data[f"doc_{first.pk}"]
    data["applicant_email"] = "khong-phai-email"
    response = officer_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chưa nhận giấy tờ bắt buộc này." in page
    assert "Nhập địa chỉ email." in page
    assert 'value="Nguyễn Văn An"' in page
    assert 'value="2b0a6d1e-7c53-4d6e-9a55-0c7d8f6c1a01"' in page  # the same token
    assert not Dossier.objects.exists()


def test_online_without_portal_code_and_post_without_address_are_refused(officer_client, case):
    page = officer_client.post(
        URL, intake_form(case, channel="online", result_delivery="post")
    ).content.decode()
    assert "cần mã hồ sơ trên Cổng DVC quốc gia" in page
    assert "Nhập địa chỉ nhận kết quả qua bưu chính." in page
    assert not Dossier.objects.exists()


def test_double_submit_creates_one_dossier(officer_client, case):
    first = officer_client.post(URL, intake_form(case))
    second = officer_client.post(URL, intake_form(case))  # double click / back button
    assert Dossier.objects.count() == 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    # even another button on the same (already accepted) form does not record anything
    officer_client.post(URL, intake_form(case, action="refuse", reason="Nhầm"))
    assert Dossier.objects.count() == 1 and not IntakeAttempt.objects.exists()
    # a new form (new token) is a new dossier
    officer_client.post(URL, intake_form(case, token="9f0a6d1e-7c53-4d6e-9a55-0c7d8f6c1a02"))
    assert Dossier.objects.count() == 2


def test_incomplete_lists_every_missing_paper_and_prints_form_02(officer_client, case):
    data = intake_form(
        case, action="incomplete", check=False, missing_other="Ảnh 4x6\n\nSổ hộ khẩu (bản sao)"
    )
    response = officer_client.post(URL, data)
    attempt = IntakeAttempt.objects.get()
    assert response["Location"] == reverse("motcua:intake_attempt", args=[attempt.number])
    names = [d["name"] for d in attempt.missing_documents]
    assert names == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Ảnh 4x6", "Sổ hộ khẩu (bản sao)"]
    assert not Dossier.objects.exists()
    page = officer_client.get(response["Location"]).content.decode()
    assert attempt.number in page
    pdf = officer_client.get(reverse("motcua:intake_attempt_pdf", args=[attempt.number]))
    text = pdf_text(pdf.content)
    assert "PHIẾU YÊU CẦU BỔ SUNG" in text and "Ảnh 4x6" in text and attempt.number in text
    # the citizen brought the papers: the same form can still be accepted
    officer_client.post(URL, intake_form(case))
    assert Dossier.objects.count() == 1


def test_incomplete_needs_a_missing_paper(officer_client, case):
    page = officer_client.post(URL, intake_form(case, action="incomplete")).content.decode()
    assert "Bỏ chọn các giấy tờ còn thiếu" in page
    assert not IntakeAttempt.objects.exists()


def test_refuse_needs_a_reason_and_prints_form_03(officer_client, case):
    page = officer_client.post(URL, intake_form(case, action="refuse")).content.decode()
    assert "Nhập lý do từ chối tiếp nhận." in page
    officer_client.post(URL, intake_form(case, action="refuse", reason="Không thuộc thẩm quyền giải quyết"))
    attempt = IntakeAttempt.objects.get()
    assert attempt.outcome == "refused"
    text = pdf_text(officer_client.get(reverse("motcua:intake_attempt_pdf", args=[attempt.number])).content)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN" in text and "Không thuộc thẩm quyền giải quyết" in text


def test_other_agencies_receipts_and_slips_are_not_found(client, officer_client, case, receive):
    dossier, _pin = receive()
    officer_client.post(URL, intake_form(case, action="refuse", reason="Sai thẩm quyền"))
    attempt = IntakeAttempt.objects.get()
    client.force_login(reception_officer())  # another agency
    assert client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).status_code == 404
    assert client.get(reverse("motcua:intake_done", args=[dossier.code])).status_code == 404
    assert client.get(reverse("motcua:intake_attempt", args=[attempt.number])).status_code == 404
    assert client.post(reverse("motcua:receipt_reissue", args=[dossier.code])).status_code == 404


def test_reprint_without_pin_then_reissue(officer_client, receive):
    dossier, pin = receive()  # received by the service: no PIN in this session
    text = pdf_text(officer_client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content)
    assert dossier.code in text and pin not in text and "Bản in lại" in text
    officer_client.post(reverse("motcua:receipt_reissue", args=[dossier.code]))
    new_pin = pins.unseal(dossier.code, officer_client.session["counter_receipt_pins"][dossier.code])
    text = pdf_text(officer_client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content)
    assert new_pin and new_pin in text
    assert dossier.events.filter(action="reissue_pin").count() == 1


def test_a_receipt_printed_after_a_reissue_elsewhere_never_shows_the_dead_pin(officer_client, officer, case):
    """Issue 13 §2: officer A took the dossier in (her session knows its PIN); officer B
    reissues the PIN in his tab; A's reprint is "Bản in lại" without the dead PIN (nor the
    new one, which only B's session knows), and A's done page no longer shows it."""
    from django.test import Client

    response = officer_client.post(URL, intake_form(case))
    dossier = Dossier.objects.get()
    done = officer_client.get(response["Location"]).content.decode()
    dead_pin = re.search(r'<strong class="pin">([^<]+)</strong>', done).group(1)
    other = Client()
    other.force_login(reception_officer(agency=officer.agency))
    assert other.post(reverse("motcua:receipt_reissue", args=[dossier.code])).status_code == 302
    dossier.refresh_from_db()
    new_pin = pins.unseal(dossier.code, other.session["counter_receipt_pins"][dossier.code])
    assert pins.check_pin(dossier.code, new_pin, dossier.pin_hash) and new_pin != dead_pin
    text = pdf_text(officer_client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content)
    assert "Bản in lại" in text and dead_pin not in text and new_pin not in text
    done_again = officer_client.get(reverse("motcua:intake_done", args=[dossier.code])).content.decode()
    assert dead_pin not in done_again
    assert new_pin in pdf_text(other.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content)


def test_unit_without_identifier_cannot_use_the_intake_page(client, db):
    client.force_login(reception_officer(agency=AgencyFactory(unit=True)))
    response = client.get(URL)
    assert response.status_code == 403 and "chưa có mã định danh" in response.content.decode()


def test_accept_is_a_bounded_number_of_queries(officer_client, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        officer_client.post(URL, intake_form(case))
    assert Dossier.objects.count() == 1
