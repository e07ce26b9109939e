"""The dossier detail page: visibility, actions as small forms, printable PDFs."""

import datetime as dt

import pytest
from django.urls import reverse

from motcua.models import Status
from motcua.services import transitions as t
from tests.motcua.factories import apologise_before_due, papers
from thutuc.accounts.roles import Role
from thutuc.calendar import TZ

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def url(dossier, name="motcua:dossier_detail", **kwargs):
    return reverse(name, kwargs={"code": dossier.code, **kwargs})


def in_unit(world, **kwargs):
    dossier = world.dossier(**kwargs)
    return t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )


def test_specialist_sees_data_history_and_only_their_actions(world, client):
    dossier = in_unit(world)
    client.force_login(world.specialist)
    response = client.get(url(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html and dossier.applicant_id_number in html and dossier.applicant_phone in html
    assert "mã trạng thái quốc gia" in html and "data-national-status>4<" in html
    assert "Chuyển xử lý" in html and "Tiếp nhận hồ sơ" in html  # the timeline
    assert url(dossier, "motcua:dossier_action", action="request_supplement") in html
    assert url(dossier, "motcua:dossier_action", action="approve") not in html  # a leader's act
    assert url(dossier, "motcua:dossier_control_sheet") in html


def test_staff_of_another_agency_get_404_and_strangers_are_kept_out(world, client):
    dossier = in_unit(world)
    client.force_login(UserFactory(agency=world.other_department, roles=[Role.SPECIALIST]))
    assert client.get(url(dossier)).status_code == 404
    assert client.get(url(dossier, "motcua:dossier_control_sheet")).status_code == 404
    post = client.post(url(dossier, "motcua:dossier_action", action="approve"), {})
    assert post.status_code == 404
    client.force_login(UserFactory(agency=world.centre))  # no role at all
    assert client.get(url(dossier)).status_code == 403
    client.logout()
    assert client.get(url(dossier)).status_code == 302


def test_posting_an_action_runs_the_transition_and_shows_warnings(world, client):
    dossier = in_unit(world, received_at=dt.datetime(2026, 3, 2, 9, tzinfo=TZ))
    client.force_login(world.specialist)
    response = client.post(
        url(dossier, "motcua:dossier_action", action="request_supplement"),
        {
            "request_supplement-extra_1": "Tờ khai có chữ ký",
            "request_supplement-extra_1_originals": "1",
            "request_supplement-extra_2": "Bản sao giấy khai sinh",
            "request_supplement-extra_2_certified_copies": "2",
            "request_supplement-reason": "Thiếu",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url(dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.WAITING_SUPPLEMENT
    supplement = dossier.supplement_requests.get()
    assert supplement.items == [
        *papers("Tờ khai có chữ ký"),
        *papers("Bản sao giấy khai sinh", originals=0, certified_copies=2),
    ]
    html = response.content.decode()
    assert "3 ngày làm việc" in html  # requested long after receipt (the test runs later than 2026-03-05)
    assert url(dossier, "motcua:dossier_supplement_pdf", pk=supplement.pk) in html


def test_bad_input_re_renders_with_the_users_data_and_saves_nothing(world, client):
    dossier = in_unit(world)
    client.force_login(world.specialist)
    response = client.post(
        url(dossier, "motcua:dossier_action", action="request_supplement"),
        {"request_supplement-extra_1_originals": "1", "request_supplement-reason": "Lý do đã gõ"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Lý do đã gõ" in html and "ghi đầy đủ các giấy tờ cần bổ sung" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_a_transition_from_a_stale_page_gets_a_clear_message(world, client):
    dossier = in_unit(world)
    t.dossier_approve(dossier=dossier, actor=world.leader)
    client.force_login(world.leader)
    response = client.post(url(dossier, "motcua:dossier_action", action="approve"), {"approve-note": ""})
    assert response.status_code == 409
    assert "đang ở trạng thái “Đã xử lý xong”" in response.content.decode()


def test_return_form_follows_the_delivery_choice(world, client):
    dossier = t.dossier_approve(dossier=in_unit(world), actor=world.leader)
    client.force_login(world.reception)
    response = client.post(
        url(dossier, "motcua:dossier_action", action="return_result"),
        {"return_result-collected_by_name": "Nguyễn Văn Thử", "return_result-originals_returned": "on"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.originals_returned


def _pdf_text(pdf: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "f.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_printable_forms_render_with_vietnamese_text(world, client, tmp_path):
    dossier = in_unit(world)
    supplement = t.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, items=papers("Tờ khai đăng ký"), reason="Chưa có chữ ký"
    )
    t.dossier_receive_supplement(dossier=dossier, actor=world.reception)
    dossier.refresh_from_db()
    apologise_before_due(dossier, world.leader)
    client.force_login(world.leader)
    expectations = {
        url(
            dossier, "motcua:dossier_supplement_pdf", pk=supplement.pk
        ): "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        url(dossier, "motcua:dossier_apology_pdf"): "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        url(dossier, "motcua:dossier_control_sheet"): "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    }
    for address, title in expectations.items():
        response = client.get(address)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = _pdf_text(response.content, tmp_path)
        assert title in text, address
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert client.get(url(dossier, "motcua:dossier_stop_pdf")).status_code == 404  # not stopped
    stopped = t.dossier_stop(
        dossier=in_unit(world), actor=world.leader, reason="Có tranh chấp", legal_basis="Luật Hộ tịch"
    )
    text = _pdf_text(client.get(url(stopped, "motcua:dossier_stop_pdf")).content, tmp_path)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Có tranh chấp" in text


def test_control_sheet_marks_each_step_early_on_time_or_late(world, client, tmp_path):
    monday = dt.datetime(2026, 3, 2, 9, tzinfo=TZ)
    dossier = world.dossier(received_at=monday)
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist, now=monday
    )  # step due Wednesday 09:00
    t.dossier_transfer(
        dossier=dossier,
        actor=world.specialist,
        step=world.steps[1],
        now=monday + dt.timedelta(days=2, hours=2),
    )
    t.dossier_approve(dossier=dossier, actor=world.leader, now=monday + dt.timedelta(days=2, hours=4))
    from motcua.selectors_processing import control_sheet_rows, dossier_events

    dossier.refresh_from_db()
    rows = control_sheet_rows(dossier, dossier_events(dossier))
    assert [r.verdict for r in rows] == ["late", "early", ""]  # step 2 due Thursday 11:00
    client.force_login(world.reception)
    text = _pdf_text(client.get(url(dossier, "motcua:dossier_control_sheet")).content, tmp_path)
    assert "Quá hạn" in text and "Trước hạn" in text and "Trần Văn Đức" in text


def test_counter_links_receipt_pin_and_rating_on_behalf(world, client):
    from motcua.models import RatingValue
    from motcua.services.rating import dossier_rate

    dossier = in_unit(world)
    client.force_login(world.reception)
    html = client.get(url(dossier)).content.decode()
    assert url(dossier, "motcua:receipt_pdf") in html and url(dossier, "motcua:receipt_reissue") in html
    assert url(dossier, "motcua:rating_on_behalf") not in html  # not returned yet
    client.force_login(world.specialist)  # the unit does not see the counter's receipt
    html = client.get(url(dossier)).content.decode()
    assert (
        url(dossier, "motcua:receipt_pdf") not in html and url(dossier, "motcua:receipt_reissue") not in html
    )

    t.dossier_approve(dossier=dossier, actor=world.leader)
    t.dossier_return_result(dossier=dossier, actor=world.reception, collected_by_name="Nguyễn Văn An")
    client.force_login(world.reception)
    html = client.get(url(dossier)).content.decode()
    assert url(dossier, "motcua:rating_on_behalf") in html and "Chưa có đánh giá" not in html

    dossier_rate(dossier=dossier, value=RatingValue.SATISFIED, comment="Cán bộ nhiệt tình", recorded_by=None)
    html = client.get(url(dossier)).content.decode()
    assert url(dossier, "motcua:rating_on_behalf") not in html
    assert 'data-rating="satisfied"' in html and "Cán bộ nhiệt tình" in html
    assert "công dân tự đánh giá khi tra cứu" in html
