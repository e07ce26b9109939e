"""The register (Sổ theo dõi hồ sơ): numbering, filters, visibility, exports, query count."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.services import transitions as t
from tests.factories import AgencyFactory, UserFactory
from tests.timeutil import local
from thutuc.accounts.roles import Role

from .factories import CaseFactory, DossierFactory, reception_officer
from .pdftext import pdf_text

URL = "/mot-cua/so-theo-doi/"


@pytest.fixture
def book(receive, officer, case):
    """Three dossiers in 2026 (the first handed on at 14:00, then waiting for a supplement),
    one in 2027."""
    a = DossierFactory(
        case=case,
        receiving_agency=officer.agency,
        received_by=officer,
        received_at=local(2026, 3, 2, 9, 0),
        transferred_at=local(2026, 3, 2, 14, 0),
        waiting_supplement=True,
    )
    b, _ = receive(received_at=local(2026, 3, 3, 9, 0), case=CaseFactory(procedure__name="Chứng thực chữ ký"))
    c, _ = receive(received_at=local(2026, 6, 1, 9, 0))
    d, _ = receive(received_at=local(2027, 1, 4, 9, 0))
    return a, b, c, d


def test_url_name():
    assert reverse("motcua:register") == URL


def test_book_is_per_year_and_numbered_from_01(client, officer, book):
    client.force_login(officer)
    page = client.get(URL, {"nam": 2026})
    rows = page.context["rows"]
    assert [r[0] for r in rows] == ["01", "02", "03"]
    assert [r[1] for r in rows] == [book[0].code, book[1].code, book[2].code]
    assert rows[0][9] == "02/03/2026"  # transferred
    assert rows[1][12].startswith("2. ")  # national status code in the note (received)
    assert [r[0] for r in client.get(URL, {"nam": 2027}).context["rows"]] == ["01"]


def test_filters(client, officer, book):
    client.force_login(officer)
    by_procedure = client.get(URL, {"nam": 2026, "thu_tuc": book[1].procedure_id}).context["rows"]
    assert [r[1] for r in by_procedure] == [book[1].code]
    by_dates = client.get(URL, {"nam": 2026, "tu_ngay": "2026-03-03", "den_ngay": "2026-06-01"}).context[
        "rows"
    ]
    assert [r[1] for r in by_dates] == [book[1].code, book[2].code]
    t.dossier_transfer(dossier=book[2], actor=officer, unit=book[0].current_unit)  # now processing
    by_status = client.get(URL, {"nam": 2026, "trang_thai": "processing"}).context["rows"]
    assert [r[1] for r in by_status] == [book[2].code]
    bad = client.get(URL, {"nam": 2026, "tu_ngay": "2026-06-01", "den_ngay": "2026-03-01"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in bad.content.decode()


def test_only_the_officers_agencies(client, officer, book):
    outsider = reception_officer()
    client.force_login(outsider)
    assert client.get(URL, {"nam": 2026}).context["rows"] == []
    assert client.get(URL, {"co_quan": officer.agency_id}).status_code == 404
    assert client.get(reverse("motcua:register_xlsx"), {"co_quan": officer.agency_id}).status_code == 404
    client.force_login(UserFactory(roles=[Role.SPECIALIST]))
    assert client.get(URL).status_code == 403


def test_home_affairs_chooses_the_agency(client, officer, book, province):
    from thutuc.models import User

    client.force_login(User.objects.get(username="sonoivu"))
    rows = client.get(URL, {"co_quan": officer.agency_id, "nam": 2026}).context["rows"]
    assert len(rows) == 3


def test_query_count_does_not_grow_with_rows(client, officer, receive, django_assert_max_num_queries):
    client.force_login(officer)
    for day in range(1, 4):
        receive(received_at=local(2026, 4, day, 9, 0))
    client.get(URL, {"nam": 2026})  # warm the session
    with django_assert_max_num_queries(13) as few:
        client.get(URL, {"nam": 2026})
    for day in range(6, 28):
        receive(received_at=local(2026, 4, day, 9, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"nam": 2026})
    assert len(response.context["rows"]) == 25


def test_excel_export_holds_every_filtered_row(client, officer, book):
    client.force_login(officer)
    response = client.get(reverse("motcua:register_xlsx"), {"nam": 2026})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "SỔ THEO DÕI HỒ SƠ NĂM 2026"
    assert values[3][1] == "Mã hồ sơ"
    assert [row[1] for row in values[4:]] == [book[0].code, book[1].code, book[2].code]


def test_pdf_of_the_page_is_a4_landscape(client, officer, book):
    client.force_login(officer)
    response = client.get(reverse("motcua:register_pdf"), {"nam": 2026})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ NĂM 2026" in text and book[0].code in text
    import subprocess

    info = subprocess.run(
        ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "841.89 x 595.276" in info  # A4 landscape, in points


def test_unrelated_agency_not_in_list(client, db):
    client.force_login(reception_officer())
    AgencyFactory()
    assert client.get(URL).status_code == 200


def test_pdf_prints_the_whole_filtered_book_not_the_page(client, officer, receive):
    """60 entries: the screen shows 50 a page, the printed book all 60, headings repeated."""
    client.force_login(officer)
    codes = [receive(received_at=local(2026, 4, 1 + n // 6, 8 + n % 6, 0))[0].code for n in range(60)]
    assert len(client.get(URL, {"nam": 2026}).context["rows"]) == 50
    response = client.get(reverse("motcua:register_pdf"), {"nam": 2026})
    text = pdf_text(response.content)
    assert codes[0] in text and codes[49] in text and codes[59] in text
    assert "60 hồ sơ" in text
    assert text.count("Mã hồ sơ") >= 2  # the heading row on every page
    # a filter narrows the printed book too, and is printed under the title
    narrowed = pdf_text(
        client.get(reverse("motcua:register_pdf"), {"nam": 2026, "tu_ngay": "2026-04-10"}).content
    )
    assert codes[0] not in narrowed and codes[59] in narrowed and "nhận từ ngày 10/04/2026" in narrowed


def test_pdf_of_a_too_long_book_asks_for_a_narrower_filter(client, officer, receive, monkeypatch):
    from motcua.views import register as views

    monkeypatch.setattr(views, "MAX_PDF_ROWS", 2)
    client.force_login(officer)
    for day in (1, 2, 3):
        receive(received_at=local(2026, 4, day, 9, 0))
    response = client.get(reverse("motcua:register_pdf"), {"nam": 2026})
    assert response.status_code == 400
    assert "quá nhiều để in một lần" in response.content.decode()


def test_year_box_shows_the_year_of_the_title(client, officer, book):
    client.force_login(officer)
    page = client.get(URL)
    year = page.context["year"]
    assert page.context["form"]["nam"].value() == str(year)
    assert f"Sổ theo dõi hồ sơ năm {year}" in page.content.decode()


def test_the_book_links_a_dossier_received_here_and_decided_elsewhere(client, officer, case):
    """The code's prefix names the competent agency (NĐ 118/2025 Điều 28 khoản 2 điểm a), so
    it cannot tell the counter that received the dossier: the book still opens every entry."""
    department = AgencyFactory(parent=officer.agency.parent)
    dossier = DossierFactory(
        case=case,
        receiving_agency=officer.agency,
        competent_agency=department,
        received_by=officer,
        received_at=local(2026, 3, 2, 9, 0),
    )
    assert not dossier.code.startswith(officer.agency.code)
    client.force_login(officer)
    link = f'href="{reverse("motcua:dossier_detail", kwargs={"code": dossier.code})}"'
    assert link in client.get(URL, {"nam": 2026}).content.decode()
    assert client.get(reverse("motcua:dossier_detail", kwargs={"code": dossier.code})).status_code == 200
