"""Public pages: submit with attachments and spam checks, code + PIN once, tracking with a
neutral error and rate limits, attachment access, published answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khieunai import antispam, services
from khieunai.models import Feedback, FeedbackAttachment, TriageClass

from .factories import make_docx, make_pdf, make_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_min_fill_time(settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0


def form_data(justice, **extra):
    data = {
        "kind": "feedback",
        "agency": justice.pk,
        "title": "Niêm yết thủ tục chưa đầy đủ",
        "content": "Bảng niêm yết tại bộ phận một cửa thiếu mức lệ phí.",
        "submitter_name": "Phạm Văn Bình",
        "submitter_phone": "0905111222",
        "submitter_address": "Thôn Đông, xã Tân Phú",
        "consent": "on",
        "form_token": antispam.form_token(),
        "website": "",
    }
    data.update(extra)
    return data


def test_submit_shows_code_and_pin_once(client, justice):
    response = client.post(reverse("khieunai:submit"), form_data(justice))
    assert response.status_code == 302 and response["Location"] == reverse("khieunai:submitted")
    page = client.get(reverse("khieunai:submitted")).content.decode()
    feedback = Feedback.objects.get()
    assert feedback.code in page and feedback.channel == "online" and feedback.created_by is None
    pin = page.split('data-testid="pin">')[1].split("<")[0]
    from core import pins

    assert pins.check_pin(feedback.code, pin, feedback.pin_hash)
    again = client.get(reverse("khieunai:submitted"))
    assert again.status_code == 302  # never shown twice


def test_complaint_requires_identity_and_rerenders(client, justice):
    response = client.post(
        reverse("khieunai:submit"),
        form_data(justice, kind="complaint", submitter_name="", submitter_address=""),
    )
    assert response.status_code == 200
    assert Feedback.objects.count() == 0
    assert "Bắt buộc đối với người khiếu nại." in response.content.decode()
    assert "Niêm yết thủ tục chưa đầy đủ" in response.content.decode()  # user's data kept


def test_honeypot_is_refused(client, justice):
    response = client.post(reverse("khieunai:submit"), form_data(justice, website="http://spam.example"))
    assert response.status_code == 200 and Feedback.objects.count() == 0


def test_too_fast_is_refused_then_accepted_with_new_token(client, justice, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 3600
    response = client.post(reverse("khieunai:submit"), form_data(justice))
    assert "quá nhanh" in response.content.decode() and Feedback.objects.count() == 0
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    token = response.context["form"].data["form_token"]
    assert client.post(reverse("khieunai:submit"), form_data(justice, form_token=token)).status_code == 302


def test_forged_token_is_refused(client, justice):
    client.post(reverse("khieunai:submit"), form_data(justice, form_token="x:y:z"))
    assert Feedback.objects.count() == 0


def test_submit_rate_limit_per_ip(client, justice, settings):
    settings.RATE_LIMITS = {"feedback_submit": (2, 3600)}
    for _ in range(2):
        assert client.post(reverse("khieunai:submit"), form_data(justice)).status_code == 302
    blocked = client.post(reverse("khieunai:submit"), form_data(justice))
    assert blocked.status_code == 429 and Feedback.objects.count() == 2
    other_ip = client.post(reverse("khieunai:submit"), form_data(justice), REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 302


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(
        name, content if isinstance(content, bytes) else content.getvalue(), content_type
    )


def test_valid_attachments_stored_under_unguessable_path(client, justice):
    files = [
        upload("don.pdf", make_pdf()),
        upload("anh.png", make_png()),
        upload("to-trinh.docx", make_docx()),
    ]
    response = client.post(reverse("khieunai:submit"), {**form_data(justice), "attachments": files})
    assert response.status_code == 302
    stored = list(FeedbackAttachment.objects.order_by("pk"))
    assert [a.content_type.split("/")[-1][:5] for a in stored] == ["pdf", "png", "vnd.o"]
    for attachment in stored:
        assert (
            attachment.file.name.startswith("khieunai/")
            and attachment.original_name not in attachment.file.name
        )
        assert len(attachment.file.name.split("/")[1]) == 32


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (lambda: [upload("a.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024))], "lớn hơn 5 MB"),
        (lambda: [upload(f"a{i}.pdf", make_pdf()) for i in range(4)], "tối đa 3 tệp"),
        (lambda: [upload("virus.pdf", b"MZ\x90\x00 not a pdf")], "không đúng định dạng"),
        (lambda: [upload("anh.jpg", make_png())], "không đúng định dạng"),  # PNG named .jpg
        (lambda: [upload("bang.xlsx", make_docx())], "không đúng định dạng"),
        (lambda: [upload("gia.docx", b"PK\x03\x04broken zip")], "không đúng định dạng"),
    ],
)
def test_bad_attachments_are_refused(client, justice, files, message):
    response = client.post(reverse("khieunai:submit"), {**form_data(justice), "attachments": files()})
    assert response.status_code == 200 and message in response.content.decode()
    assert Feedback.objects.count() == 0 and FeedbackAttachment.objects.count() == 0


@pytest.fixture
def tracked(submit, users):
    feedback = submit(publish_answer=True, attachments=[(upload("don.pdf", make_pdf()), "application/pdf")])
    services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"])
    services.feedback_answer(feedback=feedback, answer="Đã bổ sung mức lệ phí.", actor=users["lanhdao"])
    return feedback


def test_track_with_code_and_pin_shows_answer(client, tracked):
    response = client.post(
        reverse("khieunai:track"), {"code": tracked.code.lower(), "pin": tracked.pin.lower()}
    )
    page = response.content.decode()
    assert "Đã bổ sung mức lệ phí." in page and "Đã trả lời" in page
    assert tracked.submitter_name not in page  # the status page shows no personal data


def test_track_neutral_error(client, tracked):
    wrong_pin = client.post(
        reverse("khieunai:track"), {"code": tracked.code, "pin": "ZZZZZZ"}
    ).content.decode()
    no_code = client.post(
        reverse("khieunai:track"), {"code": "PA-2026-999999", "pin": "ZZZZZZ"}
    ).content.decode()
    message = "Mã đơn hoặc mã tra cứu không đúng."
    assert message in wrong_pin and message in no_code
    assert "Đã bổ sung" not in wrong_pin


def test_track_rate_limited_per_ip_and_per_code(client, tracked, settings):
    settings.RATE_LIMITS = {"feedback_track_address": (3, 900), "feedback_track_code": (5, 3600)}
    for _ in range(3):
        client.post(reverse("khieunai:track"), {"code": tracked.code, "pin": "ZZZZZZ"})
    blocked = client.post(reverse("khieunai:track"), {"code": tracked.code, "pin": tracked.pin})
    assert blocked.status_code == 429 and "Đã bổ sung" not in blocked.content.decode()
    # Past the per-code limit the code is protected, never blocked (issue 14 §6): the right
    # PIN alone opens nothing, the PIN with the last digits of the phone does.
    for _ in range(2):
        client.post(
            reverse("khieunai:track"), {"code": tracked.code, "pin": "ZZZZZZ"}, REMOTE_ADDR="10.1.1.1"
        )
    other = client.post(
        reverse("khieunai:track"), {"code": tracked.code, "pin": tracked.pin}, REMOTE_ADDR="10.2.2.2"
    )
    assert other.status_code == 200 and "Đã bổ sung" not in other.content.decode()
    assert "4 chữ số cuối" in other.content.decode()
    owner = client.post(
        reverse("khieunai:track"),
        {"code": tracked.code, "pin": tracked.pin, "xac_minh": tracked.submitter_phone[-4:]},
        REMOTE_ADDR="10.2.2.2",
    )
    assert owner.status_code == 200 and "Đã bổ sung" in owner.content.decode()


def test_attachment_only_after_code_and_pin(client, tracked, settings):
    attachment = tracked.attachments.get()
    url = reverse("khieunai:attachment", args=[attachment.pk])
    assert client.get(url).status_code == 404
    assert (
        settings.MEDIA_URL
        not in client.post(reverse("khieunai:track"), {"code": tracked.code, "pin": "X"}).content.decode()
    )
    client.post(reverse("khieunai:track"), {"code": tracked.code, "pin": tracked.pin})
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_staff_attachment_access_is_scoped(client, tracked, login, outsider):
    attachment = tracked.attachments.get()
    url = reverse("khieunai:attachment", args=[attachment.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    login("chuyenvien")  # the unit's specialist does not see the department's case
    assert client.get(url).status_code == 404
    login("lanhdao")
    assert client.get(url).status_code == 200


def test_published_answers_without_personal_data(client, tracked, users, submit):
    services.feedback_publish(
        feedback=tracked, public_title="Niêm yết lệ phí chứng thực", actor=users["lanhdao"]
    )
    not_agreed = submit(title="Không công khai")
    services.feedback_triage(
        feedback=not_agreed, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"]
    )
    services.feedback_answer(feedback=not_agreed, answer="Bí mật", actor=users["lanhdao"])
    page = client.get(reverse("khieunai:published")).content.decode()
    assert "Niêm yết lệ phí chứng thực" in page and "Đã bổ sung mức lệ phí." in page
    for personal in (
        tracked.submitter_name,
        tracked.submitter_phone,
        tracked.submitter_address,
        tracked.title,
    ):
        assert personal not in page
    assert "Bí mật" not in page


def test_home_card_links_to_the_form(client, province):
    page = client.get("/").content.decode()
    assert f'href="{reverse("khieunai:submit")}"' in page


def test_staff_login_does_not_inherit_a_citizens_unlocked_case(client, tracked):
    """Django keeps the anonymous session's data at login: an officer logging in on the
    browser where a citizen unlocked a case must not reach its files through that unlock."""
    from thutuc.demo import DEMO_PASSWORD

    url = reverse("khieunai:attachment", args=[tracked.attachments.get().pk])
    client.post(reverse("khieunai:track"), {"code": tracked.code, "pin": tracked.pin})
    assert client.get(url).status_code == 200  # the citizen
    response = client.post("/dang-nhap/", {"username": "chuyenvien", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(url).status_code == 404  # the unit's specialist does not see the case


def test_one_anti_spam_token_sends_one_feedback(client, justice):
    """Issue 14 §6: one form token was replayed for 5 submissions. Now the second use of a
    token records nothing: from the same browser (a double click) it shows the first
    submission's page, from anywhere else it is refused."""
    data = form_data(justice)
    first = client.post(reverse("khieunai:submit"), data)
    assert first.status_code == 302
    again = client.post(reverse("khieunai:submit"), data)  # the same browser, the same token
    assert again.status_code == 302 and again["Location"] == reverse("khieunai:submitted")
    from django.test import Client

    for n in range(4):  # a script replaying the token
        replay = Client().post(reverse("khieunai:submit"), data, REMOTE_ADDR=f"10.3.3.{n}")
        assert replay.status_code == 409 and "Đơn này đã được gửi" in replay.content.decode()
    assert Feedback.objects.count() == 1
    # a new form (a new token) is a new submission
    assert client.post(reverse("khieunai:submit"), form_data(justice)).status_code == 302
    assert Feedback.objects.count() == 2
