"""The dossier state machine after intake (DESIGN §4, §5.3–5.4).

The allowed transitions are *data* (`TRANSITIONS`: action → from-statuses → to-status, and
the roles that may perform it); each transition is one function below, run through the
portal's one workflow frame (`core.workflow`, the `DOSSIER` workflow): it locks the
dossier row (`select_for_update`), checks the status *of the locked row* against the table
(a wrong status raises `TransitionError` with a Vietnamese message) and the actor's right
to act on it (`may_act`), and the function writes exactly one `DossierEvent`; notifications
to the applicant and to staff are sent after the commit. Two officers clicking at once
therefore give one event and one refusal: the second waits for the lock, then finds the
status changed.

Warnings (a rule broken but allowed by the decree's practice: a supplement requested after
3 working days, an apology less than one working day before the deadline, a refusal after
the deadline) do not stop the transition: they are stored as flags on the records and
returned in `dossier.transition_warnings` (the frame's `change.warn`) for the page to show.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workflow import Transition, TransitionError, Workflow, table, transition
from thutuc import deadlines as rules
from thutuc.accounts.roles import Role, user_roles
from thutuc.accounts.visibility import can_see_agency
from thutuc.calendar import HOURS_PER_WORKING_DAY, TZ
from thutuc.calendar_store import get_calendar
from thutuc.deadlines import CLOCK_PAUSE, CLOCK_RESTART
from thutuc.models import Agency, CaseVersionStep, User

from ..models import (
    Apology,
    Dossier,
    DossierEvent,
    EventAction,
    Outcome,
    ResultDelivery,
    Status,
    SupplementRequest,
)
from ..notifications.applicant import notify_applicant
from ..notifications.staff import notify_dossier_handoff

# --- rules with a legal basis ------------------------------------------------------------------
# A supplement after acceptance is requested within 3 working days of receipt
# (NĐ 61/2018/NĐ-CP Điều 19 khoản 4; carried over by NĐ 118/2025). Later: warned, not refused.
SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS = 3
# The apology with a new appointment is issued at least 1 working day before the deadline,
# and only once per dossier (NĐ 61/2018/NĐ-CP Điều 19 khoản 9). Later: warned, not refused.
APOLOGY_NOTICE_WORKING_DAYS = 1


# --- the state machine as data ---------------------------------------------------------------
# Scope of each role: reception acts on dossiers received by its agency (the counter), the
# processing roles on dossiers currently in their unit (thutuc.accounts.visibility).
SCOPE_RECEIVING, SCOPE_CURRENT_UNIT = "receiving_agency", "current_unit"
ROLE_SCOPE = {
    Role.RECEPTION: SCOPE_RECEIVING,
    Role.SPECIALIST: SCOPE_CURRENT_UNIT,
    Role.LEADER: SCOPE_CURRENT_UNIT,
}

R, P, WS, WP = Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT, Status.WAITING_PAYMENT


def _t(action, label, sources, target, roles) -> Transition:
    return transition(action, label, sources, () if target is None else target, rights=roles)


TRANSITIONS: dict[str, Transition] = table(
    _t(
        EventAction.TRANSFER,
        gettext_lazy("Chuyển xử lý"),
        (R, P),
        P,
        (Role.RECEPTION, Role.SPECIALIST, Role.LEADER),
    ),
    _t(
        EventAction.REQUEST_SUPPLEMENT,
        gettext_lazy("Yêu cầu bổ sung hồ sơ"),
        (R, P),
        WS,
        (Role.SPECIALIST, Role.LEADER),
    ),
    _t(
        EventAction.RECEIVE_SUPPLEMENT,
        gettext_lazy("Nhận hồ sơ bổ sung"),
        (WS,),
        P,
        (Role.RECEPTION, Role.SPECIALIST, Role.LEADER),
    ),
    _t(
        EventAction.REQUEST_PAYMENT,
        gettext_lazy("Yêu cầu thực hiện nghĩa vụ tài chính"),
        (P,),
        WP,
        (Role.SPECIALIST, Role.LEADER),
    ),
    _t(
        EventAction.RECEIVE_PAYMENT,
        gettext_lazy("Xác nhận đã nộp phí, lệ phí"),
        (WP,),
        P,
        (Role.RECEPTION, Role.SPECIALIST, Role.LEADER),
    ),
    _t(EventAction.APPROVE, gettext_lazy("Phê duyệt kết quả"), (P,), Status.RESULT_READY, (Role.LEADER,)),
    _t(
        EventAction.REFUSE,
        gettext_lazy("Từ chối giải quyết"),
        (R, P),
        Status.RESULT_READY,
        (Role.LEADER,),
    ),
    _t(EventAction.STOP, gettext_lazy("Dừng giải quyết"), (R, P, WS, WP), Status.STOPPED, (Role.LEADER,)),
    _t(
        EventAction.WITHDRAW,
        gettext_lazy("Rút hồ sơ theo yêu cầu của người nộp"),
        (R, P, WS, WP),
        Status.WITHDRAWN,
        (Role.RECEPTION, Role.LEADER),
    ),
    _t(
        EventAction.APOLOGISE,
        gettext_lazy("Xin lỗi và hẹn lại ngày trả kết quả"),
        (R, P, WP),
        None,
        (Role.LEADER,),
    ),
    _t(
        EventAction.RETURN_RESULT,
        gettext_lazy("Trả kết quả"),
        (Status.RESULT_READY,),
        Status.RETURNED,
        (Role.RECEPTION,),
    ),
)


def _in_scope(user, dossier: Dossier, scope: str) -> bool:
    agency_id = dossier.receiving_agency_id if scope == SCOPE_RECEIVING else dossier.current_unit_id
    return can_see_agency(user, agency_id)


def may_act(user, dossier: Dossier, action: str) -> bool:
    """Whether `user` holds a role allowed to perform `action` on this dossier (status aside)."""
    if not user.is_authenticated or not user.is_active:
        return False
    transition = TRANSITIONS[action]
    if user.is_superuser:
        return True
    roles = user_roles(user)
    return any(role in roles and _in_scope(user, dossier, ROLE_SCOPE[role]) for role in transition.rights)


def available_actions(user, dossier: Dossier) -> list[Transition]:
    """The transitions this user may perform on the dossier in its current status."""
    actions = [
        t for t in TRANSITIONS.values() if dossier.status in t.sources and may_act(user, dossier, t.action)
    ]
    if (
        any(t.action == EventAction.APOLOGISE for t in actions)
        and Apology.objects.filter(dossier_id=dossier.pk).exists()
    ):
        actions = [t for t in actions if t.action != EventAction.APOLOGISE]
    return actions


# --- the workflow frame (core.workflow) -----------------------------------------------------


def _refusal(actor, dossier: Dossier, transition: Transition) -> str:
    if may_act(actor, dossier, transition.action):
        return ""
    return _("Bạn không có quyền “%(action)s” đối với hồ sơ %(code)s.") % {
        "action": transition.label,
        "code": dossier.code,
    }


DOSSIER = Workflow(
    model=Dossier,
    event_model=DossierEvent,
    parent="dossier",
    transitions=TRANSITIONS,
    refusal=_refusal,
    wrong_status=gettext_lazy(
        "Không thể “%(action)s”: hồ sơ %(code)s đang ở trạng thái “%(status)s”; "
        "thao tác này chỉ thực hiện được khi hồ sơ ở trạng thái: %(allowed)s."
    ),
)


def _save(dossier: Dossier, fields: list[str]) -> None:
    dossier.full_clean(exclude=["pin_hash"], validate_unique=False, validate_constraints=False)
    dossier.save(update_fields=[*fields, "updated_at"])


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _required(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise TransitionError(message)
    return value


def _dossier_calendar(dossier: Dossier):
    """The dossier deadline follows the calendar of the agency that issued the receipt."""
    return get_calendar(dossier.receiving_agency)


# --- transfer / assign ----------------------------------------------------------------------


def route_steps(dossier: Dossier):
    """The dossier's own routing steps: those of the case version it was received under."""
    return CaseVersionStep.objects.filter(version_id=dossier.case_version_id).order_by("order", "pk")


