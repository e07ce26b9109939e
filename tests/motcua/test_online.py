"""The online inbox (NĐ 118/2025/NĐ-CP Điều 17 khoản 2, 3): a filing made on the national
portal is recorded by any source, the reception staff are told at once (within 02 hours),
an officer accepts it, asks for a supplement or refuses it within 08 working hours, and the
processing clock starts at acceptance. National statuses 1 (waiting) and 3 (not accepted)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.workflow import TransitionError
from motcua.alerts import kinds
from motcua.alerts.online import scan_online_inbox
from motcua.models import (
    Channel,
    Dossier,
    IntakeOutcome,
    Notification,
    NotificationChannel,
    OnlineDecision,
    OnlineSource,
    OnlineSubmission,
    Status,
)
from motcua.services import online
from motcua.services.intake import Applicant, ReceivedDocument
from tests.factories import demo_agency
from thutuc import deadlines as rules
from thutuc.calendar_store import get_calendar
from thutuc.models import User

from .factories import CaseFactory, local, reception_officer
from .pdftext import pdf_text


@pytest.fixture
def centre(province):
    return demo_agency("centre")


@pytest.fixture
def reception(centre):
    return User.objects.get(username="tiepnhan")


@pytest.fixture
def online_case(centre):
    case = CaseFactory()
    case.procedure.receiving_agencies.add(centre)
    return case


@pytest.fixture
def record(centre, online_case):
    """Record a filing as the national portal would hand it over; keywords override."""

    def _record(**kwargs):
        params = {
            "agency": centre,
            "procedure": online_case.procedure,
            "case": online_case,
            "applicant": Applicant(name="Trần Thị Bình", phone="0912345678", email="binh@example.vn"),
            "documents": [
                ReceivedDocument(name=d.name, originals=d.originals, procedure_document_id=d.pk)
                for d in online_case.documents.all()
            ],
            "national_portal_code": "G22.99-261201-0001",
            "source": OnlineSource.PORTAL,
            **kwargs,
        }
        return online.online_submission_record(**params)

    return _record


# --- the rules, pure --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_decision_due_counts_08_working_hours_over_the_weekend_and_alert_due_02_hours():
    """Điều 17 khoản 2: the alert within 02 hours of the portal's acknowledgement (clock hours,
    as the decree writes); the decision within 08 working hours of the system's receipt."""
    calendar = get_calendar()
    friday_3pm = local(2026, 3, 6, 15, 0)
    assert rules.online_decision_due_at(calendar, friday_3pm) == local(2026, 3, 9, 15, 0)
    assert rules.online_alert_due_at(friday_3pm) == local(2026, 3, 6, 17, 0)
    saturday_night = local(2026, 3, 7, 22, 0)
    assert rules.online_decision_due_at(calendar, saturday_night) == local(2026, 3, 9, 17, 0)


# --- recording ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_recorded_filing_waits_with_national_status_1_and_the_reception_staff_are_told_at_once(
    record, reception
):
    """Điều 17 khoản 2: the system tells the counter's reception staff within 02 hours."""
    other_counter = reception_officer()
    submitted = local(2026, 12, 1, 9, 30)
    submission = record(submitted_at=submitted, arrived_at=submitted + dt.timedelta(minutes=3))
    assert submission.status == Status.SUBMITTED_ONLINE and submission.national_status_code == 1
    assert submission.decision_due_at == rules.online_decision_due_at(get_calendar(), submission.arrived_at)
    alerts = Notification.objects.filter(kind=kinds.ONLINE_SUBMITTED, channel=NotificationChannel.IN_APP)
    assert list(alerts.values_list("recipient", flat=True)) == [reception.pk]
    assert not alerts.filter(recipient=other_counter).exists()
    submission.refresh_from_db()
    assert (
        submission.alerted_at is not None
        and submission.alerted_at <= submission.alert_due_at
        or (
            submission.submitted_at < submission.alerted_at  # recorded late by its source: alerted at once
        )
    )
    assert alerts.get().reference == f"online:{submission.pk}"


