"""The state machine after intake: every transition, every refusal, scoping and the rules
with a legal basis (3-working-day supplement window, restart/pause, one apology)."""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.models import (
    Apology,
    Dossier,
    DossierEvent,
    EventAction,
    Notification,
    Outcome,
    ResultDelivery,
    Status,
)
from motcua.services import transitions as t
from motcua.services.deadlines import classify_dossier
from tests.timeutil import at
from thutuc.accounts.roles import Role
from thutuc.deadlines import LATE
from thutuc.models import CalendarDay, CalendarDayKind

from .factories import MONDAY_9AM, StepFactory, UserFactory, papers

pytestmark = pytest.mark.django_db


def events(dossier, action=None):
    qs = DossierEvent.objects.filter(dossier=dossier).exclude(action=EventAction.RECEIVE)
    return list(qs.filter(action=action) if action else qs)


def processing(world, **kwargs):
    """A dossier handed by reception to the specialist (step 1)."""
    return world.dossier(processing=True, assignee=world.specialist, **kwargs)


# --- transfer -----------------------------------------------------------------------------------


def test_transfer_along_the_routing_steps_records_hand_off_and_step_deadline(world):
    dossier = world.dossier()
    # intake names the first step current; the counter hands the papers to it
    assert dossier.current_step == world.steps[0]
    dossier = t.dossier_transfer(
        dossier=dossier,
        actor=world.reception,
        step=world.steps[0],
        recipient=world.specialist,
        now=at(3, 2, 10),
    )
    assert dossier.status == Status.PROCESSING
    assert dossier.current_unit == world.unit and dossier.assignee == world.specialist
    # 2 working days from Monday 10:00 → Wednesday 10:00
    assert dossier.step_due_at == at(3, 4, 10)
    [event] = events(dossier)
    assert event.action == EventAction.TRANSFER
    assert (event.actor, event.recipient) == (world.reception, world.specialist)
    assert (event.unit_before, event.unit_after) == (world.centre, world.unit)
    assert event.step == world.steps[0] and event.step_due_at == at(3, 4, 10)
    assert (event.status_before, event.status_after) == (Status.RECEIVED, Status.PROCESSING)

    # the specialist hands on to the next step: blank step agency = the competent agency
    assert t.next_step(dossier) == world.steps[1]
    dossier = t.dossier_transfer(
        dossier=dossier, actor=world.specialist, step=world.steps[1], now=at(3, 3, 15)
    )
    assert dossier.current_unit == world.department and dossier.assignee is None
    assert dossier.step_due_at == at(3, 4, 15)
    assert t.next_step(dossier) is None


def test_assign_within_the_same_unit_is_an_assign_event(world):
    dossier = processing(world)
    colleague = UserFactory(agency=world.unit, roles=[Role.SPECIALIST])
    dossier = t.dossier_transfer(dossier=dossier, actor=world.leader, recipient=colleague, now=at(3, 2, 11))
    assert dossier.assignee == colleague
    assert events(dossier)[-1].action == EventAction.ASSIGN


def test_the_counters_hand_off_after_intake_is_a_transfer_even_into_the_first_steps_unit(world):
    # intake names the first step's unit as current_unit while the papers are at the counter
    dossier = world.dossier()
    assert (dossier.current_unit, dossier.current_step) == (world.unit, world.steps[0])
    dossier = t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    [event] = events(dossier)
    assert event.action == EventAction.TRANSFER
    assert (event.unit_before, event.unit_after) == (world.centre, world.unit)


def test_transfer_refuses_a_recipient_outside_the_unit_and_a_step_of_another_procedure(world):
    dossier = world.dossier()
    with pytest.raises(t.TransitionError, match="không thuộc"):
        t.dossier_transfer(dossier=dossier, actor=world.reception, unit=world.unit, recipient=world.leader)
    with pytest.raises(t.TransitionError, match="quy trình"):
        t.dossier_transfer(dossier=dossier, actor=world.reception, step=StepFactory(agency=world.unit))
    with pytest.raises(t.TransitionError, match="Chọn đơn vị"):
        t.dossier_transfer(dossier=dossier, actor=world.reception)
    assert events(dossier) == []


# --- unit scoping and roles --------------------------------------------------------------------