def next_step(dossier: Dossier) -> CaseVersionStep | None:
    """The routing step after the dossier's current one (the first one if none yet)."""
    steps = route_steps(dossier)
    if dossier.current_step_id is None:
        return steps.first()
    current = dossier.current_step
    return steps.filter(order__gt=current.order).first() if current else steps.first()


def step_unit(dossier: Dossier, step: CaseVersionStep) -> Agency:
    return step.agency if step.agency_id else dossier.competent_agency


def dossier_transfer(
    *,
    dossier: Dossier,
    actor,
    step: CaseVersionStep | None = None,
    unit: Agency | None = None,
    recipient: User | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier on (chuyển xử lý) or assign it within the unit (phân công).

    The receiving unit is, in order: the given `unit`, the recipient's agency, the step's
    agency (blank step agency = the competent agency). The step's own deadline is computed
    with that unit's calendar from the step's allotment. Records who handed (actor), who
    received (recipient), when, and the step deadline."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.TRANSFER, actor=actor, at=at) as change:
        dossier = change.obj
        # Only a step of the dossier's own route (never a catalogue step, which may change).
        if step is not None and getattr(step, "version_id", None) != dossier.case_version_id:
            raise TransitionError(_("Bước xử lý không thuộc quy trình của thủ tục này."))
        if unit is None and recipient is not None:
            unit = recipient.agency
        if unit is None and step is not None:
            unit = step_unit(dossier, step)
        if unit is None:
            raise TransitionError(_("Chọn đơn vị hoặc cán bộ nhận hồ sơ."))
        if recipient is not None and recipient.agency_id != unit.pk:
            raise TransitionError(
                _("Cán bộ %(name)s không thuộc %(unit)s.") % {"name": recipient.get_full_name(), "unit": unit}
            )
        if recipient is not None and not recipient.is_active:
            raise TransitionError(_("Tài khoản cán bộ nhận đã bị khóa."))
        status_before, unit_before = dossier.status, dossier.current_unit
        if status_before == Status.RECEIVED:
            # The counter's hand-off. Intake already names the first step's unit as
            # current_unit, but the papers are still at the counter: this is the transfer
            # (the register's "transferred" date, the citizen's timeline), never an assignment.
            unit_before = dossier.receiving_agency
        step_due = None
        if step is not None:
            step_due = rules.step_due_at(get_calendar(unit), step, at)
        action = EventAction.ASSIGN if unit_before is not None and unit_before.pk == unit.pk else None
        dossier.status = Status.PROCESSING
        dossier.current_unit = unit
        dossier.assignee = recipient
        dossier.current_step = step
        dossier.step_due_at = step_due
        _save(dossier, ["status", "current_unit", "assignee", "current_step", "step_due_at"])
        event = change.record(
            action=action or EventAction.TRANSFER,
            unit_before=unit_before,
            unit_after=unit,
            recipient=recipient,
            step=step,
            step_due_at=step_due,
            note=note.strip(),
        )
        notify_dossier_handoff(dossier, event)
    return dossier


# --- supplement -----------------------------------------------------------------------------


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor,
    items: list[str],
    reason: str,
    reply_due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> SupplementRequest:
    """Form 02 after acceptance: every missing item at once, a reason; the clock stops."""
    at = _now(now)
    items = [item.strip() for item in items if item and item.strip()]
    if not items:
        raise TransitionError(_("Liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện (một lần)."))
    reason = _required(reason, _("Nêu lý do yêu cầu bổ sung."))
    with DOSSIER.perform(dossier, EventAction.REQUEST_SUPPLEMENT, actor=actor, at=at) as change:
        dossier = change.obj
        elapsed = _dossier_calendar(dossier).working_hours_between(dossier.received_at, at)
        late = elapsed > SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS * HOURS_PER_WORKING_DAY
        sequence = SupplementRequest.objects.filter(dossier=dossier).count() + 1
        request = SupplementRequest(
            dossier=dossier,
            number=f"{sequence:02d}/BS-{dossier.code}",
            items=items,
            reason=reason,
            requested_at=at,
            requested_by=actor,
            reply_due_at=reply_due_at,
            late_request=late,
        )
        request.full_clean()
        request.save()
        dossier.status = Status.WAITING_SUPPLEMENT
        _save(dossier, ["status"])
        note = _("Phiếu %(number)s: %(items)s. Lý do: %(reason)s") % {
            "number": request.number,
            "items": "; ".join(items),
            "reason": reason,
        }
        if late:
            warning = _(
                "Yêu cầu bổ sung sau %(days)s ngày làm việc kể từ khi tiếp nhận "
                "(quy định: trong %(days)s ngày)."
            ) % {"days": SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS}
            note += " " + warning
            change.warn(warning)
        change.record(
            unit_before=dossier.current_unit,
            unit_after=dossier.current_unit,
            note=note,
        )
        notify_applicant(dossier, "supplement_requested")
    request.dossier = dossier
    return request


def supplement_clock_policy() -> str:
    policy = getattr(settings, "DOSSIER_SUPPLEMENT_CLOCK", CLOCK_RESTART)
    if policy not in (CLOCK_RESTART, CLOCK_PAUSE):
        raise ValueError(f"DOSSIER_SUPPLEMENT_CLOCK must be 'restart' or 'pause', not {policy!r}")
    return policy


def dossier_receive_supplement(
    *, dossier: Dossier, actor, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """The complete supplement arrived: the clock runs again and the deadline is recomputed
    from this moment (restart, NĐ 61 Điều 19.4) or shifted by the time spent waiting (pause),
    per settings.DOSSIER_SUPPLEMENT_CLOCK."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.RECEIVE_SUPPLEMENT, actor=actor, at=at) as change:
        dossier = change.obj
        request = (
            SupplementRequest.objects.select_for_update()
            .filter(dossier=dossier, fulfilled_at__isnull=True)
            .order_by("-requested_at")
            .first()
        )
        if request is None:
            raise TransitionError(_("Không tìm thấy yêu cầu bổ sung đang chờ của hồ sơ này."))
        request.fulfilled_at = at
        request.fulfilled_by = actor
        request.clock_policy = supplement_clock_policy()
        request.full_clean()
        request.save(update_fields=["fulfilled_at", "fulfilled_by", "clock_policy"])
        supplements = list(SupplementRequest.objects.filter(dossier=dossier, fulfilled_at__isnull=False))
        due_before = dossier.due_at
        new_due = rules.statutory_due_at(
            _dossier_calendar(dossier),
            case=dossier.case_version,
            received_at=dossier.received_at,
            supplements=supplements,
        )
        dossier.status = Status.PROCESSING
        # The supplement moves the statutory deadline itself: it is not a delay of the agency.
        dossier.due_at = dossier.original_due_at = new_due
        _save(dossier, ["status", "due_at", "original_due_at"])
        policy_text = (
            _("tính lại từ đầu") if request.clock_policy == CLOCK_RESTART else _("cộng thời gian chờ bổ sung")
        )
        event = change.record(
            unit_before=dossier.current_unit,
            unit_after=dossier.current_unit,
            due_at_before=due_before,
            due_at_after=new_due,
            note=" ".join(filter(None, [_("Thời hạn giải quyết: %s.") % policy_text, note.strip()])),
        )
        notify_dossier_handoff(dossier, event, requested_by_id=request.requested_by_id)
    return dossier


# --- fees -------------------------------------------------------------------------------------


def dossier_request_payment(
    *, dossier: Dossier, actor, amount: Decimal | None = None, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """National status 6: the applicant must pay fees or taxes before the result."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.REQUEST_PAYMENT, actor=actor, at=at) as change:
        dossier = change.obj
        dossier.status = Status.WAITING_PAYMENT
        _save(dossier, ["status"])
        text = _("Số tiền: %s đồng.") % f"{amount:,.0f}".replace(",", ".") if amount is not None else ""
        change.record(
            note=" ".join(filter(None, [text, note.strip()])),
        )
    return dossier


def dossier_receive_payment(
    *, dossier: Dossier, actor, receipt_number: str = "", note: str = "", now: dt.datetime | None = None
) -> Dossier:
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.RECEIVE_PAYMENT, actor=actor, at=at) as change:
        dossier = change.obj
        dossier.status = Status.PROCESSING
        _save(dossier, ["status"])
        text = _("Biên lai số %s.") % receipt_number.strip() if receipt_number.strip() else ""
        change.record(
            note=" ".join(filter(None, [text, note.strip()])),
        )
    return dossier


# --- ending the processing ----------------------------------------------------------------------


def _finish(dossier: Dossier, *, at, outcome: str, status: str) -> Agency | None:
    unit_before = dossier.current_unit
    dossier.status = status
    dossier.outcome = outcome
    dossier.finished_at = at
    # The result (or the papers) go back to the counter that received the dossier.
    dossier.current_unit = dossier.receiving_agency
    dossier.assignee = None
    dossier.current_step = None
    dossier.step_due_at = None
    return unit_before


_FINISH_FIELDS = [
    "status",
    "outcome",
    "finished_at",
    "current_unit",
    "assignee",
    "current_step",
    "step_due_at",
]


def dossier_approve(*, dossier: Dossier, actor, note: str = "", now: dt.datetime | None = None) -> Dossier:
    """The leader signs the result: result ready (national status 9), the applicant is told."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.APPROVE, actor=actor, at=at) as change:
        dossier = change.obj
        unit_before = _finish(dossier, at=at, outcome=Outcome.APPROVED, status=Status.RESULT_READY)
        _save(dossier, _FINISH_FIELDS)
        event = change.record(
            unit_before=unit_before,
            unit_after=dossier.current_unit,
            note=note.strip(),
        )
        notify_applicant(dossier, "result_ready")
        notify_dossier_handoff(dossier, event)
    return dossier


def dossier_refuse(*, dossier: Dossier, actor, reason: str, now: dt.datetime | None = None) -> Dossier:
    """Refusal after appraisal (written reason) — due within the processing deadline
    (NĐ 61 Điều 19.8): after it, still allowed but flagged `refused_after_deadline`."""
    at = _now(now)
    reason = _required(reason, _("Nêu rõ lý do từ chối giải quyết."))
    with DOSSIER.perform(dossier, EventAction.REFUSE, actor=actor, at=at) as change:
        dossier = change.obj
        unit_before = _finish(dossier, at=at, outcome=Outcome.REFUSED, status=Status.RESULT_READY)
        dossier.outcome_reason = reason
        dossier.refused_after_deadline = at > dossier.due_at
        _save(dossier, [*_FINISH_FIELDS, "outcome_reason", "refused_after_deadline"])
        if dossier.refused_after_deadline:
            change.warn(_("Văn bản từ chối được ban hành sau thời hạn giải quyết."))
        event = change.record(
            unit_before=unit_before,
            unit_after=dossier.current_unit,
            note=" ".join([reason, *dossier.transition_warnings]),
        )
        notify_applicant(dossier, "refused")
        notify_dossier_handoff(dossier, event)
    return dossier


def dossier_stop(
    *, dossier: Dossier, actor, reason: str, legal_basis: str, now: dt.datetime | None = None
) -> Dossier:
    """Thông báo dừng giải quyết hồ sơ (form 05): reason and legal basis; national status 8."""
    at = _now(now)
    reason = _required(reason, _("Nêu lý do dừng giải quyết."))
    legal_basis = _required(legal_basis, _("Nêu căn cứ pháp lý của việc dừng giải quyết."))
    with DOSSIER.perform(dossier, EventAction.STOP, actor=actor, at=at) as change:
        dossier = change.obj
        unit_before = _finish(dossier, at=at, outcome=Outcome.STOPPED, status=Status.STOPPED)
        dossier.outcome_reason = reason
        dossier.outcome_legal_basis = legal_basis
        dossier.stop_notice_number = f"TB-{dossier.code}"
        _save(dossier, [*_FINISH_FIELDS, "outcome_reason", "outcome_legal_basis", "stop_notice_number"])
        event = change.record(
            unit_before=unit_before,
            unit_after=dossier.current_unit,
            note=_("%(reason)s Căn cứ: %(basis)s") % {"reason": reason, "basis": legal_basis},
        )
        notify_applicant(dossier, "stopped")
        notify_dossier_handoff(dossier, event)
    return dossier


def dossier_withdraw(*, dossier: Dossier, actor, reason: str, now: dt.datetime | None = None) -> Dossier:
    """The applicant asks to withdraw the dossier (national status 7)."""
    at = _now(now)
    reason = _required(reason, _("Ghi nội dung đề nghị rút hồ sơ của người nộp."))
    with DOSSIER.perform(dossier, EventAction.WITHDRAW, actor=actor, at=at) as change:
        dossier = change.obj
        unit_before = _finish(dossier, at=at, outcome=Outcome.WITHDRAWN, status=Status.WITHDRAWN)
        dossier.outcome_reason = reason
        _save(dossier, [*_FINISH_FIELDS, "outcome_reason"])
        event = change.record(
            unit_before=unit_before,
            unit_after=dossier.current_unit,
            note=reason,
        )
        notify_applicant(dossier, "withdrawn")
        notify_dossier_handoff(dossier, event)
    return dossier


# --- apology ----------------------------------------------------------------------------------


def dossier_apologise(
    *, dossier: Dossier, actor, reason: str, new_due_at: dt.datetime, now: dt.datetime | None = None
) -> Apology:
    """Form 04: apology and a new appointment, once per dossier. `due_at` takes the new date;
    `original_due_at` keeps the statutory one, so the dossier still counts as late."""
    at = _now(now)
    reason = _required(reason, _("Nêu lý do chậm trả kết quả."))
    with DOSSIER.perform(dossier, EventAction.APOLOGISE, actor=actor, at=at) as change:
        dossier = change.obj
        if Apology.objects.filter(dossier=dossier).exists():
            raise TransitionError(
                _("Hồ sơ %s đã có văn bản xin lỗi và hẹn lại; chỉ được hẹn lại một lần.") % dossier.code
            )
        if new_due_at <= dossier.due_at or new_due_at <= at:
            raise TransitionError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại và sau thời điểm này."))
        calendar = _dossier_calendar(dossier)
        if not calendar.is_working_day(new_due_at.astimezone(TZ).date()):
            raise TransitionError(_("Ngày hẹn mới phải là một ngày làm việc."))
        notice = calendar.working_hours_between(at, dossier.due_at)
        late = notice < APOLOGY_NOTICE_WORKING_DAYS * HOURS_PER_WORKING_DAY
        apology = Apology(
            dossier=dossier,
            number=f"XL-{dossier.code}",
            reason=reason,
            previous_due_at=dossier.due_at,
            new_due_at=new_due_at,
            issued_at=at,
            issued_by=actor,
            late_notice=late,
        )
        apology.full_clean()
        apology.save()
        due_before = dossier.due_at
        dossier.due_at = new_due_at
        _save(dossier, ["due_at"])
        note = reason
        if late:
            warning = (
                _("Văn bản xin lỗi được ban hành muộn: phải trước hạn ít nhất %s ngày làm việc.")
                % APOLOGY_NOTICE_WORKING_DAYS
            )
            note += " " + warning
            change.warn(warning)
        change.record(
            due_at_before=due_before,
            due_at_after=new_due_at,
            note=note,
        )
        notify_applicant(dossier, "apology")
    apology.dossier = dossier
    return apology


# --- return -----------------------------------------------------------------------------------


def dossier_return_result(
    *,
    dossier: Dossier,
    actor,
    collected_by_name: str = "",
    originals_returned: bool = False,
    postal_tracking_number: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Hand the result over: at the counter (who collected it, originals given back) or by
    post (the tracking number), following the delivery the applicant chose at intake."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.RETURN_RESULT, actor=actor, at=at) as change:
        dossier = change.obj
        if dossier.result_delivery == ResultDelivery.POST:
            postal_tracking_number = _required(
                postal_tracking_number, _("Nhập mã vận đơn bưu chính của bưu gửi kết quả.")
            )
            detail = _("Gửi qua bưu chính, mã vận đơn %s.") % postal_tracking_number
        else:
            collected_by_name = _required(collected_by_name, _("Nhập họ tên người nhận kết quả."))
            detail = _("Người nhận: %s.") % collected_by_name
            if originals_returned:
                detail += " " + _("Đã trả lại bản chính.")
        dossier.status = Status.RETURNED
        dossier.returned_at = at
        dossier.returned_by = actor
        dossier.collected_by_name = collected_by_name.strip()
        dossier.originals_returned = bool(originals_returned)
        dossier.postal_tracking_number = postal_tracking_number.strip()
        _save(
            dossier,
            [
                "status",
                "returned_at",
                "returned_by",
                "collected_by_name",
                "originals_returned",
                "postal_tracking_number",
            ],
        )
        change.record(
            note=" ".join(filter(None, [detail, note.strip()])),
        )
    return dossier


# The service function of each action (the detail page dispatches through it).
SERVICES = {
    EventAction.TRANSFER: dossier_transfer,
    EventAction.REQUEST_SUPPLEMENT: dossier_request_supplement,
    EventAction.RECEIVE_SUPPLEMENT: dossier_receive_supplement,
    EventAction.REQUEST_PAYMENT: dossier_request_payment,
    EventAction.RECEIVE_PAYMENT: dossier_receive_payment,
    EventAction.APPROVE: dossier_approve,
    EventAction.REFUSE: dossier_refuse,
    EventAction.STOP: dossier_stop,
    EventAction.WITHDRAW: dossier_withdraw,
    EventAction.APOLOGISE: dossier_apologise,
    EventAction.RETURN_RESULT: dossier_return_result,
}
