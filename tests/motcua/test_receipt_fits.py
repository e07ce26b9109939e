"""Issue 17: form 01 (giấy tiếp nhận) for real procedures fits an A5 page.

Real paper descriptions run past 500 characters; the receipt prints each paper's short name
(the full text stays on the procedure page), so a receipt with up to 8 papers is one A5 page
and the longest real list of papers two. The procedures are picked from the 808 national
records: among those the counter can receive (a local level and a stated time), the one
with the most text in at most 8 papers, and the one with the most papers."""

import pytest
from django.urls import reverse

from motcua.services.intake import Applicant, ReceivedDocument, dossier_receive
from thutuc.catalogue import excel
from thutuc.catalogue.demo import rows_dataset
from thutuc.catalogue.resources import CatalogueLoadResource
from thutuc.models import Agency, DocumentKind, ProcedureCase, User

from ..national import converted_rows
from .pdftext import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def _papers(row) -> list[str]:
    return [line for line in row[excel.COL_DOCUMENTS].splitlines() if line and not line.startswith("#")]


def _receivable(row) -> bool:
    local = "Cấp tỉnh" in row[excel.COL_LEVEL] or "Cấp xã" in row[excel.COL_LEVEL]
    return local and row[excel.COL_TIME] not in ("", excel.NOT_STATED)


def _picked():
    rows = [row for row in converted_rows()[0] if _receivable(row)]
    most_text = max(
        (row for row in rows if len(_papers(row)) <= 8),
        key=lambda row: (len(_papers(row)), len(row[excel.COL_DOCUMENTS])),
    )
    longest = max(rows, key=lambda row: (len(_papers(row)), len(row[excel.COL_DOCUMENTS])))
    return most_text, longest


def _receipt(client, row) -> bytes:
    result = CatalogueLoadResource().import_data(rows_dataset([row]), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    case = ProcedureCase.objects.get(procedure__code=row[excel.COL_CODE])
    officer = User.objects.get(username="tiepnhan")
    papers = list(case.documents.filter(kind=DocumentKind.FILE).order_by("order"))
    dossier, _pin = dossier_receive(
        procedure=case.procedure,
        case=case,
        agency=Agency.objects.get(code="000.00.06.H99"),  # the centre: every local level
        actor=officer,
        applicant=Applicant(name="Nguyễn Văn An", phone="0912345678", address="Xã Minh Sơn"),
        documents=[
            ReceivedDocument(
                name=d.name,
                originals=max(d.originals, 1),
                certified_copies=d.certified_copies,
                photocopies=d.photocopies,
                procedure_document_id=d.pk,
                print_name=d.print_name,
            )
            for d in papers
        ],
    )
    client.force_login(officer)
    response = client.get(reverse("motcua:receipt_pdf", args=[dossier.code]))
    assert response.status_code == 200
    return response.content, papers


def test_a_receipt_of_up_to_8_real_papers_is_one_a5_page(client, province):
    row, _longest = _picked()
    content, papers = _receipt(client, row)
    assert 5 <= len(papers) <= 8
    assert max(len(p.name) for p in papers) > 150  # long descriptions: the worst real case
    assert pdf_pages(content) == 1, row[excel.COL_CODE]
    text = " ".join(pdf_text(content).split())
    longest = max(papers, key=lambda p: len(p.name))
    assert longest.name not in text  # the short name is printed, not the description


def test_the_longest_real_list_of_papers_prints_on_two_a5_pages_at_most(client, province):
    _row, row = _picked()
    content, papers = _receipt(client, row)
    assert len(papers) > 8
    assert pdf_pages(content) <= 2, (row[excel.COL_CODE], len(papers))