def test_specialists_and_leaders_act_on_their_units_dossiers_only(world):
    dossier = processing(world)
    stranger = UserFactory(agency=world.other_department, roles=[Role.SPECIALIST])
    other_leader = UserFactory(agency=world.other_department, roles=[Role.LEADER])
    with pytest.raises(t.TransitionError, match="không có quyền"):
        t.dossier_request_supplement(dossier=dossier, actor=stranger, items=papers("Tờ khai"), reason="Thiếu")
    with pytest.raises(t.TransitionError, match="không có quyền"):
        t.dossier_approve(dossier=dossier, actor=other_leader)
    # the reception officer may not approve, the specialist neither (a leader's act)
    for actor in (world.reception, world.specialist):
        with pytest.raises(t.TransitionError, match="không có quyền"):
            t.dossier_approve(dossier=dossier, actor=actor)
    # the department's leader sees the unit below: allowed
    assert t.dossier_approve(dossier=dossier, actor=world.leader).status == Status.RESULT_READY
    assert [e.action for e in events(dossier)] == [EventAction.TRANSFER, EventAction.APPROVE]


def test_available_actions_follow_status_and_role(world):
    dossier = world.dossier()
    assert {a.action for a in t.available_actions(world.reception, dossier)} == {
        EventAction.TRANSFER,
        EventAction.WITHDRAW,
        EventAction.CHANGE_COMPETENT,
    }
    dossier = processing(world)
    assert EventAction.REQUEST_SUPPLEMENT in {
        a.action for a in t.available_actions(world.specialist, dossier)
    }
    assert EventAction.APPROVE in {a.action for a in t.available_actions(world.leader, dossier)}
    assert EventAction.APPROVE not in {a.action for a in t.available_actions(world.specialist, dossier)}


# --- refusals from a wrong status ------------------------------------------------------------------

CALLS = {
    EventAction.TRANSFER: lambda d, u: t.dossier_transfer(dossier=d, actor=u, unit=d.competent_agency),
    EventAction.RECEIVE_TRANSFER: lambda d, u: t.dossier_receive_transfer(dossier=d, actor=u),
    EventAction.CHANGE_COMPETENT: lambda d, u: t.dossier_change_competent(
        dossier=d, actor=u, competent_agency=d.receiving_agency, reason="Chọn nhầm"
    ),
    EventAction.CLOSE: lambda d, u: t.dossier_close_unsupplemented(dossier=d),
    EventAction.REQUEST_SUPPLEMENT: lambda d, u: t.dossier_request_supplement(
        dossier=d, actor=u, items=papers("Tờ khai"), reason="Thiếu chữ ký"
    ),
    EventAction.RECEIVE_SUPPLEMENT: lambda d, u: t.dossier_receive_supplement(dossier=d, actor=u),
    EventAction.REQUEST_PAYMENT: lambda d, u: t.dossier_request_payment(dossier=d, actor=u),
    EventAction.RECEIVE_PAYMENT: lambda d, u: t.dossier_receive_payment(dossier=d, actor=u),
    EventAction.APPROVE: lambda d, u: t.dossier_approve(dossier=d, actor=u),
    EventAction.REFUSE: lambda d, u: t.dossier_refuse(dossier=d, actor=u, reason="Không đủ điều kiện"),
    EventAction.STOP: lambda d, u: t.dossier_stop(dossier=d, actor=u, reason="Lý do", legal_basis="Căn cứ"),
    EventAction.WITHDRAW: lambda d, u: t.dossier_withdraw(dossier=d, actor=u, reason="Đơn xin rút"),
    EventAction.APOLOGISE: lambda d, u: t.dossier_apologise(
        dossier=d, actor=u, reason="Chậm", new_due_at=d.due_at + dt.timedelta(days=7)
    ),
    EventAction.RETURN_RESULT: lambda d, u: t.dossier_return_result(
        dossier=d, actor=u, collected_by_name="A"
    ),
}


def test_every_action_has_a_service_call():
    assert set(CALLS) == set(t.TRANSITIONS)


@pytest.mark.parametrize("action", sorted(t.TRANSITIONS))
def test_each_transition_is_refused_from_every_status_outside_its_sources(world, action):
    admin = UserFactory(agency=None, is_superuser=True)
    transition = t.TRANSITIONS[action]
    for status in Status:
        if status in transition.sources:
            continue
        if status in (Status.SUBMITTED_ONLINE, Status.NOT_ACCEPTED):
            # no service leads there yet (online filing): a received dossier set to it
            dossier = world.dossier()
            Dossier.objects.filter(pk=dossier.pk).update(status=status)
            dossier.refresh_from_db()
        else:
            dossier = world.dossier(status=status)
        before = events(dossier)  # the path the factory took to `status`
        with pytest.raises(t.TransitionError) as excinfo:
            CALLS[action](dossier, admin)
        message = str(excinfo.value)
        assert "đang ở trạng thái" in message and str(status.label) in message
        dossier.refresh_from_db()
        assert dossier.status == status
        assert events(dossier) == before


