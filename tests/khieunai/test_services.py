"""Services: codes and PINs, triage classes, complaint timing, assignment, answer, close,
publish, history, links, hotline and the citizen-reception register."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core import pins
from core.workflow import TransitionError
from khieunai import deadlines, services
from khieunai.models import CallOutcome, FeedbackEvent, FeedbackStatus, RegisterCounter, TriageClass
from tests.khieunai.factories import log_call
from tests.timeutil import local

pytestmark = pytest.mark.django_db


def test_submit_issues_code_pin_and_triage_clock(submit, justice):
    feedback = submit(received_at=local(2026, 2, 12, 14))
    assert feedback.code == "PA-2026-000001"
    assert pins.check_pin(feedback.code, feedback.pin, feedback.pin_hash)
    assert feedback.pin not in feedback.pin_hash
    assert feedback.triage_due_at == local(2026, 2, 26, 14) == feedback.next_due_at
    assert feedback.triage_rule == "feedback_triage"
    assert submit(kind="complaint").code.startswith("KN-")
    assert submit(kind="feedback").code.endswith("-000002")
    assert [e.action for e in feedback.events.all()] == ["received"]


def test_codes_are_numbered_per_year(submit):
    assert submit(received_at=local(2025, 12, 31, 10)).code == "PA-2025-000001"
    assert submit(received_at=local(2026, 1, 2, 10)).code == "PA-2026-000001"
    assert RegisterCounter.objects.get(series="feedback-PA", year=2025).last_number == 1


def test_denunciation_and_complaint_are_never_anonymous(submit):
    with pytest.raises(ValidationError):
        submit(kind="denunciation", submitter_name="", submitter_address="")
    with pytest.raises(ValidationError):
        submit(kind="complaint", submitter_name="Nguyễn Văn An", submitter_address="")
    assert submit(kind="feedback", submitter_name="", submitter_address="", submitter_phone="").code


def test_unknown_dossier_code_is_refused(submit):
    with pytest.raises(ValidationError) as error:
        submit(related_dossier_code="000.00.11.H99-260101-0001")
    assert "related_dossier_code" in error.value.message_dict


def test_unit_user_records_in_the_department_register(submit, users, justice):
    feedback = submit(channel="counter", actor=users["chuyenvien"])
    assert feedback.agency == justice
    assert feedback.handling_unit == users["chuyenvien"].agency


@pytest.mark.parametrize(
    ("triage", "extra", "status"),
    [
        (TriageClass.NOT_ACCEPTED, {"note": "Không đủ thông tin theo quy định."}, FeedbackStatus.REJECTED),
        (TriageClass.OFFICIAL_CONDUCT, {"forwarded_to": "Chánh Thanh tra Sở"}, FeedbackStatus.FORWARDED),
        (TriageClass.WITHIN_COMPETENCE, {}, FeedbackStatus.IN_PROGRESS),
        (TriageClass.OUTSIDE_COMPETENCE, {"forwarded_to": "Sở Xây dựng"}, FeedbackStatus.FORWARDED),
    ],
)
def test_each_triage_class(submit, users, triage, extra, status):
    feedback = submit(received_at=local(2026, 2, 12, 14))
    done = services.feedback_triage(
        feedback=feedback, triage=triage, at=local(2026, 2, 13, 9), actor=users["lanhdao"], **extra
    )
    assert done.status == status and done.triage == triage and done.triaged_at == local(2026, 2, 13, 9)
    if status == FeedbackStatus.IN_PROGRESS:
        # Feedback answer limit: 10 working days from classification, across Tết.
        assert done.due_at == deadlines.compute(deadlines.FEEDBACK_ANSWER, local(2026, 2, 13, 9))
        assert done.due_at == local(2026, 3, 6, 9) == done.next_due_at
    else:
        assert done.due_at is None and done.next_due_at is None
    if status == FeedbackStatus.FORWARDED:
        assert done.forwarded_to == extra["forwarded_to"]
    event = done.events.last()
    assert event.status_before == FeedbackStatus.RECEIVED and event.status_after == status


def test_triage_needs_reason_or_destination(submit, users):
    feedback = submit()
    with pytest.raises(ValidationError):
        services.feedback_triage(feedback=feedback, triage=TriageClass.NOT_ACCEPTED, actor=users["lanhdao"])
    with pytest.raises(ValidationError):
        services.feedback_triage(
            feedback=feedback, triage=TriageClass.OUTSIDE_COMPETENCE, actor=users["lanhdao"]
        )
    with pytest.raises(ValidationError):  # not a class for complaints
        services.feedback_triage(
            feedback=submit(kind="complaint"),
            triage=TriageClass.OFFICIAL_CONDUCT,
            forwarded_to="X",
            actor=users["lanhdao"],
        )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED and feedback.events.count() == 1


def test_complaint_accepted_on_time_starts_30_calendar_days(submit, users):
    complaint = submit(kind="complaint", received_at=local(2026, 2, 10, 9))
    assert complaint.triage_due_at == local(2026, 3, 3, 9)  # 10 working days, Tết inside
    accepted = services.feedback_triage(
        feedback=complaint,
        triage=TriageClass.WITHIN_COMPETENCE,
        at=local(2026, 3, 2, 10),
        actor=users["lanhdao"],
    )
    assert accepted.accepted_at == local(2026, 3, 2, 10)
    assert accepted.due_at == local(2026, 4, 1, 10) and accepted.due_rule == "complaint_first"
    assert "Quá hạn" not in accepted.events.last().note


def test_complaint_accepted_late_is_flagged(submit, users):
    complaint = submit(kind="complaint", received_at=local(2026, 2, 10, 9))
    accepted = services.feedback_triage(
        feedback=complaint,
        triage=TriageClass.WITHIN_COMPETENCE,
        is_complex=True,
        at=local(2026, 3, 3, 10),
        actor=users["lanhdao"],
    )
    assert "Quá hạn phân loại, thụ lý" in accepted.events.last().note
    assert accepted.due_at == local(2026, 4, 17, 10)  # 45 days: complex


def test_complaint_refused_with_reason(submit, users):
    complaint = submit(kind="complaint", received_at=local(2026, 2, 10, 9))
    refused = services.feedback_triage(
        feedback=complaint,
        triage=TriageClass.NOT_ACCEPTED,
        note="Quá thời hiệu khiếu nại 90 ngày.",
        at=local(2026, 2, 11, 9),
        actor=users["lanhdao"],
    )
    assert refused.status == FeedbackStatus.REJECTED and refused.accepted_at is None
    assert refused.triage_note == "Quá thời hiệu khiếu nại 90 ngày."
    assert refused.events.last().action == "refused"


def test_second_instance_remote_complex_is_70_days(submit, users):
    complaint = submit(kind="complaint", is_second_instance=True)
    accepted = services.feedback_triage(
        feedback=complaint,
        triage=TriageClass.WITHIN_COMPETENCE,
        is_complex=True,
        is_remote_area=True,
        at=local(2026, 2, 2, 10),
        actor=users["lanhdao"],
    )
    assert (
        accepted.due_at == local(2026, 4, 13, 10) and accepted.due_rule == "complaint_second_remote_complex"
    )


def test_full_workflow_and_append_only_history(submit, users, mailoutbox, django_capture_on_commit_callbacks):
    feedback = submit(submitter_email="an@example.vn", publish_answer=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_triage(
            feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"]
        )
    services.feedback_assign(feedback=feedback, assignee=users["chuyenvien"], actor=users["lanhdao"])
    feedback.refresh_from_db()
    assert feedback.handling_unit == users["chuyenvien"].agency
    with django_capture_on_commit_callbacks(execute=True):
        services.feedback_answer(feedback=feedback, answer="Đã chấn chỉnh cán bộ.", actor=users["chuyenvien"])
    with pytest.raises(ValidationError):  # an answered case cannot be answered again
        services.feedback_answer(feedback=feedback, answer="Lần hai", actor=users["chuyenvien"])
    with pytest.raises(TransitionError, match="không có quyền"):  # specialists do not close
        services.feedback_close(feedback=feedback, actor=users["chuyenvien"])
    services.feedback_publish(feedback=feedback, public_title="Thái độ tiếp dân", actor=users["lanhdao"])
    closed = services.feedback_close(feedback=feedback, actor=users["lanhdao"])
    assert closed.status == FeedbackStatus.CLOSED and closed.published_at and closed.closed_at
    actions = list(closed.events.values_list("action", flat=True))
    assert actions == ["received", "accepted", "assigned", "answered", "published", "closed"]
    assert sorted(m.subject.split(": ", 1)[0] for m in mailoutbox) == [f"Đơn {closed.code}"] * 2
    event = closed.events.first()
    event.note = "sửa"
    # append-only (since the trust issue: AppendOnlyError, a PermissionDenied; tests/trust)
    with pytest.raises(PermissionDenied, match="chỉ được ghi thêm"):
        event.save()
    with pytest.raises(PermissionDenied, match="chỉ được ghi thêm"):
        event.delete()
    assert FeedbackEvent.objects.filter(feedback=closed).count() == 6


def test_publish_needs_consent(submit, users):
    feedback = submit(publish_answer=False)
    services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"])
    services.feedback_answer(feedback=feedback, answer="Trả lời", actor=users["lanhdao"])
    with pytest.raises(ValidationError):
        services.feedback_publish(feedback=feedback, public_title="T", actor=users["lanhdao"])


def test_other_agency_cannot_act(submit, outsider):
    feedback = submit()
    with pytest.raises(TransitionError, match="không có quyền") as refused:
        services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=outsider)
    assert refused.value.forbidden


def test_denunciation_is_handled_only_by_its_handlers(submit, users):
    denunciation = submit(kind="denunciation")
    with pytest.raises(TransitionError, match="không có quyền"):  # a specialist who is not assigned
        services.feedback_triage(
            feedback=denunciation, triage=TriageClass.WITHIN_COMPETENCE, actor=users["chuyenvien"]
        )
    services.feedback_triage(
        feedback=denunciation, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"]
    )
    services.feedback_assign(feedback=denunciation, assignee=users["chuyenvien"], actor=users["lanhdao"])
    answered = services.feedback_answer(feedback=denunciation, answer="Kết luận", actor=users["chuyenvien"])
    assert answered.status == FeedbackStatus.ANSWERED
    with pytest.raises(ValidationError):
        services.feedback_publish(feedback=answered, public_title="T", actor=users["lanhdao"])


def test_link_officer(submit, users):
    feedback = submit()
    linked = services.feedback_link(
        feedback=feedback, related_officer=users["chuyenvien"], actor=users["lanhdao"]
    )
    assert linked.related_officer == users["chuyenvien"]
    with pytest.raises(ValidationError):
        services.feedback_link(feedback=feedback, dossier_code="KHONG-CO", actor=users["lanhdao"])


def test_hotline_call_turned_into_feedback_once(users, justice):
    call = log_call(users["chuyenvien"])  # 09:15 02/03/2026, 2 min 5 s, line left blank
    assert call.agency == justice and call.line == justice.hotline
    assert call.closed_at == local(2026, 3, 2, 9, 17, 5)
    feedback = services.hotline_call_to_feedback(call=call, actor=users["chuyenvien"])
    again = services.hotline_call_to_feedback(call=call, actor=users["chuyenvien"])
    assert feedback == again and feedback.channel == "hotline" and feedback.received_at == call.started_at
    call.refresh_from_db()
    assert call.outcome == CallOutcome.FEEDBACK and call.feedback == feedback
    assert feedback.submitter_name == "Trần Thị Bình"


def test_hotline_outcome_feedback_creates_it_directly(users):
    call = log_call(
        users["lanhdao"],
        topic="Phản ánh chậm trả kết quả",
        summary="Hồ sơ quá hẹn.",
        outcome=CallOutcome.FEEDBACK,
    )
    assert call.feedback is not None and call.outcome == CallOutcome.FEEDBACK


def test_hotline_transfer_needs_destination(users):
    with pytest.raises(ValidationError):
        log_call(users["lanhdao"], outcome=CallOutcome.TRANSFERRED)  # to nobody


def test_citizen_reception_numbered_per_agency_and_year(users, commune, outsider):
    def record(actor, day):
        return services.citizen_reception_record(
            agency=actor.agency,
            received_on=day,
            citizen_name="Lê Văn Cường",
            address="Thôn Đông",
            content="Tranh chấp ranh giới đất",
            outcome="Hướng dẫn gửi đơn đến UBND xã",
            actor=actor,
        )

    # past years: a reception day in the future is refused (core.dates)
    assert record(users["lanhdao"], local(2025, 1, 6).date()).number == 1
    assert record(users["lanhdao"], local(2025, 1, 7).date()).number == 2
    assert record(outsider, local(2025, 1, 7).date()).number == 1
    assert record(users["chuyenvien"], local(2026, 1, 5).date()).number == 1
