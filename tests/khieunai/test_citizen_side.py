"""Issue 13 §3 and §7 on the feedback side: personal-data consent (NĐ 13/2023/NĐ-CP Điều 11),
the confirmation (deadlines, print, e-mail), triage without a default, forwarding inside the
portal, the hotline caller's code and PIN, and a citizen-reception visit opening a case."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core import pins
from core.sms import LocmemSmsBackend
from khieunai import services
from khieunai.forms import TriageForm
from khieunai.models import CallOutcome, CitizenReception, Feedback, FeedbackStatus, TriageClass
from motcua.models import Notification
from tests.factories import demo_agency, leader_of
from tests.khieunai.factories import ANONYMOUS, feedback_form, log_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def land(province):
    return demo_agency("land")


def public_form(justice, **extra):
    """The public form left anonymous unless `extra` names the citizen: a street light."""
    return feedback_form(
        justice, title="Đèn đường hỏng", content="Ba cột đèn không sáng.", **{**ANONYMOUS, **extra}
    )


# --- personal data: notice and consent (NĐ 13/2023/NĐ-CP Điều 11) ----------------------------------


def test_the_form_shows_the_personal_data_notice(client, justice):
    html = client.get(reverse("khieunai:submit")).content.decode()
    assert "Thông báo về xử lý dữ liệu cá nhân" in html
    assert "Mục đích" in html and "Quyền của ông/bà" in html and "không ghi tên" in html


def test_personal_data_without_consent_is_refused_with_a_clear_message(client, justice, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    response = client.post(reverse("khieunai:submit"), public_form(justice, submitter_name="Lê Văn Tú"))
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "cần đánh dấu đồng ý xử lý dữ liệu cá nhân" in response.content.decode()
    # nothing typed is lost
    assert "Lê Văn Tú" in response.content.decode()


def test_anonymous_feedback_needs_no_consent(client, justice, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    response = client.post(reverse("khieunai:submit"), public_form(justice))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.submitter_name == "" and feedback.consent_at is None


def test_consent_is_recorded_with_its_moment(client, justice, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    before = timezone.now()
    client.post(
        reverse("khieunai:submit"),
        public_form(justice, submitter_name="Lê Văn Tú", submitter_phone="0912000111", consent="on"),
    )
    feedback = Feedback.objects.get()
    assert feedback.consent_at is not None and feedback.consent_at >= before


def test_a_complaint_always_needs_consent(client, justice, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    data = public_form(
        justice,
        kind="complaint",
        submitter_name="Lê Văn Tú",
        submitter_address="Thôn Đông",
        submitter_phone="0912000111",
    )
    assert client.post(reverse("khieunai:submit"), data).status_code == 200
    assert client.post(reverse("khieunai:submit"), {**data, "consent": "on"}).status_code == 302


# --- the confirmation ------------------------------------------------------------------------------


def test_confirmation_shows_deadlines_print_and_emails_the_pin(
    client, justice, settings, django_capture_on_commit_callbacks
):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    data = public_form(
        justice,
        submitter_name="Lê Văn Tú",
        submitter_email="tu.le@example.vn",
        consent="on",
        email_receipt="on",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("khieunai:submit"), data)
    page = client.get(reverse("khieunai:submitted")).content.decode()
    feedback = Feedback.objects.get()
    triage_day = timezone.localtime(feedback.triage_due_at).strftime("%d/%m/%Y")
    assert f"Chậm nhất ngày {triage_day}" in page
    assert "10 ngày làm việc kể từ khi đơn được thụ lý" in page
    assert "data-print" in page and "In giấy biên nhận" in page
    assert "tu***@example.vn" in page
    pin = page.split('data-testid="pin">')[1].split("<")[0]
    (message,) = mail.outbox
    assert message.to == ["tu.le@example.vn"] and feedback.code in message.body and pin in message.body
    assert pins.check_pin(feedback.code, pin, feedback.pin_hash)
    # stored without the PIN (issue 14 §3): the slot, and no sealed copy once it was sent
    stored = Notification.objects.get(kind="feedback_receipt")
    assert pin not in stored.body and pins.PIN_SLOT in stored.body and stored.sealed_pin == ""


def test_no_email_unless_asked(client, justice, settings):
    settings.KHIEUNAI_MIN_FILL_SECONDS = 0
    data = public_form(justice, submitter_name="Lê Văn Tú", submitter_email="tu.le@example.vn", consent="on")
    client.post(reverse("khieunai:submit"), data)
    assert mail.outbox == []
    assert "tu***@example.vn" not in client.get(reverse("khieunai:submitted")).content.decode()


# --- triage ----------------------------------------------------------------------------------------


def test_triage_form_has_no_preselected_class(submit):
    form = TriageForm(feedback=submit())
    assert form.fields["triage"].choices[0][0] == ""
    assert 'value="" selected' in str(form["triage"]) or "selected" not in str(form["triage"])
    bound = TriageForm({"note": "x"}, feedback=submit())
    assert not bound.is_valid() and "triage" in bound.errors


# --- forwarding inside the portal --------------------------------------------------------------------


def test_forwarding_enters_the_case_in_the_other_agencys_register(
    submit, users, land, client, django_capture_on_commit_callbacks
):
    land_leader = leader_of(land, "lanhdaodatdai")  # who answers in the land department
    original = submit(submitter_email="an@example.vn")
    services.feedback_triage(
        feedback=original,
        triage=TriageClass.OUTSIDE_COMPETENCE,
        forwarded_agency=land,
        actor=users["lanhdao"],
    )
    original.refresh_from_db()
    assert original.status == FeedbackStatus.FORWARDED and original.forwarded_agency == land
    forward = Feedback.objects.get(forwarded_from=original)
    assert forward.agency == land and forward.status == FeedbackStatus.RECEIVED and forward.triage_due_at
    assert forward.submitter_name == original.submitter_name and forward.code != original.code
    assert forward.code in original.events.get(action="forwarded").note

    # it is in the land department's list, with the original's history on its page
    client.force_login(land_leader)
    assert forward.code in client.get(reverse("khieunai:staff_list")).content.decode()
    page = client.get(reverse("khieunai:staff_detail", args=[forward.code])).content.decode()
    assert f"Lịch sử tại {original.agency.name}" in page and "Chuyển cơ quan có thẩm quyền" in page
    # ... and the original stays the justice department's: another agency's case is a 404
    assert client.get(reverse("khieunai:staff_detail", args=[original.code])).status_code == 404

    # the answer comes back to the original record, which the citizen tracks
    services.feedback_triage(feedback=forward, triage=TriageClass.WITHIN_COMPETENCE, actor=land_leader)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_answer(
            feedback=forward, answer="Mời ông mang sổ đỏ đến quầy số 5.", actor=land_leader
        )
    original.refresh_from_db()
    assert original.status == FeedbackStatus.ANSWERED and "quầy số 5" in original.answer
    assert original.events.filter(action="forward_answered").exists()
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]  # once, about the original
    assert original.code in mail.outbox[0].subject


def test_forwarding_needs_a_body_and_not_oneself(submit, users, justice):
    from django.core.exceptions import ValidationError

    feedback = submit()
    with pytest.raises(ValidationError, match="Chọn cơ quan được chuyển đến"):
        services.feedback_triage(
            feedback=feedback, triage=TriageClass.OUTSIDE_COMPETENCE, actor=users["lanhdao"]
        )
    with pytest.raises(ValidationError, match="chính cơ quan"):
        services.feedback_triage(
            feedback=feedback,
            triage=TriageClass.OUTSIDE_COMPETENCE,
            forwarded_agency=justice,
            actor=users["lanhdao"],
        )
    # a body outside the portal is still named in words
    services.feedback_triage(
        feedback=feedback,
        triage=TriageClass.OUTSIDE_COMPETENCE,
        forwarded_to="Tòa án nhân dân khu vực 1",
        actor=users["lanhdao"],
    )
    assert not Feedback.objects.filter(forwarded_from=feedback).exists()


def test_forwarding_from_the_detail_page(submit, login, land, client):
    feedback = submit()
    login("lanhdao")
    page = client.get(reverse("khieunai:staff_detail", args=[feedback.code])).content.decode()
    assert "Chuyển đến cơ quan" in page and land.name in page
    response = client.post(
        reverse("khieunai:staff_action", args=[feedback.code, "phan-loai"]),
        {"triage-triage": TriageClass.OUTSIDE_COMPETENCE, "triage-forwarded_agency": land.pk},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(forwarded_from=feedback).agency == land
    # without a choice of class nothing happens (no default class)
    other = submit()
    response = client.post(
        reverse("khieunai:staff_action", args=[other.code, "phan-loai"]), {"triage-note": "x"}
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.status == FeedbackStatus.RECEIVED


# --- the hotline caller's code and PIN ----------------------------------------------------------------


def test_hotline_feedback_gives_the_caller_code_and_pin_by_sms(
    client, login, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "core.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    officer = login("tiepnhan")
    started = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("khieunai:hotline"),
            {
                "started_at": started.strftime("%Y-%m-%dT%H:%M"),
                "caller_phone": "0912 000 111",
                "caller_name": "Trần Thị Lan",
                "topic": "Chậm trả kết quả",
                "summary": "Hồ sơ khai sinh quá hẹn hai ngày.",
                "duration": "3:10",
                "outcome": CallOutcome.FEEDBACK,
            },
            follow=True,
        )
    feedback = Feedback.objects.get(channel="hotline")
    message = " ".join(str(m) for m in response.context["messages"])
    assert f"mã đơn {feedback.code}, mã tra cứu" in message and "0912 000 111" in message
    pin = message.split("mã tra cứu ")[1].split(" ")[0]
    assert pins.check_pin(feedback.code, pin, feedback.pin_hash)
    (sms,) = LocmemSmsBackend.outbox
    assert sms.to == "0912 000 111" and feedback.code in sms.body and pin in sms.body and len(sms.body) <= 160
    assert all(pin not in n.body for n in Notification.objects.filter(kind="feedback_receipt"))
    assert feedback.created_by == officer

    # the caller tracks it with that code and PIN
    client.logout()
    page = client.post(reverse("khieunai:track"), {"code": feedback.code, "pin": pin}).content.decode()
    assert "Chậm trả kết quả" in page


def test_second_conversion_gives_no_new_pin(login, client):
    officer = login("chuyenvien")
    call = log_call(
        officer, started_at=timezone.now() - dt.timedelta(minutes=3), outcome=CallOutcome.ANSWERED
    )
    first = client.post(reverse("khieunai:hotline_to_feedback", args=[call.pk]), follow=True)
    assert "mã tra cứu" in " ".join(str(m) for m in first.context["messages"])
    again = client.post(reverse("khieunai:hotline_to_feedback", args=[call.pk]), follow=True)
    text = " ".join(str(m) for m in again.context["messages"])
    assert "trước đó" in text and Feedback.objects.count() == 1


# --- a citizen-reception visit opens the case in one step -----------------------------------------------


def visit(**fields) -> dict:
    """The citizen-reception form: Ngô Văn Tâm came alone today; `fields` add or change."""
    base = {"received_on": timezone.localdate().isoformat(), "citizen_name": "Ngô Văn Tâm"}
    return {**base, "address": "Xóm 2", "people_count": "1", **fields}


def test_reception_visit_opens_a_complaint(client, login):
    login("tiepnhan")
    response = client.post(
        reverse("khieunai:reception_create"),
        visit(
            citizen_id_number="038095012345",
            address="Xóm 2, xã Tân Phú",
            content="Không đồng ý quyết định thu hồi đất.",
            request="Đề nghị xem xét lại.",
            outcome="Nhận đơn khiếu nại.",
            open_kind="complaint",
            title="Khiếu nại quyết định thu hồi đất",
            phone="0905111222",
        ),
        follow=True,
    )
    entry = CitizenReception.objects.get()
    feedback = entry.feedback
    assert feedback is not None and feedback.kind == "complaint" and feedback.channel == "counter"
    assert feedback.submitter_name == "Ngô Văn Tâm" and feedback.submitter_phone == "0905111222"
    assert "Đề nghị xem xét lại." in feedback.content
    message = " ".join(str(m) for m in response.context["messages"])
    assert feedback.code in message and "Mã tra cứu của công dân" in message
    assert response.request["PATH_INFO"] == reverse("khieunai:staff_detail", args=[feedback.code])


def test_reception_visit_without_a_case_stays_a_register_entry(client, login):
    login("tiepnhan")
    client.post(
        reverse("khieunai:reception_create"),
        visit(content="Hỏi về chính sách", outcome="Đã giải thích"),
    )
    assert CitizenReception.objects.get().feedback is None and not Feedback.objects.exists()


def test_reception_visit_case_needs_a_title(client, login):
    login("tiepnhan")
    response = client.post(
        reverse("khieunai:reception_create"),
        visit(content="Phản ánh", outcome="Nhận đơn", open_kind="feedback"),
    )
    assert response.status_code == 200 and "Nhập tiêu đề đơn để vào sổ." in response.content.decode()
    assert not CitizenReception.objects.exists()