# --- supplement -----------------------------------------------------------------------------------


def test_request_supplement_within_three_working_days_stops_the_clock(world):
    dossier = processing(world)
    request = t.dossier_request_supplement(
        dossier=dossier,
        actor=world.specialist,
        items=papers("Bản sao giấy khai sinh", " ", "Tờ khai có chữ ký"),
        reason="Tờ khai chưa ký",
        now=at(3, 5, 9),  # Thursday 09:00: exactly 3 working days after receipt
    )
    assert request.items == papers("Bản sao giấy khai sinh", "Tờ khai có chữ ký")
    assert request.late_request is False
    assert request.dossier.status == Status.WAITING_SUPPLEMENT
    assert request.dossier.transition_warnings == []
    assert Notification.objects.filter(dossier=dossier, kind="supplement_requested").count() == 2


def test_request_supplement_after_three_working_days_is_warned_not_refused(world):
    dossier = processing(world)
    request = t.dossier_request_supplement(
        dossier=dossier,
        actor=world.specialist,
        items=papers("Tờ khai"),
        reason="Thiếu",
        now=at(3, 5, 9, 1),
    )
    assert request.late_request is True
    assert "3 ngày làm việc" in request.dossier.transition_warnings[0]
    assert request.dossier.status == Status.WAITING_SUPPLEMENT


def test_request_supplement_needs_items_and_reason(world):
    dossier = processing(world)
    with pytest.raises(t.TransitionError, match="giấy tờ cần bổ sung"):
        t.dossier_request_supplement(dossier=dossier, actor=world.specialist, items=papers("  "), reason="x")
    with pytest.raises(t.TransitionError, match="lý do"):
        t.dossier_request_supplement(
            dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason=""
        )
    assert len(events(dossier)) == 1  # only the transfer


def _wait_over_the_may_holidays(world, settings, policy):
    """Supplement requested Wednesday 29/04/2026 09:00, received Monday 04/05 09:00:
    30/04 and 01/05 are public holidays, 02–03/05 a weekend → 8 working hours of waiting.
    (Monday 27/04/2026 is itself a day off: Giỗ Tổ Hùng Vương falls on Sunday 26/04.)
    `policy`: the former setting DOSSIER_SUPPLEMENT_CLOCK, which is no longer read."""
    settings.DOSSIER_SUPPLEMENT_CLOCK = policy
    dossier = processing(world, received_at=at(4, 28, 9))  # Tuesday 28/04 09:00
    assert dossier.due_at == at(5, 7, 9)  # 5 working days skipping 30/04, 01/05 and the weekend
    t.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu", now=at(4, 29, 9)
    )
    return t.dossier_receive_supplement(dossier=dossier, actor=world.reception, now=at(5, 4, 9))


def test_receive_supplement_restarts_the_deadline_from_that_moment(world, settings):
    dossier = _wait_over_the_may_holidays(world, settings, "restart")
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == at(5, 11, 9)  # 5 working days from Monday 04/05 09:00
    assert dossier.original_due_at == dossier.due_at
    [event] = events(dossier, EventAction.RECEIVE_SUPPLEMENT)
    assert (event.due_at_before, event.due_at_after) == (at(5, 7, 9), at(5, 11, 9))
    assert "tính lại từ đầu" in event.note
    assert dossier.supplement_requests.get().clock_policy == "restart"


def test_the_clock_restarts_from_the_start_even_under_the_former_pause_setting_nd118_art19_5(world, settings):
    """NĐ 118/2025 Điều 19 khoản 5: "Thời hạn giải quyết được tính lại từ đầu sau khi nhận
    đủ hồ sơ". The `pause` policy (07/05 09:00 → 08/05 09:00 here) contradicted it: an old
    DOSSIER_SUPPLEMENT_CLOCK=pause in a deployment's environment changes nothing."""
    dossier = _wait_over_the_may_holidays(world, settings, "pause")
    assert dossier.due_at == at(5, 11, 9)  # 5 working days from Monday 04/05 09:00
    assert dossier.supplement_requests.get().clock_policy == "restart"