@pytest.mark.django_db
def test_the_same_filing_cannot_wait_twice_but_a_corrected_one_comes_back(record, reception):
    first = record()
    with pytest.raises(ValidationError, match="đã có trong danh sách hồ sơ trực tuyến"):
        record()
    online.online_submission_refuse(submission=first, actor=reception, reason="Sai thẩm quyền")
    again = record()
    assert again.pk != first.pk and again.is_waiting


@pytest.mark.django_db
def test_a_filing_needs_its_national_code_and_a_past_submission_time(record):
    with pytest.raises(ValidationError, match="mã hồ sơ trên Cổng DVC quốc gia"):
        record(national_portal_code="  ")
    with pytest.raises(ValidationError, match="không thể ở tương lai"):
        record(submitted_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2))


# --- decisions ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_acceptance_receives_a_dossier_whose_clock_starts_at_acceptance(record, reception, online_case):
    """Điều 17 khoản 3: the processing time counts from the acceptance, not from the filing."""
    submitted = local(2026, 11, 30, 16, 30)  # Monday afternoon
    submission = record(submitted_at=submitted, arrived_at=submitted)
    accepted = local(2026, 12, 1, 10, 0)  # Tuesday morning: within 08 working hours
    dossier, pin = online.online_submission_accept(submission=submission, actor=reception, at=accepted)
    assert pin and dossier.received_at == accepted
    assert dossier.due_at == rules.case_due_at(get_calendar(reception.agency), online_case, accepted)
    assert dossier.due_at != rules.case_due_at(get_calendar(reception.agency), online_case, submitted)
    assert (
        dossier.channel == Channel.ONLINE and dossier.national_portal_code == submission.national_portal_code
    )
    submission.refresh_from_db()
    assert submission.status == Status.RECEIVED and submission.national_status_code == 2
    assert submission.decision == OnlineDecision.ACCEPTED and submission.dossier_id == dossier.pk
    assert not submission.decided_late


@pytest.mark.django_db
def test_acceptance_after_the_08_working_hours_is_allowed_and_recorded_late(record, reception):
    submitted = local(2026, 11, 30, 8, 0)
    submission = record(submitted_at=submitted, arrived_at=submitted)
    online.online_submission_accept(submission=submission, actor=reception, at=local(2026, 12, 1, 8, 30))
    submission.refresh_from_db()
    assert submission.decided_late


@pytest.mark.django_db
def test_a_supplement_request_lists_everything_at_once_gives_status_3_and_tells_the_applicant(
    record, reception, online_case, client
):
    """Điều 17 khoản 2 điểm a and c: one complete list (form 02), the applicant told."""
    submission = record()
    paper = online_case.documents.first()
    attempt = online.online_submission_request_supplement(
        submission=submission,
        actor=reception,
        missing_documents=[ReceivedDocument(name=paper.name, originals=1), ReceivedDocument(name="Ảnh 4x6")],
        reason="Tờ khai chưa ký",
    )
    submission.refresh_from_db()
    assert submission.status == Status.NOT_ACCEPTED and submission.national_status_code == 3
    assert submission.decision == OnlineDecision.SUPPLEMENT and submission.attempt_id == attempt.pk
    assert attempt.outcome == IntakeOutcome.INCOMPLETE and attempt.channel == Channel.ONLINE
    told = Notification.objects.filter(reference=f"online:{submission.pk}", kind="online_not_accepted")
    assert set(told.values_list("channel", "address")) == {
        (NotificationChannel.EMAIL, "binh@example.vn"),
        (NotificationChannel.SMS, "0912345678"),
    }
    assert "Ảnh 4x6" in told.get(channel=NotificationChannel.EMAIL).body
    assert not Dossier.objects.exists()
    client.force_login(reception)
    text = pdf_text(client.get(reverse("motcua:intake_attempt_pdf", args=[attempt.number])).content)
    assert "Ảnh 4x6" in text and "Mẫu số 02" in text


