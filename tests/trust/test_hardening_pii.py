"""No personal data on public pages or in response headers: a dossier and a feedback carry a
distinctive name, phone, CCCD, address and e-mail; every public page is fetched (also the
ones that show the record: tracking result, rating, feedback status, attachment)."""

import pytest

from motcua.tracking.masking import mask_name

from .hardening import FEEDBACK_PERSONAL_DATA, NAME, PERSONAL_DATA, public_responses


def _everything(response) -> str:
    headers = "\n".join(f"{k}: {v}" for k, v in response.items())
    cookies = "\n".join(str(c) for c in response.cookies.values())
    streaming = getattr(response, "streaming", False)
    body = b"".join(response.streaming_content) if streaming else response.content
    return headers + "\n" + cookies + "\n" + body.decode("utf-8", errors="replace")


def _assert_clean(label, text):
    for value in PERSONAL_DATA + FEEDBACK_PERSONAL_DATA:
        assert value.lower() not in text.lower(), f"{label} shows {value!r}"


def test_every_public_page_is_free_of_personal_data(client, pii):
    responses = public_responses(client, pii)
    pages = dict(responses)
    # the pages that show the records really showed them (the check is not vacuous)
    assert pii.dossier.code in pages["tracking result"].content.decode()
    assert mask_name(NAME) in pages["tracking result"].content.decode()
    assert "Đã bổ sung mức lệ phí" in pages["feedback status"].content.decode()
    assert "Niêm yết mức lệ phí" in pages["feedback published"].content.decode()
    assert pages["attachment"].status_code == 200
    for label, response in responses:
        _assert_clean(label, _everything(response))


def test_the_attachment_header_names_the_file_not_the_person(client, pii):
    client.post("/phan-anh/tra-cuu/", {"code": pii.feedback.code, "pin": pii.feedback_pin})
    response = client.get(f"/phan-anh/tep/{pii.attachment.pk}/")
    assert response.status_code == 200
    assert "don-thu.pdf" in response["Content-Disposition"]
    _assert_clean("attachment", _everything(response))


@pytest.mark.parametrize("query", ["Hoàng Thị", "0987654321", "079301987654", "Lê Thánh Tông"])
def test_public_searches_do_not_reveal_a_person(client, pii, query):
    for url in ("/thu-tuc/", "/phan-anh/cong-khai/"):
        # the search box echoes what the visitor typed; nothing else may match
        _assert_clean(url, _everything(client.get(url, {"q": query})).replace(query, ""))


def test_masked_name_hides_every_given_name(pii):
    masked = mask_name(NAME)
    assert masked != NAME
    for part in NAME.split()[1:]:
        assert part not in masked.split()