# --- fees, approval, refusal, stop, withdrawal ----------------------------------------------------


def test_payment_requested_and_received(world):
    dossier = processing(world)
    dossier = t.dossier_request_payment(dossier=dossier, actor=world.specialist, amount=Decimal("50000"))
    assert dossier.status == Status.WAITING_PAYMENT and dossier.national_status_code == 6
    assert "50.000" in events(dossier)[-1].note
    dossier = t.dossier_receive_payment(dossier=dossier, actor=world.reception, receipt_number="BL-0012")
    assert dossier.status == Status.PROCESSING
    assert "BL-0012" in events(dossier)[-1].note


def test_approve_marks_result_ready_and_tells_the_applicant(world):
    dossier = processing(world)
    dossier = t.dossier_approve(dossier=dossier, actor=world.leader, now=at(3, 4, 10))
    assert dossier.status == Status.RESULT_READY and dossier.national_status_code == 9
    assert dossier.outcome == Outcome.APPROVED and dossier.finished_at == at(3, 4, 10)
    assert dossier.current_unit == world.centre and dossier.assignee is None
    assert Notification.objects.filter(dossier=dossier, kind="result_ready").exists()


def test_refuse_needs_a_reason_and_is_flagged_after_the_deadline(world):
    dossier = processing(world)
    with pytest.raises(t.TransitionError, match="lý do"):
        t.dossier_refuse(dossier=dossier, actor=world.leader, reason=" ")
    on_time = t.dossier_refuse(
        dossier=dossier, actor=world.leader, reason="Không đủ điều kiện", now=at(3, 3, 9)
    )
    assert on_time.outcome == Outcome.REFUSED and not on_time.refused_after_deadline
    assert on_time.status == Status.RESULT_READY and on_time.outcome_reason == "Không đủ điều kiện"

    late = processing(world)
    late = t.dossier_refuse(dossier=late, actor=world.leader, reason="Không đủ điều kiện", now=at(3, 20, 9))
    assert late.refused_after_deadline is True and late.transition_warnings


def applicant_messages(dossier, *, since=()):
    """The messages to the applicant (the staff's hand-off messages: tests/motcua/test_handoffs.py),
    but those in `since` (what intake sent at the receipt)."""
    return Notification.objects.filter(dossier=dossier, recipient=None).exclude(pk__in=since)


def test_stop_needs_reason_and_legal_basis(world):
    dossier = processing(world)
    received = list(applicant_messages(dossier).values_list("pk", flat=True))
    with pytest.raises(t.TransitionError, match="căn cứ pháp lý"):
        t.dossier_stop(dossier=dossier, actor=world.leader, reason="Đang có tranh chấp", legal_basis="")
    dossier = t.dossier_stop(
        dossier=dossier, actor=world.leader, reason="Đang có tranh chấp", legal_basis="Điều 12 Luật Hộ tịch"
    )
    assert dossier.status == Status.STOPPED and dossier.national_status_code == 8
    assert dossier.outcome == Outcome.STOPPED and dossier.finished_at is not None
    assert dossier.stop_notice_number
    applicant = applicant_messages(dossier, since=received)
    assert set(applicant.values_list("kind", "subject")) == {
        ("stopped", f"Hồ sơ {dossier.code} đã dừng giải quyết")
    }


def test_withdraw_at_the_applicants_request(world):
    dossier = world.dossier()
    received = list(applicant_messages(dossier).values_list("pk", flat=True))
    dossier = t.dossier_withdraw(dossier=dossier, actor=world.reception, reason="Đơn xin rút ngày 03/03")
    assert dossier.status == Status.WITHDRAWN and dossier.national_status_code == 7
    assert dossier.outcome == Outcome.WITHDRAWN
    applicant = applicant_messages(dossier, since=received)
    assert set(applicant.values_list("kind", flat=True)) == {"withdrawn"}


# --- apology --------------------------------------------------------------------------------------


