"""Hostile input to the counter's intake form (/mot-cua/tiep-nhan/) and its lookups."""

import unicodedata
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.models import Dossier, DossierDocument, DossierEvent, IntakeAttempt, OnlineSubmission
from tests.motcua.factories import CaseFactory
from thutuc.models import Agency

from .conftest_fuzz import check_post
from .fuzz_strategies import examples, hostile_text, hostile_value, mutation

URL = "/mot-cua/tiep-nhan/"
MODELS = [Dossier, DossierEvent, DossierDocument, IntakeAttempt, OnlineSubmission]


@pytest.fixture
def intake_case(province, client):
    centre = Agency.objects.get(code="000.00.06.H99")
    case = CaseFactory()
    case.procedure.receiving_agencies.add(centre)
    from thutuc.models import User

    client.force_login(User.objects.get(username="tiepnhan"))
    return case


def baseline(case, action="accept"):
    data = {
        "thu_tuc": case.procedure.code,
        "truong_hop": str(case.pk),
        "token": str(uuid.uuid4()),
        "action": action,
        "applicant_type": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "applicant_address": "Số 5 phố Nguyễn Trãi, phường Trung Sơn",
        "channel": "direct",
        "number_of_sets": "1",
        "result_delivery": "counter",
        "reason": "Thiếu giấy tờ" if action != "accept" else "",
    }
    if action == "online":  # a filing seen on the national portal, put into the online inbox
        data.update(channel="online", national_portal_code=f"G22.99-{uuid.uuid4().hex[:12]}")
    for paper in case.documents.all():
        data[f"doc_{paper.pk}"] = "on"
        data[f"doc_{paper.pk}_originals"] = str(paper.originals)
        data[f"doc_{paper.pk}_certified_copies"] = str(paper.certified_copies)
        data[f"doc_{paper.pk}_photocopies"] = str(paper.photocopies)
    return data


def kinds(case) -> dict[str, str]:
    fields = {
        "thu_tuc": "id",
        "truong_hop": "id",
        "token": "hidden",
        "action": "choice",
        "applicant_type": "choice",
        "applicant_name": "text",
        "organisation_name": "text",
        "applicant_id_number": "text",
        "applicant_phone": "text",
        "applicant_email": "text",
        "applicant_address": "text",
        "representative_name": "text",
        "representative_id_number": "text",
        "representative_phone": "text",
        "channel": "choice",
        "national_portal_code": "text",
        "submitted_at": "date",
        "summary": "text",
        "number_of_sets": "number",
        "result_delivery": "choice",
        "delivery_address": "text",
        "missing_other": "text",
        "reason": "text",
    }
    for paper in case.documents.all():
        fields[f"doc_{paper.pk}"] = "bool"
        for attr in ("originals", "certified_copies", "photocopies"):
            fields[f"doc_{paper.pk}_{attr}"] = "number"
    return fields


def _saved(response, before, after):
    """A valid intake saves the whole dossier with its receive event and papers, or one
    attempt (incomplete / refused) — never a part of it."""
    delta = {k: after[k] - before[k] for k in after}
    if "/tiep-nhan/xong/" in response.url:
        code = response.url.rstrip("/").rsplit("/", 1)[-1]
        dossier = Dossier.objects.get(code=code)
        assert dossier.events.filter(action="receive").count() == 1
        assert delta["motcua.Dossier"] == 1 and delta["motcua.DossierEvent"] == 1
        assert dossier.documents.count() == delta["motcua.DossierDocument"] > 0
        assert delta["motcua.IntakeAttempt"] == 0
    elif "/tiep-nhan/phieu/" in response.url:
        assert delta == {**{k: 0 for k in delta}, "motcua.IntakeAttempt": 1}
    elif "/truc-tuyen/" in response.url:
        assert delta == {**{k: 0 for k in delta}, "motcua.OnlineSubmission": 1}
    else:  # the search page (thu_tuc left out) or a one-case procedure: nothing saved
        assert all(v == 0 for v in delta.values()), delta


