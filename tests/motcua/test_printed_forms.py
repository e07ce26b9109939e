"""The seven printed forms of TT 03/2025/TT-VPCP (Phụ lục I), rendered from the dossier page and
the register: numbered as TT 03, issued by the body that issues the act, signed with the right
title, each fitting its page with the longest real paper list of the national catalogue."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from motcua import printed_forms
from motcua.models import (
    Channel,
    DossierDocument,
    DossierEvent,
    EventAction,
    IntakeAttempt,
    IntakeOutcome,
    Outcome,
    ResultDelivery,
)
from motcua.services import transitions as t
from thutuc.catalogue.print_names import PRINT_NAME_LIMIT, print_name
from thutuc.models import AccessLog

from .factories import MONDAY_9AM, apologise_before_due, papers
from .national_papers import catalogue_dir, longest_list
from .pdftext import pdf_text

pytestmark = pytest.mark.django_db

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
needs_catalogue = pytest.mark.skipif(
    catalogue_dir() is None, reason="the shared national catalogue (shared/data/national-catalogue) is absent"
)


# --- helpers ----------------------------------------------------------------------------------


def pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (pdftotext -layout), no-break spaces read as spaces."""
    return [text.replace("\u00a0", " ") for text in pdf_text(pdf).split("\f")[: pages(pdf)]]


def header_of(text: str, title: str) -> str:
    """The letterhead: the text above the form's title."""
    return text[: text.index(title)]


def form_pdf(client, name, *args, most_pages=1) -> bytes:
    """The printed form at the URL `name` (with `args`), checked to fill 1 to `most_pages` pages."""
    pdf = client.get(reverse(name, args=args)).content
    assert 1 <= pages(pdf) <= most_pages
    return pdf


def from_the_department(leader) -> dict:
    """`check_layout`'s issuer and signatures for a form of the competent department: issued
    under the province's name, signed "KT. GIÁM ĐỐC" by its deputy director `leader`."""
    return {
        "issuer_words": ["Ủy ban nhân dân tỉnh Minh Sơn", "Sở Tư pháp"],
        "signatures": [("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", leader.get_full_name())],
    }


def check_layout(pdf: bytes, *, form, title: str, issuer_words=(), signatures=()) -> str:
    """What every form must keep: its TT 03 number; the motto and its line whole, each on one
    line; the issuer's words never split across lines; each signature's title and name on the
    same page. Returns the first page's text."""
    texts = page_texts(pdf)
    first = texts[0]
    assert form.label in first, f"{form.label} missing"
    header = header_of(first, title)
    assert MOTTO in header and MOTTO_LINE in header, header
    for name in issuer_words:
        # a name may wrap between its words, never inside one ("hành chính", "tỉnh Minh Sơn")
        for word in printed_forms.unbreakable_words(name).split(" "):
            word = word.replace("\u00a0", " ").upper()
            assert word in header, f"{word!r} of {name!r} split or missing in the letterhead:\n{header}"
    for lines in signatures:
        holding = [n for n, text in enumerate(texts) if all(line in text for line in lines)]
        assert holding, f"signature {lines} not on one page"
    return first


@pytest.fixture
def real_papers():
    return longest_list()[1]


@pytest.fixture
def dossier(world, client):
    """A dossier of the demo centre for Sở Tư pháp's procedure, with three papers."""
    dossier = world.dossier()
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Giấy tờ chứng minh nơi cư trú"):
        DossierDocument.objects.create(dossier=dossier, name=name, originals=1)
    client.force_login(world.reception)
    return dossier


def with_papers(dossier, papers):
    dossier.documents.all().delete()
    for paper in papers:
        DossierDocument.objects.create(
            dossier=dossier, name=paper.name[:500], originals=paper.originals, certified_copies=paper.copies
        )


# --- the registry ----------------------------------------------------------------------------------