def test_apology_once_sets_new_date_but_still_counts_late(world):
    dossier = processing(world)  # due Monday 09/03 09:00
    apology = t.dossier_apologise(
        dossier=dossier,
        actor=world.leader,
        reason="Chờ xác minh",
        new_due_at=at(3, 12, 16),
        now=at(3, 5, 9),
    )
    assert apology.late_notice is False and apology.previous_due_at == at(3, 9, 9)
    dossier.refresh_from_db()
    assert dossier.due_at == at(3, 12, 16) and dossier.original_due_at == at(3, 9, 9)
    assert Notification.objects.filter(dossier=dossier, kind="apology").exists()
    with pytest.raises(t.TransitionError, match="một lần"):
        t.dossier_apologise(dossier=dossier, actor=world.leader, reason="Lần nữa", new_due_at=at(3, 20, 9))
    assert Apology.objects.filter(dossier=dossier).count() == 1
    assert all(a.action != EventAction.APOLOGISE for a in t.available_actions(world.leader, dossier))
    # finished before the new date, after the statutory one: late
    dossier = t.dossier_approve(dossier=dossier, actor=world.leader, now=at(3, 11, 9))
    assert classify_dossier(dossier) == LATE


def test_apology_on_the_due_day_is_warned_nd118_art19_6(world):
    """NĐ 118/2025 Điều 19 khoản 6: at the latest the (working) day before the deadline."""
    dossier = processing(world)  # due Monday 09/03 09:00
    apology = t.dossier_apologise(
        dossier=dossier, actor=world.leader, reason="Chờ xác minh", new_due_at=at(3, 12), now=at(3, 9, 8)
    )
    assert apology.late_notice is True
    assert "06/03/2026" in apology.dossier.transition_warnings[0]


@pytest.mark.parametrize(
    ("new_due", "refusal"),
    [((3, 6, 9), "sau ngày hẹn"), ((3, 13, 9), "ngày làm việc")],
    ids=["not-later", "day-off"],
)
def test_apology_date_must_be_later_and_on_a_working_day(world, new_due, refusal):
    """The new date must come after the current one and be a working day (13/03 is made an
    agency day off)."""
    dossier = processing(world)
    CalendarDay.objects.create(date=dt.date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, reason="Nghỉ")
    with pytest.raises(t.TransitionError, match=refusal):
        t.dossier_apologise(
            dossier=dossier, actor=world.leader, reason="x", new_due_at=at(*new_due), now=at(3, 3, 9)
        )
    assert not Apology.objects.filter(dossier=dossier).exists()


# --- return ---------------------------------------------------------------------------------------


def test_return_at_the_counter_records_who_collected_it(world):
    dossier = t.dossier_approve(dossier=processing(world), actor=world.leader)
    with pytest.raises(t.TransitionError, match="người nhận"):
        t.dossier_return_result(dossier=dossier, actor=world.reception)
    dossier = t.dossier_return_result(
        dossier=dossier, actor=world.reception, collected_by_name="Nguyễn Văn Thử", originals_returned=True
    )
    assert dossier.status == Status.RETURNED and dossier.national_status_code == 10
    assert dossier.returned_at and dossier.returned_by == world.reception and dossier.originals_returned
    assert "Đã trả lại bản chính" in events(dossier)[-1].note


def test_return_by_post_needs_the_tracking_number(world):
    dossier = processing(world, result_delivery=ResultDelivery.POST, delivery_address="Số 3 Hòa Bình")
    dossier = t.dossier_approve(dossier=dossier, actor=world.leader)
    with pytest.raises(t.TransitionError, match="vận đơn"):
        t.dossier_return_result(dossier=dossier, actor=world.reception)
    dossier = t.dossier_return_result(
        dossier=dossier, actor=world.reception, postal_tracking_number="EB123VN"
    )
    assert dossier.postal_tracking_number == "EB123VN"
    assert dossier.status == Status.RETURNED


def test_a_full_walk_writes_exactly_one_event_per_transition(world):
    dossier = processing(world)
    t.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
    )
    t.dossier_receive_supplement(dossier=dossier, actor=world.reception)
    t.dossier_transfer(dossier=dossier, actor=world.specialist, step=world.steps[1])
    t.dossier_approve(dossier=dossier, actor=world.leader)
    t.dossier_return_result(dossier=dossier, actor=world.reception, collected_by_name="Người nhận")
    assert [e.action for e in events(dossier)] == [
        EventAction.TRANSFER,
        EventAction.REQUEST_SUPPLEMENT,
        EventAction.RECEIVE_SUPPLEMENT,
        EventAction.TRANSFER,
        EventAction.APPROVE,
        EventAction.RETURN_RESULT,
    ]
    assert MONDAY_9AM  # the default receipt moment of the factory
