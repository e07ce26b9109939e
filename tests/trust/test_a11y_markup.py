"""What axe cannot see from one state of a page: with validation errors, every error is
tied to its field (`aria-describedby` → an element that exists and holds the message,
`aria-invalid`), every id is unique, every input has a label, and the forms say what the
browser may fill in. Runs without a browser, on the server's HTML."""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from khieunai import antispam
from tests.motcua.factories import CaseFactory, intake_form, reception_officer

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Elements with their attributes and text (enough to follow id references)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def by_id(self) -> dict[str, dict]:
        ids: dict[str, dict] = {}
        for element in self.elements:
            if element_id := element["attrs"].get("id"):
                assert element_id not in ids, f"duplicate id {element_id!r}"
                ids[element_id] = element
        return ids


def assert_errors_tied_to_fields(html: str, expected_errors: list[str]) -> Page:
    page = Page(html)
    ids = page.by_id()
    described = {}
    for element in page.elements:
        for ref in (element["attrs"].get("aria-describedby") or "").split():
            assert ref in ids, f"aria-describedby of {element['attrs']} points to a missing id {ref!r}"
            described[ref] = element
    error_boxes = [e for e in page.elements if "errors" in (e["attrs"].get("class") or "").split()]
    assert error_boxes, "no field error on the page"
    for box in error_boxes:
        assert box["attrs"].get("id") in described, f"error {box['text'].strip()!r} is tied to no field"
        field = described[box["attrs"]["id"]]
        if field["tag"] in ("input", "select", "textarea"):
            assert field["attrs"].get("aria-invalid") == "true", field["attrs"]
    for message in expected_errors:
        assert any(message in box["text"] for box in error_boxes), message
    labelled = {e["attrs"].get("for") for e in page.elements if e["tag"] == "label"}
    for element in page.elements:
        attrs = element["attrs"]
        if element["tag"] in ("input", "select", "textarea") and attrs.get("type") not in (
            "hidden",
            "submit",
        ):
            named = attrs.get("id") in labelled or attrs.get("aria-label") or attrs.get("title")
            assert named, f"unlabelled field {attrs}"
    return page


def test_tracking_errors_are_tied_to_their_fields(client):
    cache.clear()
    response = client.post("/tra-cuu/", {"ma": "", "pin": ""})
    page = assert_errors_tied_to_fields(
        response.content.decode(), ["Vui lòng nhập mã hồ sơ.", "Vui lòng nhập mã tra cứu."]
    )
    code = page.by_id()["id_ma"]["attrs"]
    # the help text and the error are both read with the field
    assert code["aria-describedby"].split() == ["id_ma_helptext", "id_ma_error"]
    assert code["autocomplete"] == "off"


def test_feedback_errors_are_tied_to_their_fields_and_autocomplete_is_declared(client, province, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    cache.clear()
    blank = Page(client.get("/phan-anh/").content.decode()).by_id()
    assert blank["id_submitter_name"]["attrs"]["autocomplete"] == "name"
    assert blank["id_submitter_email"]["attrs"]["autocomplete"] == "email"
    assert blank["id_submitter_address"]["attrs"]["autocomplete"] == "street-address"
    assert blank["id_submitter_phone"]["attrs"]["autocomplete"] == "tel"
    # the radio group is a fieldset whose legend names it
    legends = [
        e["text"] for e in Page(client.get("/phan-anh/").content.decode()).elements if e["tag"] == "legend"
    ]
    assert any(text.startswith("Loại đơn") for text in legends)

    response = client.post(
        "/phan-anh/", {"kind": "complaint", "form_token": antispam.form_token(), "website": ""}
    )
    assert response.status_code == 200
    assert_errors_tied_to_fields(response.content.decode(), ["Trường này là bắt buộc."])


def test_intake_errors_are_tied_to_their_fields(client, db):
    officer = reception_officer()
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    client.force_login(officer)
    url = "/mot-cua/tiep-nhan/"
    # no paper ticked and a negative count for each, by post without an address, a bad e-mail
    negative = {f"doc_{paper.pk}_originals": "-1" for paper in case.documents.all()}
    data = intake_form(
        case, check=False, result_delivery="post", applicant_email="khong-phai-email", **negative
    )
    response = client.post(url, data)
    html = response.content.decode()
    page = assert_errors_tied_to_fields(
        html,
        [
            "Chưa nhận giấy tờ bắt buộc này.",
            "Nhập địa chỉ nhận kết quả qua bưu chính.",
            "Nhập địa chỉ email.",
        ],
    )
    ids = page.by_id()
    # each paper count says which paper it counts (its title names the column and the paper)
    paper = case.documents.order_by("order").first()
    assert ids[f"id_doc_{paper.pk}_originals"]["attrs"]["title"] == f"Bản chính: {paper.name}"
    assert ids[f"id_doc_{paper.pk}_originals"]["attrs"]["aria-invalid"] == "true"
    # the counter's browser must not offer the previous applicant's details
    form = next(
        e for e in page.elements if e["tag"] == "form" and "intake-form" in e["attrs"].get("class", "")
    )
    assert form["attrs"]["autocomplete"] == "off"
    # the radio groups are fieldsets named by a legend
    legends = [e["text"].strip() for e in page.elements if e["tag"] == "legend"]
    assert any(text.startswith("Nhận kết quả") for text in legends)