@pytest.mark.parametrize("action", ["accept", "incomplete", "refuse", "online"])
def test_intake_form_survives_hostile_values(intake_case, client, action):
    fields = kinds(intake_case)

    @examples(30)
    @given(change=mutation(fields))
    def run(change):
        data = {**baseline(intake_case, action), **change}
        data = {k: v for k, v in data.items() if v is not None}
        check_post(client, URL, data, kinds=fields, models=MODELS, on_success=_saved)

    run()


def test_intake_valid_submissions_save_everything(intake_case, client):
    """Valid values of every shape (Vietnamese NFD, emoji, long-but-allowed, HTML) save the
    dossier whole, and show the text back escaped."""

    @examples(25)
    @given(
        name=hostile_text.filter(lambda s: 0 < len(s.strip()) <= 255 and "\x00" not in s),
        address=hostile_text.filter(lambda s: len(s) <= 500 and "\x00" not in s),
    )
    def run(name, address):
        data = {**baseline(intake_case), "applicant_name": name, "applicant_address": address}
        response = check_post(client, URL, data, kinds=kinds(intake_case), models=MODELS, on_success=_saved)
        if response.status_code == 302 and "/xong/" in response.url:
            page = client.get(response.url)
            assert page.status_code == 200

    run()


@examples(40)
@given(query=hostile_value("text"), partial=st.sampled_from(["", "1"]), case=hostile_value("id"))
def test_intake_search_and_lookup_params(intake_case, client, query, partial, case):
    """GET ?q= (procedure search), ?thu_tuc= and ?truong_hop= never break the page."""
    for params in (
        {"q": query, "partial": partial},
        {"thu_tuc": query},
        {"thu_tuc": intake_case.procedure.code, "truong_hop": case},
    ):
        response = client.get(URL, params)
        assert response.status_code in (200, 302, 400, 404)


# --- issue 14 §5: names, phones and identity numbers ----------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("applicant_name", "\u200b\u200c\u200d"),  # zero-width only
        ("applicant_name", "\x01\x02\x1b"),  # control characters only
        ("applicant_name", "\u202e\u2066"),  # bidi overrides only
        ("applicant_name", "Nguyễn\u200bVăn An"),  # a hidden character inside a name
        ("applicant_name", "12345 !!!"),  # no letter
        ("applicant_phone", "abc"),
        ("applicant_phone", "0912"),
        ("applicant_phone", "01234567890"),  # the old 11-digit mobile numbers are gone
        ("applicant_phone", "+1 202 555 0100"),
        ("applicant_id_number", "12345678901"),  # 11 digits
        ("applicant_id_number", "123456789"),  # a 9-digit CMND, expired
        ("applicant_id_number", "00120300456a"),
        ("representative_id_number", "0123"),
        ("representative_phone", "'; DROP TABLE"),
    ],
)
def test_intake_refuses_hidden_names_and_malformed_numbers(intake_case, client, field, value):
    data = {**baseline(intake_case), field: value}
    if field.startswith("representative"):
        data["representative_name"] = "Trần Văn Bình"
    response = client.post(URL, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"applicant_phone": "0912 345 678", "applicant_id_number": "001203004567"},
        {"applicant_phone": "+84 912.345.678", "applicant_id_number": "001 203 004 567"},
        {"applicant_phone": "0237 3852 001"},  # a landline with its area code (11 digits)
        {
            "applicant_type": "organisation",
            "organisation_name": "Công ty TNHH Minh Sơn",
            "applicant_id_number": "0101234567-001",
        },
        {
            "applicant_type": "organisation",
            "organisation_name": "Hộ kinh doanh An",
            "applicant_id_number": "0101234567",
        },
        {"applicant_name": unicodedata.normalize("NFD", "Nguyễn Thị Hương")},
    ],
)
def test_intake_accepts_vietnamese_numbers_and_names(intake_case, client, values):
    response = client.post(URL, {**baseline(intake_case), **values})
    assert response.status_code == 302, response.context["form"].errors
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == unicodedata.normalize("NFC", dossier.applicant_name)
    assert " " not in dossier.applicant_id_number
