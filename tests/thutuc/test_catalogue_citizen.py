"""Issue 13 §3 on the catalogue: search by field, words in any order, form templates served
by a view (never /media/), checked by content on upload, real sample templates."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thutuc.catalogue.form_templates import DEMO_TEMPLATES, FormTemplate, docx_bytes, pdf_bytes
from thutuc.catalogue.upload_check import validate_form_template
from thutuc.models import Field, Procedure, ProcedureDocument

pytestmark = pytest.mark.django_db


def codes(response):
    return {p.code for p in response.context["page"].object_list}


def test_field_name_finds_every_procedure_of_the_field(catalogue, client):
    land = set(Procedure.objects.filter(field__name="Đất đai", is_active=True).values_list("code", flat=True))
    assert len(land) >= 4
    # some of them do not say "đất đai" in their own name
    assert any(
        "đất đai" not in name.lower()
        for name in Procedure.objects.filter(code__in=land).values_list("name", flat=True)
    )
    for query in ("dat dai", "Đất đai", "DAI DAT"):
        response = client.get(reverse("thutuc:procedure_list"), {"q": query})
        assert land <= codes(response), query


def test_multi_word_queries_match_in_any_order(catalogue, client):
    forward = codes(client.get(reverse("thutuc:procedure_list"), {"q": "ket hon dang ky"}))
    assert "1.000894" in forward
    assert forward == codes(client.get(reverse("thutuc:procedure_list"), {"q": "dang ky ket hon"}))


def test_renaming_a_field_updates_the_search(catalogue, client):
    field = Field.objects.get(name="Đất đai")
    field.name = "Đất đai và tài nguyên"
    field.save()
    response = client.get(reverse("thutuc:procedure_list"), {"q": "tai nguyen"})
    assert set(field.procedures.values_list("code", flat=True)) <= codes(response)


# --- form templates ------------------------------------------------------------------------------


@pytest.fixture
def paper(catalogue):
    document = ProcedureDocument.objects.filter(case__procedure__code="1.001193").first()
    document.template.save("to-khai.docx", ContentFile(docx_bytes(DEMO_TEMPLATES[document.name])), save=True)
    return document


def test_the_procedure_page_links_to_the_download_view(paper, client):
    page = client.get(reverse("thutuc:procedure_detail", args=["1.001193"])).content.decode()
    url = reverse("thutuc:document_template", args=[paper.pk])
    assert f'href="{url}"' in page and "/media/" not in page


def test_the_template_downloads_as_a_word_file(paper, client):
    response = client.get(reverse("thutuc:document_template", args=[paper.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in archive.read("word/document.xml").decode()


def test_no_template_or_withdrawn_procedure_is_a_404(paper, client):
    without = ProcedureDocument.objects.filter(template="").first()
    assert client.get(reverse("thutuc:document_template", args=[without.pk])).status_code == 404
    Procedure.objects.filter(code="1.001193").update(is_active=False)
    assert client.get(reverse("thutuc:document_template", args=[paper.pk])).status_code == 404
    assert client.get(reverse("thutuc:document_template", args=[999999])).status_code == 404


def test_the_demo_carries_real_templates(catalogue):
    attached = ProcedureDocument.objects.exclude(template="")
    assert attached.count() >= 4
    kinds = {d.template.name.rsplit(".", 1)[1] for d in attached}
    assert kinds == {"docx", "pdf"}
    for document in attached:
        with document.template.open("rb") as handle:
            upload = SimpleUploadedFile(document.template.name, handle.read())
        validate_form_template(upload)  # the same check as an admin's upload


def test_generated_pdf_is_a_pdf_with_the_title():
    from tests.motcua.pdftext import pdf_text

    content = pdf_bytes(FormTemplate("Tờ khai thử", ("Họ và tên",), "pdf"))
    assert content.startswith(b"%PDF-") and "TỜ KHAI THỬ" in pdf_text(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("to-khai.docx", b"MZ\x90\x00 not a document"),
        ("to-khai.pdf", b"PK\x03\x04 fake"),
        ("to-khai.exe", b"%PDF-1.4 but named exe"),
        ("to-khai.docx", b"%PDF-1.4 a pdf named docx"),
    ],
)
def test_upload_check_refuses_what_is_not_a_document(name, content):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Mẫu đơn, tờ khai phải là tệp"):
        validate_form_template(SimpleUploadedFile(name, content))


def test_admin_refuses_a_disguised_template(catalogue, client):
    from thutuc.models import User

    client.force_login(User.objects.get(username="quantri"))
    case = ProcedureDocument.objects.filter(case__procedure__code="1.001193").first().case
    url = reverse("admin:thutuc_procedurecase_change", args=[case.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not isinstance(v, list | dict)}
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for field in management:
            data[field.html_name] = field.value()
        for inline_form in formset.formset.forms:
            for field in inline_form:
                value = field.value()
                if value is None or value is False:
                    continue
                data[field.html_name] = value if not hasattr(value, "name") else ""
    first_prefix = page.context["inline_admin_formsets"][0].formset.forms[0].prefix
    data[f"{first_prefix}-template"] = SimpleUploadedFile("to-khai.docx", b"MZ\x90\x00 program")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mẫu đơn, tờ khai phải là tệp" in response.content.decode()