def test_the_seven_forms_are_numbered_as_tt_03():
    assert [(n, str(f.title)) for n, f in printed_forms.FORMS.items()] == [
        ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
        ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
        ("03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
        ("04", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        ("05", "Thông báo dừng giải quyết hồ sơ"),
        ("06", "Phiếu kiểm soát quá trình giải quyết hồ sơ"),
        ("07", "Sổ theo dõi hồ sơ"),
    ]


def test_short_print_names_cut_at_the_first_aside_and_a_word_boundary():
    assert (
        print_name("Giấy chứng sinh (bản chính), trừ trường hợp sinh con ngoài cơ sở y tế")
        == "Giấy chứng sinh"
    )
    long = "Văn bản " + "chấp thuận của cơ quan có thẩm quyền thẩm định thiết kế " * 4
    short = print_name(long)
    assert len(short) <= PRINT_NAME_LIMIT and short.endswith("…") and long.startswith(short[:-1])
    assert not short[:-1].endswith(" ") and short[:-1].split()[-1] in long.split()
    assert print_name(long, short_name="Văn bản chấp thuận thiết kế") == "Văn bản chấp thuận thiết kế"


def test_the_signature_names_the_authority_and_never_a_generic_head(world):
    """Nghị định 30/2020/NĐ-CP: a deputy signs "KT." for the head, under their own title; a
    people's committee signs "TM."; a specialist signs in their own capacity."""
    deputy = printed_forms.signature(world.department, world.leader)
    assert deputy.lines == ("KT. Giám đốc", "Phó giám đốc") and deputy.name == world.leader.get_full_name()
    commune = world.other_department.__class__.objects.get(code="000.17.22.H99")
    world.leader.position = "Phó Chủ tịch"
    assert printed_forms.signature(commune, world.leader).lines == (
        "TM. Ủy ban nhân dân",
        "KT. Chủ tịch",
        "Phó chủ tịch",
    )
    specialist = printed_forms.signature(world.department, world.specialist, personal_title="Người hướng dẫn")
    assert specialist.lines == ("Người hướng dẫn",)


def test_the_letterhead_does_not_repeat_the_province_and_never_splits_a_word(world):
    centre = printed_forms.one_stop_issuer(world.centre)
    assert (centre.parent, centre.name) == (
        "Ủy ban nhân dân tỉnh Minh Sơn",
        "Trung tâm Phục vụ hành chính công",
    )
    department = printed_forms.agency_issuer(world.department)
    assert (department.parent, department.name) == ("Ủy ban nhân dân tỉnh Minh Sơn", "Sở Tư pháp")
    assert "hành\u00a0chính" in centre.name_line and "Minh\u00a0Sơn" in centre.parent_line


# --- form 01 ----------------------------------------------------------------------------------


def test_receipt_numbered_with_its_register_line_and_every_way_of_receiving_the_result(dossier, client):
    """Form 01: "Số", the register's book and line, "Đăng ký nhận kết quả tại" with the
    electronic result on the national portal (NĐ 118/2025/NĐ-CP Điều 22 khoản 3)."""
    dossier.result_delivery = ResultDelivery.ONLINE
    dossier.save(update_fields=["result_delivery"])
    pdf = client.get(reverse("motcua:receipt_pdf", args=[dossier.code])).content
    text = check_layout(
        pdf,
        form=printed_forms.RECEIPT,
        title="GIẤY TIẾP NHẬN HỒ SƠ",
        issuer_words=["Ủy ban nhân dân tỉnh Minh Sơn", "Trung tâm Phục vụ hành chính công"],
        signatures=[("NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.received_by.get_full_name())],
    )
    flat = " ".join(text.split())
    assert f"Số: {dossier.register_number:02d}/TNHS" in flat
    assert f"Quyển số: {dossier.register_year}, Số thứ tự: {dossier.register_number:02d}" in flat
    assert "☒ Cổng Dịch vụ công quốc gia (kết quả điện tử)" in flat and "☐ Bộ phận Một cửa" in flat
    assert AccessLog.objects.filter(label__contains="Mẫu số 01").exists()


@needs_catalogue
def test_a_receipt_with_eight_real_papers_fits_one_a5_page(dossier, client, real_papers):
    with_papers(dossier, sorted(real_papers, key=lambda p: -len(p.name))[:8])
    pdf = form_pdf(client, "motcua:receipt_pdf", dossier.code)
    check_layout(
        pdf,
        form=printed_forms.RECEIPT,
        title="GIẤY TIẾP NHẬN HỒ SƠ",
        signatures=[("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.received_by.get_full_name())],
    )


@needs_catalogue
def test_a_receipt_with_the_longest_real_list_fits_two_pages_in_short_names(dossier, client, real_papers):
    """The longest real case list (its papers described in up to ~1,000 characters): short names
    on the receipt, the whole text on the procedure's page."""
    with_papers(dossier, real_papers)
    pdf = form_pdf(client, "motcua:receipt_pdf", dossier.code, most_pages=2)
    text = " ".join(pdf_text(pdf).split())
    longest = max(real_papers, key=lambda p: len(p.name))
    assert " ".join(print_name(longest.name[:500])[:40].split()) in text
    assert longest.name[:300] not in text
    check_layout(
        pdf,
        form=printed_forms.RECEIPT,
        title="GIẤY TIẾP NHẬN HỒ SƠ",
        signatures=[("NGƯỜI TIẾP NHẬN HỒ SƠ", dossier.received_by.get_full_name())],
    )


# --- forms 02 and 03 ----------------------------------------------------------------------------------


def _attempt(world, outcome, items=()):
    return IntakeAttempt.objects.create(
        number=f"{world.centre.code}-{'BS' if outcome == IntakeOutcome.INCOMPLETE else 'TC'}26-0001",
        agency=world.centre,
        procedure=world.case.procedure,
        case=world.case,
        outcome=outcome,
        channel=Channel.DIRECT,
        applicant_name="Trần Thị Bình",
        missing_documents=list(items),
        reason="Thiếu giấy tờ" if outcome == IntakeOutcome.INCOMPLETE else "Không thuộc thẩm quyền",
        at=MONDAY_9AM,
        officer=world.reception,
    )


@needs_catalogue
def test_form_02_at_intake_is_the_one_stops_and_lists_every_item_with_counts(world, client, real_papers):
    """One layout for form 02 (at intake and after acceptance); Điều 17 khoản 1 điểm c."""
    items = [
        {"name": p.name[:500], "originals": p.originals or 1, "certified_copies": p.copies}
        for p in real_papers
    ]
    attempt = _attempt(world, IntakeOutcome.INCOMPLETE, items)
    client.force_login(world.reception)
    pdf = form_pdf(client, "motcua:intake_attempt_pdf", attempt.number, most_pages=2)
    text = check_layout(
        pdf,
        form=printed_forms.SUPPLEMENT,
        title="PHIẾU YÊU CẦU BỔ SUNG",
        issuer_words=["Trung tâm Phục vụ hành chính công"],
        signatures=[("NGƯỜI HƯỚNG DẪN", world.reception.get_full_name())],
    )
    assert f"Số: {attempt.number}" in " ".join(text.split())
    assert str(len(items)) in pdf_text(pdf)  # the last item's line number


@needs_catalogue
def test_form_02_after_acceptance_is_the_competent_agencys_with_the_same_layout(world, client, real_papers):
    """NĐ 118/2025/NĐ-CP Điều 19 khoản 5: the competent agency, through the one-stop."""
    dossier = world.dossier(processing=True)
    request = t.dossier_request_supplement(
        dossier=dossier,
        actor=world.leader,
        items=papers(*(p.name[:500] for p in real_papers)),
        reason="Thiếu",
        now=MONDAY_9AM + dt.timedelta(hours=3),
    )
    client.force_login(world.specialist)
    pdf = form_pdf(client, "motcua:dossier_supplement_pdf", dossier.code, request.pk, most_pages=2)
    text = check_layout(
        pdf,
        form=printed_forms.SUPPLEMENT,
        title="PHIẾU YÊU CẦU BỔ SUNG",
        **from_the_department(world.leader),
    )
    assert "TRUNG TÂM PHỤC VỤ" not in header_of(text, "PHIẾU YÊU CẦU BỔ SUNG")
    flat = " ".join(pdf_text(pdf).split())
    assert "tính lại từ đầu" in flat and "15 ngày" in flat


def test_form_03_at_intake_by_the_one_stop_and_after_appraisal_by_the_competent_agency(world, client):
    """Điều 17 khoản 1 điểm c (the one-stop) and Điều 19 khoản 3 (the competent agency)."""
    client.force_login(world.reception)
    attempt = _attempt(world, IntakeOutcome.REFUSED)
    pdf = form_pdf(client, "motcua:intake_attempt_pdf", attempt.number)
    check_layout(
        pdf,
        form=printed_forms.REFUSAL,
        title="PHIẾU TỪ CHỐI",
        issuer_words=["Trung tâm Phục vụ hành chính công"],
        signatures=[("NGƯỜI TIẾP NHẬN HỒ SƠ", world.reception.get_full_name())],
    )
    dossier = world.dossier(processing=True)
    refused = t.dossier_refuse(dossier=dossier, actor=world.leader, reason="Không đủ điều kiện theo luật")
    assert refused.outcome == Outcome.REFUSED
    detail = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    url = reverse("motcua:dossier_refusal_pdf", args=[dossier.code])
    assert url in detail and "Mẫu số 03" in detail
    pdf = client.get(url).content
    text = check_layout(
        pdf,
        form=printed_forms.REFUSAL,
        title="PHIẾU TỪ CHỐI",
        **from_the_department(world.leader),
    )
    assert "Không đủ điều kiện theo luật" in pdf_text(pdf) and "Qua thẩm định" in " ".join(text.split())
    fresh = world.dossier(processing=True)
    assert client.get(reverse("motcua:dossier_refusal_pdf", args=[fresh.code])).status_code == 404


# --- forms 04 and 05 ----------------------------------------------------------------------------------


def test_form_04_is_the_competent_agencys_letter_signed_kt_with_its_recipients(world, client):
    """NĐ 118/2025/NĐ-CP Điều 19 khoản 6: the competent agency writes to the one-stop and the
    applicant; the result promised by the delivery chosen at intake."""
    dossier = world.dossier(
        processing=True,
        result_delivery=ResultDelivery.POST,
        delivery_address="Số 3 ngõ Hòa Bình, phường Trung Sơn",
    )
    apology = apologise_before_due(dossier, world.leader, days_later=3, days_before=2)
    client.force_login(world.leader)
    pdf = form_pdf(client, "motcua:dossier_apology_pdf", dossier.code)
    text = check_layout(
        pdf,
        form=printed_forms.APOLOGY,
        title="VĂN BẢN XIN LỖI",
        **from_the_department(world.leader),
    )
    flat = " ".join(pdf_text(pdf).split())
    assert "THỦ TRƯỞNG CƠ QUAN" not in flat and "Nơi nhận:" in flat and "Kính gửi:" in flat
    assert "qua dịch vụ bưu chính công ích đến địa chỉ Số 3 ngõ Hòa Bình" in flat
    assert "Trung tâm Phục vụ hành chính công tỉnh Minh Sơn" in flat  # the one-stop, addressed
    assert f"Số: {apology.number}" in " ".join(text.split())


def test_form_05_is_the_competent_agencys_notice_signed_by_who_stopped(world, client):
    dossier = world.dossier(processing=True)
    stopped = t.dossier_stop(
        dossier=dossier,
        actor=world.leader,
        reason="Người nộp đề nghị dừng",
        legal_basis="Điều 21 NĐ 118/2025",
    )
    client.force_login(world.reception)
    pdf = form_pdf(client, "motcua:dossier_stop_pdf", stopped.code)
    check_layout(
        pdf,
        form=printed_forms.STOP_NOTICE,
        title="THÔNG BÁO",
        **from_the_department(world.leader),
    )
    assert "Người nộp đề nghị dừng" in pdf_text(pdf)


# --- forms 06 and 07 ----------------------------------------------------------------------------------


def test_form_06_names_the_lead_agency_and_keeps_hand_over_and_receipt_apart(world, client):
    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    t.dossier_transfer(dossier=dossier, actor=world.specialist, step=world.steps[1], recipient=world.leader)
    client.force_login(world.reception)
    response = client.get(reverse("motcua:dossier_control_sheet", args=[dossier.code]))
    pdf = response.content
    assert pages(pdf) == 1
    check_layout(
        pdf,
        form=printed_forms.CONTROL_SHEET,
        title="PHIẾU KIỂM SOÁT",
        issuer_words=["Trung tâm Phục vụ hành chính công"],
    )
    flat = " ".join(pdf_text(pdf).split())
    assert "Cơ quan chủ trì giải quyết: Sở Tư pháp" in flat
    assert "Giao hồ sơ" in flat and "Nhận hồ sơ" in flat
    # the two moments, each in its own column: the hand-over's time printed, the receipt's left
    # to fill in (no receipt moment recorded in this branch)
    assert flat.count("……") >= 2
    assert "Lấy ý kiến cơ quan, đơn vị liên quan: không có" in flat
    assert AccessLog.objects.filter(label__contains="Mẫu số 06").exists()
    assert not AccessLog.objects.filter(label__contains="Mẫu 05").exists()


def test_form_06_prints_consultations_and_the_receipt_moment_when_recorded(world):
    """Điều 19 khoản 4: who was consulted, on what, by when (rendered from what the lifecycle
    records; here given directly to the context builder)."""
    from core.pdf import render_pdf
    from motcua.selectors_processing import control_sheet_rows, dossier_events

    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    rows = control_sheet_rows(dossier, dossier_events(dossier))
    rows[0].received_at = rows[0].event.at + dt.timedelta(hours=2, minutes=5)
    consultation = {
        "agency": "Sở Nông nghiệp và Môi trường",
        "subject": "Xác nhận nguồn gốc đất",
        "sent_at": MONDAY_9AM,
        "due_at": MONDAY_9AM + dt.timedelta(days=3),
        "answered_at": None,
    }
    context = printed_forms.control_sheet_context(dossier, rows, consultations=[consultation])
    flat = " ".join(pdf_text(render_pdf("motcua/pdf/control_sheet.html", context)).split())
    assert "Xác nhận nguồn gốc đất" in flat and "Sở Nông nghiệp và Môi trường" in flat
    handed, received = rows[0].event.at, rows[0].received_at
    assert f"{handed:%H:%M}" != f"{received:%H:%M}"
    from django.utils import timezone

    assert timezone.localtime(received).strftime("%H:%M") in flat
    assert timezone.localtime(received).strftime("%d/%m/%Y") in flat


def test_form_07_the_register_is_the_one_stops_book(world, client):
    world.dossier()
    client.force_login(world.reception)
    pdf = client.get(reverse("motcua:register_pdf"), {"nam": MONDAY_9AM.year}).content
    check_layout(
        pdf,
        form=printed_forms.REGISTER,
        title="SỔ THEO DÕI HỒ SƠ",
        issuer_words=["Ủy ban nhân dân tỉnh Minh Sơn", "Trung tâm Phục vụ hành chính công"],
    )


def test_the_dossier_page_offers_its_forms_by_their_tt_03_numbers(world, client):
    dossier = world.dossier(processing=True)
    client.force_login(world.reception)
    html = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    for number in ("01", "06", "07"):
        assert f"Mẫu số {number}" in html
    assert "(Mẫu 05)" not in html
    register = reverse("motcua:register_pdf")
    assert register in html
    client.force_login(world.specialist)  # no right to the register: no link
    assert register not in client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()


def test_the_receipt_printed_from_the_browser_uses_the_forms_stylesheet(dossier, client):
    html = client.get(reverse("motcua:receipt_print", args=[dossier.code])).content.decode()
    assert "/static/css/forms.css" in html and 'class="form form-01 print-form"' in html
    assert "Mẫu số 01" in html


def test_every_form_event_is_a_hand_off_of_the_dossier(world):
    """Guard: the events the control sheet reads are the history's, untouched by printing."""
    dossier = world.dossier()
    before = DossierEvent.objects.filter(dossier=dossier).count()
    printed_forms.control_sheet_context(dossier, [])
    assert DossierEvent.objects.filter(dossier=dossier).count() == before
    assert EventAction.RECEIVE in DossierEvent.objects.filter(dossier=dossier).values_list(
        "action", flat=True
    )