@pytest.mark.django_db
def test_a_refusal_needs_a_reason_and_gives_status_3(record, reception):
    submission = record()
    with pytest.raises(TransitionError, match="lý do"):
        online.online_submission_refuse(submission=submission, actor=reception, reason=" ")
    submission.refresh_from_db()
    assert submission.is_waiting  # nothing half-done
    attempt = online.online_submission_refuse(
        submission=submission, actor=reception, reason="Không thuộc thẩm quyền của tỉnh"
    )
    submission.refresh_from_db()
    assert attempt.outcome == IntakeOutcome.REFUSED and submission.national_status_code == 3


@pytest.mark.django_db
def test_a_decided_filing_cannot_be_decided_again_and_others_cannot_decide(record, reception):
    submission = record()
    outsider = reception_officer()
    with pytest.raises(TransitionError) as refused:
        online.online_submission_accept(submission=submission, actor=outsider)
    assert refused.value.forbidden
    online.online_submission_accept(submission=submission, actor=reception)
    with pytest.raises(TransitionError, match="đã được kiểm tra"):
        online.online_submission_refuse(submission=submission, actor=reception, reason="Trùng")
    assert Dossier.objects.count() == 1


# --- alerts ---------------------------------------------------------------------------------------------


def _unread(kind):
    return Notification.objects.filter(kind=kind, channel=NotificationChannel.IN_APP, read_at__isnull=True)


@pytest.mark.django_db
def test_the_scan_alerts_unalerted_filings_then_due_soon_then_overdue_once_and_resolves(record, reception):
    submitted = local(2026, 12, 1, 8, 0)
    submission = record(submitted_at=submitted, arrived_at=submitted)
    # a source that loaded filings without alerting: the scan alerts them (the 02-hour rule)
    OnlineSubmission.objects.filter(pk=submission.pk).update(alerted_at=None)
    Notification.objects.all().delete()
    assert scan_online_inbox(now=local(2026, 12, 1, 8, 10)) >= 1
    assert _unread(kinds.ONLINE_SUBMITTED).filter(recipient=reception).count() == 1
    # due at 17:00 the same day: due soon in its last 2 working hours, overdue after
    assert not _unread(kinds.ONLINE_DUE_SOON).exists()
    assert scan_online_inbox(now=local(2026, 12, 1, 15, 0)) == 2  # the officer and the leader
    assert _unread(kinds.ONLINE_DUE_SOON).filter(recipient=reception).count() == 1
    assert scan_online_inbox(now=local(2026, 12, 1, 15, 15)) == 0  # rerun: nothing twice
    scan_online_inbox(now=local(2026, 12, 1, 17, 30))
    assert _unread(kinds.ONLINE_OVERDUE).filter(recipient=reception).count() == 1
    assert not _unread(kinds.ONLINE_DUE_SOON).exists()  # replaced by the overdue one
    online.online_submission_accept(submission=submission, actor=reception, at=local(2026, 12, 1, 17, 40))
    assert not Notification.objects.filter(
        kind__in=kinds.ONLINE_KINDS, channel=NotificationChannel.IN_APP, read_at__isnull=True
    ).exists()


# --- pages ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_inbox_lists_waiting_filings_by_deadline_in_constant_queries(
    record, reception, client, django_assert_max_num_queries
):
    client.force_login(reception)
    for number in range(3):
        record(national_portal_code=f"G22.99-261201-000{number}")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("motcua:online_inbox"))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("G22.99-261201-000") == 3
    for number in range(3, 13):
        record(national_portal_code=f"G22.99-261201-00{number}")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("motcua:online_inbox")).status_code == 200


@pytest.mark.django_db
def test_pages_answer_404_to_another_counter_and_403_to_other_roles(record, client):
    submission = record()
    client.force_login(reception_officer())
    assert client.get(reverse("motcua:online_detail", args=[submission.pk])).status_code == 404
    assert client.post(reverse("motcua:online_accept", args=[submission.pk])).status_code == 404
    client.force_login(User.objects.get(username="chuyenvien"))
    assert client.get(reverse("motcua:online_detail", args=[submission.pk])).status_code == 404
    assert (
        client.post(reverse("motcua:online_refuse", args=[submission.pk]), {"tc-reason": "x"}).status_code
        == 403
    )
    submission.refresh_from_db()
    assert submission.is_waiting


