"""Papers of a received dossier: the citizen uploads the supplement asked for from "Hồ sơ
của tôi" (the clock restarts only when the agency records the complete supplement, NĐ
118/2025/NĐ-CP Điều 19 khoản 5), the counter scans papers at intake and the result at the
return; the dossier page lists every file with who added it and when."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.alerts import kinds
from motcua.models import Notification, PaperFile, PaperPurpose, Status
from motcua.services.dossier_papers import dossier_supplement_upload
from motcua.services.papers import Upload
from motcua.services.transitions import dossier_receive_supplement
from tests.factories import officer_of
from thutuc.accounts.roles import Role

from .citizen_helpers import exe_named_pdf, identity, pdf, png, sign_in
from .factories import PHONE, DossierFactory

pytestmark = pytest.mark.usefixtures("fresh_cache")


@pytest.fixture
def waiting(db):
    return DossierFactory(waiting_supplement=True)


def test_the_citizen_uploads_the_supplement_and_the_counter_is_told(waiting):
    # the applicant's e-mail about the request links the online supplement page
    asked = Notification.objects.get(dossier=waiting, kind="supplement_requested", channel="email")
    assert f"/cong-dan/ho-so/{waiting.code}/bo-sung/" in asked.body
    due_before = waiting.due_at
    rows = dossier_supplement_upload(
        dossier=waiting, identity=identity(PHONE), uploads=[Upload(pdf("giay-uy-quyen.pdf"), "Giấy ủy quyền")]
    )
    assert [r.purpose for r in rows] == [PaperPurpose.SUPPLEMENT]
    assert rows[0].dossier == waiting and rows[0].added_by_citizen.startswith("09")
    told = Notification.objects.filter(kind=kinds.SUPPLEMENT_UPLOADED, dossier=waiting)
    assert told.exists()
    # the upload alone does not restart the clock: the agency's receipt of it does
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING_SUPPLEMENT and waiting.due_at == due_before
    dossier_receive_supplement(dossier=waiting, actor=officer_of(waiting.receiving_agency, Role.RECEPTION))
    waiting.refresh_from_db()
    assert waiting.status == Status.PROCESSING


def test_a_supplement_is_refused_when_not_waiting_or_not_mine(db):
    processing = DossierFactory(processing=True)
    with pytest.raises(ValidationError, match="không còn chờ bổ sung"):
        dossier_supplement_upload(
            dossier=processing, identity=identity(PHONE), uploads=[Upload(pdf(), "Giấy")]
        )
    waiting = DossierFactory(waiting_supplement=True)
    with pytest.raises(ValidationError, match="Không tìm thấy hồ sơ của bạn"):
        dossier_supplement_upload(
            dossier=waiting, identity=identity("0987000111"), uploads=[Upload(pdf(), "Giấy")]
        )
    with pytest.raises(ValidationError, match="không phải tệp PDF"):
        dossier_supplement_upload(
            dossier=waiting, identity=identity(PHONE), uploads=[Upload(exe_named_pdf(), "Giấy")]
        )
    assert PaperFile.objects.count() == 0


def test_the_supplement_page_from_my_dossiers(client, waiting, django_capture_on_commit_callbacks):
    sign_in(client, django_capture_on_commit_callbacks, PHONE)
    home = client.get(reverse("motcua:citizen_home")).content.decode()
    assert waiting.code in home and "Nộp bổ sung trực tuyến" in home
    page = client.get(reverse("motcua:citizen_supplement", args=[waiting.code]))
    assert page.status_code == 200
    fields = list(page.context["form"].fields)
    response = client.post(reverse("motcua:citizen_supplement", args=[waiting.code]), {fields[0]: png()})
    assert response.status_code == 302
    assert PaperFile.objects.filter(dossier=waiting, purpose=PaperPurpose.SUPPLEMENT).count() == 1


def test_the_counter_scans_papers_and_the_page_lists_who_and_when(client, db):
    dossier = DossierFactory(processing=True)
    officer = officer_of(dossier.receiving_agency, Role.RECEPTION)
    client.force_login(officer)
    document = dossier.documents.first()
    url = reverse("motcua:dossier_scan", args=[dossier.code])
    assert (
        client.post(url, {"purpose": "intake", "paper": document.pk, "file": pdf("scan.pdf")}).status_code
        == 302
    )
    assert (
        client.post(url, {"purpose": "result", "paper": "__result__", "file": png("kq.png")}).status_code
        == 302
    )
    bad = client.post(url, {"purpose": "intake", "paper": document.pk, "file": exe_named_pdf()}, follow=True)
    assert "không phải tệp PDF" in bad.content.decode()
    files = list(PaperFile.objects.filter(dossier=dossier).order_by("pk"))
    assert [(f.purpose, f.added_by) for f in files] == [
        (PaperPurpose.INTAKE_SCAN, officer),
        (PaperPurpose.RESULT_SCAN, officer),
    ]
    page = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert "scan.pdf" in page and "kq.png" in page and officer.get_full_name() in page
    # a specialist reads the files but does not scan
    specialist = officer_of(dossier.current_unit, Role.SPECIALIST)
    client.force_login(specialist)
    response = client.post(url, {"purpose": "intake", "paper": document.pk, "file": pdf()})
    assert response.status_code in (403, 404)
    assert PaperFile.objects.filter(dossier=dossier).count() == 2


def test_my_page_is_o1_in_queries(
    client, db, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from .test_citizen_pay_result import with_result

    DossierFactory(waiting_supplement=True)
    with_result()
    sign_in(client, django_capture_on_commit_callbacks, PHONE)
    with django_assert_max_num_queries(12) as one:
        assert client.get(reverse("motcua:citizen_home")).status_code == 200
    for _ in range(3):
        DossierFactory(waiting_supplement=True)
        DossierFactory(processing=True)
        with_result()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(reverse("motcua:citizen_home"))
    assert len(page.context["dossiers"]) == 11
    html = page.content.decode()
    assert html.count("Nộp bổ sung trực tuyến") == 4
    # every dossier's fees from the ledger (one query for all), each result with its QR
    assert html.count("Phí, lệ phí phải nộp: 8.000 đồng") == 11
    assert html.count("Tải kết quả điện tử (PDF)") == 4 and html.count("<svg") >= 4


def test_a_scan_past_its_validity_is_not_offered_for_reuse(client, db):
    from motcua.citizen import selectors

    dossier = DossierFactory(processing=True)
    client.force_login(officer_of(dossier.receiving_agency, Role.RECEPTION))
    url = reverse("motcua:dossier_scan", args=[dossier.code])
    document = dossier.documents.first()
    for name, until in (("cccd-het-han.pdf", "01/01/2020"), ("cccd.pdf", "31/12/2035")):
        response = client.post(
            url, {"purpose": "intake", "paper": document.pk, "file": pdf(name), "valid_until": until}
        )
        assert response.status_code == 302
    offered = [p.original_name for p in selectors.reusable_papers(identity(PHONE))]
    assert offered == ["cccd.pdf"]
    bad = client.post(
        url,
        {"purpose": "intake", "paper": document.pk, "file": pdf(), "valid_until": "99/99/9999"},
        follow=True,
    )
    assert PaperFile.objects.filter(dossier=dossier).count() == 2
    shown = [str(m) for m in bad.context["messages"]]
    assert shown[-1] == "Nhập một ngày hợp lệ.", shown