@pytest.mark.django_db
def test_accepting_from_the_page_opens_the_receipt_page(record, reception, client):
    submission = record()
    client.force_login(reception)
    detail = client.get(reverse("motcua:online_detail", args=[submission.pk]))
    assert "08 giờ làm việc" in detail.content.decode()
    response = client.post(reverse("motcua:online_accept", args=[submission.pk]))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "motcua:intake_done", args=[dossier.code]
    )
    again = client.post(reverse("motcua:online_accept", args=[submission.pk]))
    assert again.status_code == 409 and "đã được kiểm tra" in again.content.decode()


@pytest.mark.django_db
def test_a_supplement_request_from_the_page_needs_an_item(record, reception, client, online_case):
    submission = record()
    client.force_login(reception)
    url = reverse("motcua:online_supplement", args=[submission.pk])
    empty = client.post(url, {"bs-reason": "Thiếu"})
    assert empty.status_code == 400 and "Đánh dấu giấy tờ cần bổ sung" in empty.content.decode()
    paper = online_case.documents.first()
    done = client.post(url, {f"bs-missing_{paper.pk}": "on", "bs-missing_other": "Ảnh 4x6"})
    submission.refresh_from_db()
    assert done.status_code == 302 and submission.attempt is not None
    assert [d["name"] for d in submission.attempt.missing_documents] == [paper.name, "Ảnh 4x6"]


@pytest.mark.django_db
def test_the_counter_puts_a_portal_filing_into_the_inbox_from_the_intake_form(reception, client, online_case):
    """The counter's "nhận hồ sơ trực tuyến": a filing seen on the national portal."""
    client.force_login(reception)
    papers = list(online_case.documents.all())
    data = {
        "thu_tuc": online_case.procedure.code,
        "truong_hop": online_case.pk,
        "action": "online",
        "applicant_type": "person",
        "applicant_name": "Lê Văn Cường",
        "channel": Channel.ONLINE,
        "national_portal_code": "G22.99-261202-0042",
        "submitted_at": "2026-12-01T20:15",
        "number_of_sets": 1,
        "result_delivery": "online",
        **{f"doc_{p.pk}": "on" for p in papers},
    }
    response = client.post(reverse("motcua:intake"), data)
    submission = OnlineSubmission.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "motcua:online_detail", args=[submission.pk]
    )
    assert submission.source == OnlineSource.COUNTER and submission.recorded_by == reception
    assert submission.submitted_at == local(2026, 12, 1, 20, 15)
    assert len(submission.documents) == len(papers)
    assert not Dossier.objects.exists()
    wrong_channel = client.post(reverse("motcua:intake"), {**data, "channel": Channel.DIRECT})
    assert wrong_channel.status_code == 200 and "Chọn kênh" in wrong_channel.content.decode()


@pytest.mark.django_db
def test_an_electronic_result_is_returned_on_the_national_portal_without_a_collector(world):
    """NĐ 118/2025/NĐ-CP Điều 22 khoản 3: the electronic result goes to the national portal."""
    from motcua.forms_processing import ReturnResultForm
    from motcua.models import ResultDelivery
    from motcua.services import transitions as t

    dossier = world.dossier(processing=True, result_delivery=ResultDelivery.ONLINE)
    dossier = t.dossier_approve(dossier=dossier, actor=world.leader)
    form = ReturnResultForm(dossier=dossier, prefix="return_result")
    assert "collected_by_name" not in form.fields and "postal_tracking_number" not in form.fields
    dossier = t.dossier_return_result(dossier=dossier, actor=world.reception)
    assert dossier.status == Status.RETURNED
    assert "Cổng Dịch vụ công quốc gia" in dossier.events.latest("at", "pk").note
