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
3 working days, an apology issued later than the working day before the deadline, a refusal
after the deadline, a transfer after its deadline) do not stop the transition: they are
stored as flags on the records (or in the event's note) and returned in
`dossier.transition_warnings` (the frame's `change.warn`) for the page to show.

The rules of NĐ 118/2025/NĐ-CP applied here, each with its article beside it: one complete
supplement request, issued by the competent agency through the one-stop, the clock counted
again from the start once it is complete, the dossier closed 15 days later without it
(Điều 11 khoản 2 điểm c, Điều 19 khoản 5); the refusal after appraisal with its own notice
(Điều 19 khoản 3); one apology with a request for more time, by the competent agency, by the
working day before the deadline (Điều 19 khoản 6); the stop at the applicant's request until
the decision, with the fees to give back (Điều 21); the hand-over to the competent agency
and its receipt as two moments (Điều 18 khoản 2, Điều 20 khoản 1); the competent agency
corrected by a recorded action (Điều 20).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.workflow import Transition, TransitionError, Workflow, table, transition
from thutuc import deadlines as rules
from thutuc.accounts.roles import Role, user_roles
from thutuc.accounts.visibility import can_see_agency
from thutuc.calendar import HOURS_PER_WORKING_DAY, TZ
from thutuc.calendar_store import get_calendar
from thutuc.competence import AgencyTree
from thutuc.deadlines import CLOCK_RESTART
from thutuc.models import Agency, CaseVersionStep, User

from ..models import (
    Apology,
    Dossier,
    DossierEvent,
    EventAction,
    Outcome,
    PaymentMethod,
    ResultDelivery,
    Status,
    SupplementRequest,
)
from ..notifications.applicant import notify_applicant
from ..notifications.staff import notify_dossier_handoff
from . import fees
from .routing import step_unit_id

# --- rules with a legal basis ------------------------------------------------------------------
# A supplement after acceptance is requested within 3 working days of receipt unless a sector
# law says otherwise (NĐ 118/2025/NĐ-CP Điều 19 khoản 5). Later: warned, not refused.
SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS = 3
# The apology with a request for more time: once per dossier, on the working day before the
# deadline at the latest (NĐ 118/2025/NĐ-CP Điều 19 khoản 6; thutuc.deadlines.apology_in_time).
# Later: warned and flagged `late_notice`, not refused (a late apology is still owed).


# --- the state machine as data ---------------------------------------------------------------
# Scope of each role: reception acts on dossiers received by its agency (the counter), the
# processing roles on dossiers currently in their unit (thutuc.accounts.visibility).
SCOPE_RECEIVING, SCOPE_CURRENT_UNIT, SCOPE_COMPETENT = "receiving_agency", "current_unit", "competent_agency"
ROLE_SCOPE = {
    Role.RECEPTION: SCOPE_RECEIVING,
    Role.SPECIALIST: SCOPE_CURRENT_UNIT,
    Role.LEADER: SCOPE_CURRENT_UNIT,
}
# Where an action's scope differs from the role's: the apology is written by the competent
# agency (NĐ 118/2025 Điều 19 khoản 6), whichever of its units holds the dossier.
ACTION_SCOPE = {(EventAction.APOLOGISE, Role.LEADER): SCOPE_COMPETENT}
# Performed by the portal itself (the daily job), never by a member of staff.
SYSTEM_ACTIONS = frozenset({EventAction.CLOSE})

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
        EventAction.RECEIVE_TRANSFER,
        gettext_lazy("Xác nhận đã nhận hồ sơ được chuyển đến"),
        (P,),
        None,
        (Role.SPECIALIST, Role.LEADER),
    ),
    _t(
        EventAction.CHANGE_COMPETENT,
        gettext_lazy("Điều chỉnh cơ quan giải quyết"),
        (R, P, WS, WP),
        None,
        (Role.RECEPTION, Role.LEADER),
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
    # Điều 21 khoản 1: stopped at the applicant's request, from the receipt until the decision.
    _t(
        EventAction.WITHDRAW,
        gettext_lazy("Dừng giải quyết theo yêu cầu của người nộp (rút hồ sơ)"),
        (R, P, WS, WP),
        Status.WITHDRAWN,
        (Role.RECEPTION, Role.LEADER),
    ),
    # Điều 19 khoản 5: 15 days without the supplement, the dossier is closed (the daily job).
    _t(EventAction.CLOSE, gettext_lazy("Đóng hồ sơ do không bổ sung"), (WS,), Status.STOPPED, ()),
    _t(
        EventAction.APOLOGISE,
        gettext_lazy("Xin lỗi và đề nghị gia hạn thời gian giải quyết"),
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
    agency_id = {
        SCOPE_RECEIVING: dossier.receiving_agency_id,
        SCOPE_CURRENT_UNIT: dossier.current_unit_id,
        SCOPE_COMPETENT: dossier.competent_agency_id,
    }[scope]
    return can_see_agency(user, agency_id)


def may_act(user, dossier: Dossier, action: str) -> bool:
    """Whether `user` holds a role allowed to perform `action` on this dossier (status aside)."""
    if user is None or not user.is_authenticated or not user.is_active or action in SYSTEM_ACTIONS:
        return False
    transition = TRANSITIONS[action]
    if user.is_superuser:
        return True
    roles = user_roles(user)
    return any(
        role in roles and _in_scope(user, dossier, ACTION_SCOPE.get((action, role), ROLE_SCOPE[role]))
        for role in transition.rights
    )


def _done_once(dossier: Dossier) -> set[str]:
    """The once-only actions already done on the dossier: one apology (Điều 19 khoản 6), one
    supplement request (Điều 11 khoản 2 điểm c, Điều 19 khoản 5), one acknowledged transfer."""
    done = set()
    if Apology.objects.filter(dossier_id=dossier.pk).exists():
        done.add(EventAction.APOLOGISE)
    if SupplementRequest.objects.filter(dossier_id=dossier.pk).exists():
        done.add(EventAction.REQUEST_SUPPLEMENT)
    if dossier.handed_over_at is None or dossier.transfer_received_at is not None:
        done.add(EventAction.RECEIVE_TRANSFER)
    return done


def available_actions(user, dossier: Dossier) -> list[Transition]:
    """The transitions this user may perform on the dossier in its current status."""
    actions = [
        t for t in TRANSITIONS.values() if dossier.status in t.sources and may_act(user, dossier, t.action)
    ]
    once = {EventAction.APOLOGISE, EventAction.REQUEST_SUPPLEMENT, EventAction.RECEIVE_TRANSFER}
    if any(t.action in once for t in actions):
        done = _done_once(dossier)
        actions = [t for t in actions if t.action not in done]
    return actions


# --- the workflow frame (core.workflow) -----------------------------------------------------


def _refusal(actor, dossier: Dossier, transition: Transition) -> str:
    if transition.action in SYSTEM_ACTIONS:
        return "" if actor is None else _("Thao tác này do hệ thống thực hiện.")
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


def _moment(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


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


def step_unit(dossier: Dossier, step: CaseVersionStep, *, tree: AgencyTree | None = None) -> Agency:
    """The agency doing `step` for this dossier (motcua.services.routing): the receiving
    counter for a counter step, the dossier's competent agency for a step without a unit or
    at a unit of the catalogue's competent agency when the dossier is decided elsewhere."""
    unit_id = step_unit_id(
        step,
        catalogue_competent_id=dossier.procedure.competent_agency_id,
        competent_id=dossier.competent_agency_id,
        receiving_id=dossier.receiving_agency_id,
        tree=tree or AgencyTree.current(),
    )
    for known in (step.agency, dossier.competent_agency, dossier.receiving_agency):
        if known is not None and known.pk == unit_id:
            return known
    return Agency.objects.get(pk=unit_id)


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
        # An agency ended by a reorganisation takes no more dossiers (issue 18): read again
        # under the dossier's lock, as a reorganisation may have ended it a moment ago.
        if not Agency.objects.in_force(timezone.localdate(at)).filter(pk=unit.pk).exists():
            raise TransitionError(_("Đơn vị %s đã ngừng hoạt động.") % unit)
        if recipient is not None and recipient.agency_id != unit.pk:
            raise TransitionError(
                _("Cán bộ %(name)s không thuộc %(unit)s.") % {"name": recipient.get_full_name(), "unit": unit}
            )
        if recipient is not None and not recipient.is_active:
            raise TransitionError(_("Tài khoản cán bộ nhận đã bị khóa."))
        status_before, unit_before = dossier.status, dossier.current_unit
        fields = ["status", "current_unit", "assignee", "current_step", "step_due_at"]
        if status_before == Status.RECEIVED:
            # The counter's hand-off. Intake already names the first step's unit as
            # current_unit, but the papers are still at the counter: this is the transfer
            # (the register's "transferred" date, the citizen's timeline), never an assignment.
            unit_before = dossier.receiving_agency
            # The hand-over to the competent agency, the first of the two moments (the
            # second: its receipt, dossier_receive_transfer). NĐ 118/2025 Điều 18 khoản 2,
            # Điều 20 khoản 1 điểm a: late past `transfer_due_at`, warned.
            dossier.handed_over_at = at
            fields.append("handed_over_at")
            if dossier.transfer_due_at is not None and at > dossier.transfer_due_at:
                change.warn(
                    _("Hồ sơ được chuyển sau thời hạn chuyển (%(due)s).")
                    % {"due": _moment(dossier.transfer_due_at)}
                )
        step_due = None
        if step is not None:
            step_due = rules.step_due_at(get_calendar(unit), step, at)
        action = EventAction.ASSIGN if unit_before is not None and unit_before.pk == unit.pk else None
        dossier.status = Status.PROCESSING
        dossier.current_unit = unit
        dossier.assignee = recipient
        dossier.current_step = step
        dossier.step_due_at = step_due
        _save(dossier, fields)
        event = change.record(
            action=action or EventAction.TRANSFER,
            unit_before=unit_before,
            unit_after=unit,
            recipient=recipient,
            step=step,
            step_due_at=step_due,
            note=" ".join(filter(None, [note.strip(), *dossier.transition_warnings])),
        )
        notify_dossier_handoff(dossier, event)
    return dossier


def dossier_receive_transfer(
    *, dossier: Dossier, actor, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """The competent agency acknowledges the dossier the counter handed over: the second of
    the two moments of the transfer (NĐ 118/2025 Điều 18, Điều 20 khoản 1 điểm a)."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.RECEIVE_TRANSFER, actor=actor, at=at) as change:
        dossier = change.obj
        if dossier.handed_over_at is None:
            raise TransitionError(_("Hồ sơ %s chưa được bộ phận một cửa bàn giao.") % dossier.code)
        if dossier.transfer_received_at is not None:
            raise TransitionError(
                _("Đã xác nhận nhận hồ sơ %(code)s lúc %(at)s.")
                % {"code": dossier.code, "at": _moment(dossier.transfer_received_at)}
            )
        dossier.transfer_received_at = at
        _save(dossier, ["transfer_received_at"])
        change.record(unit_before=dossier.current_unit, unit_after=dossier.current_unit, note=note.strip())
    return dossier


def dossier_change_competent(
    *, dossier: Dossier, actor, competent_agency: Agency, reason: str, now: dt.datetime | None = None
) -> Dossier:
    """Correct the competent agency chosen at intake (NĐ 118/2025 Điều 20): recorded with the
    old and new agencies and the reason. The dossier is routed to the new agency's first
    step — still at the counter if it was not handed over yet. The code printed on the
    receipt stays (Điều 28 khoản 1: one code for the whole life of the dossier)."""
    at = _now(now)
    reason = _required(reason, _("Nêu lý do điều chỉnh cơ quan giải quyết."))
    with DOSSIER.perform(dossier, EventAction.CHANGE_COMPETENT, actor=actor, at=at) as change:
        dossier = change.obj
        old = dossier.competent_agency
        if competent_agency.pk == old.pk:
            raise TransitionError(_("Cơ quan giải quyết được chọn trùng với cơ quan hiện tại."))
        # Read again under the dossier's lock: a reorganisation may have ended it (issue 18).
        if not Agency.objects.in_force(timezone.localdate(at)).filter(pk=competent_agency.pk).exists():
            raise TransitionError(_("Cơ quan %s đã ngừng hoạt động.") % competent_agency)
        unit_before = dossier.current_unit
        dossier.competent_agency = competent_agency
        tree = AgencyTree.current()
        fields = ["competent_agency", "current_unit", "assignee", "current_step", "step_due_at"]
        if dossier.status == Status.RECEIVED:
            # Not handed over yet: routed again from the first step; its transfer deadline
            # follows the new agency's level.
            first = dossier.case_version.steps.order_by("order", "pk").first()
            dossier.current_unit = step_unit(dossier, first, tree=tree) if first else competent_agency
            dossier.current_step = first
            dossier.step_due_at = (
                rules.step_due_at(_dossier_calendar(dossier), first, dossier.received_at) if first else None
            )
            if dossier.transfer_due_at is not None:
                dossier.transfer_due_at = rules.transfer_due_at(
                    _dossier_calendar(dossier),
                    dossier.received_at,
                    across_levels=tree.across_levels(dossier.receiving_agency_id, competent_agency.pk),
                )
                fields.append("transfer_due_at")
        else:
            # Already with an agency: it goes to the new one, which acknowledges it again.
            dossier.current_unit = competent_agency
            dossier.current_step = None
            dossier.step_due_at = None
            if dossier.handed_over_at is not None:
                dossier.transfer_received_at = None
                fields.append("transfer_received_at")
        dossier.assignee = None
        _save(dossier, fields)
        event = change.record(
            unit_before=unit_before,
            unit_after=dossier.current_unit,
            note=_("Cơ quan giải quyết: %(old)s → %(new)s. Lý do: %(reason)s")
            % {"old": old.name, "new": competent_agency.name, "reason": reason},
        )
        if dossier.status != Status.RECEIVED:
            notify_dossier_handoff(dossier, event)
    return dossier


# --- supplement -----------------------------------------------------------------------------


COUNT_FIELDS = ("originals", "certified_copies", "photocopies")


def supplement_items(items) -> list[dict]:
    """Every missing item with its counts (TT 03/2025 form 02: the paper and how many
    originals, certified copies and photocopies), as stored on the request. An item is a
    mapping (or has `as_dict()`, like intake's ReceivedDocument) with a name and the counts;
    an item without any copy asked for is refused: the citizen must know what to bring."""
    rows = []
    for item in items:
        item = item.as_dict() if hasattr(item, "as_dict") else item
        if not isinstance(item, dict):
            raise TransitionError(_("Mỗi giấy tờ cần bổ sung phải ghi rõ tên và số lượng bản."))
        name = str(item.get("name") or "").strip()
        if not name:
            continue
        try:
            counts = {field: int(item.get(field) or 0) for field in COUNT_FIELDS}
        except (TypeError, ValueError):
            raise TransitionError(_("Số lượng bản của “%s” phải là số.") % name) from None
        if any(count < 0 or count > 99 for count in counts.values()):
            raise TransitionError(_("Số lượng bản của “%s” phải từ 0 đến 99.") % name)
        if not any(counts.values()):
            raise TransitionError(
                _("Ghi số lượng bản chính, bản sao chứng thực hoặc bản photo cần bổ sung của “%s”.") % name
            )
        rows.append({"name": name[:500], **counts})
    return rows


def _items_text(rows: list[dict]) -> str:
    parts = []
    for row in rows:
        counts = [
            label % row[field]
            for field, label in zip(
                COUNT_FIELDS, (_("%s bản chính"), _("%s bản sao chứng thực"), _("%s bản photo")), strict=True
            )
            if row.get(field)
        ]
        parts.append(f"{row['name']} ({', '.join(counts)})" if counts else row["name"])
    return "; ".join(parts)


def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor,
    items: list,
    reason: str,
    reply_due_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> SupplementRequest:
    """Form 02 after acceptance (NĐ 118/2025/NĐ-CP Điều 19 khoản 5): the competent agency
    asks, through the one-stop, for every missing item at once, with counts, and a reason.

    Only one request per dossier (Điều 11 khoản 2 điểm c: "chỉ được yêu cầu sửa đổi, bổ sung
    một lần"; Điều 17 khoản 1 điểm c): a second one is refused. The clock counts again from
    the start once the supplement is complete; without it, the dossier is closed
    `thutuc.deadlines.supplement_close_at` (15 days, or a later date a sector law gives as
    `reply_due_at`)."""
    at = _now(now)
    rows = supplement_items(items)
    if not rows:
        raise TransitionError(_("Liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện (một lần)."))
    reason = _required(reason, _("Nêu lý do yêu cầu bổ sung."))
    close_floor = rules.supplement_close_at(at)
    if reply_due_at is not None and reply_due_at < close_floor:
        raise TransitionError(
            _(
                "Hạn nộp bổ sung không được sớm hơn %(days)s ngày kể từ ngày thông báo (%(date)s), "
                "trừ khi pháp luật chuyên ngành quy định thời hạn dài hơn."
            )
            % {"days": rules.SUPPLEMENT_CLOSE_AFTER_DAYS, "date": _moment(close_floor)}
        )
    with DOSSIER.perform(dossier, EventAction.REQUEST_SUPPLEMENT, actor=actor, at=at) as change:
        dossier = change.obj
        earlier = SupplementRequest.objects.filter(dossier=dossier).order_by("requested_at").first()
        if earlier is not None:
            raise TransitionError(
                _(
                    "Hồ sơ %(code)s đã được yêu cầu bổ sung, hoàn thiện một lần (phiếu %(number)s, "
                    "ngày %(date)s). Theo quy định, chỉ được yêu cầu bổ sung, hoàn thiện hồ sơ một "
                    "lần, đầy đủ: không lập thêm phiếu yêu cầu bổ sung."
                )
                % {
                    "code": dossier.code,
                    "number": earlier.number,
                    "date": timezone.localtime(earlier.requested_at).strftime("%d/%m/%Y"),
                }
            )
        elapsed = _dossier_calendar(dossier).working_hours_between(dossier.received_at, at)
        late = elapsed > SUPPLEMENT_REQUEST_WINDOW_WORKING_DAYS * HOURS_PER_WORKING_DAY
        request = SupplementRequest(
            dossier=dossier,
            number=f"01/BS-{dossier.code}",
            items=rows,
            reason=reason,
            requested_at=at,
            requested_by=actor,
            issuing_agency_id=dossier.competent_agency_id,
            reply_due_at=reply_due_at or close_floor,
            late_request=late,
        )
        request.full_clean()
        request.save()
        dossier.status = Status.WAITING_SUPPLEMENT
        _save(dossier, ["status"])
        note = _("Phiếu %(number)s: %(items)s. Lý do: %(reason)s") % {
            "number": request.number,
            "items": _items_text(rows),
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


def dossier_receive_supplement(
    *, dossier: Dossier, actor, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """The complete supplement arrived: the clock counts again from the start at this moment
    (NĐ 118/2025/NĐ-CP Điều 19 khoản 5: "Thời hạn giải quyết được tính lại từ đầu sau khi
    nhận đủ hồ sơ"), with the receiving agency's calendar and the case's cut-off."""
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
        request.clock_policy = CLOCK_RESTART
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
        event = change.record(
            unit_before=dossier.current_unit,
            unit_after=dossier.current_unit,
            due_at_before=due_before,
            due_at_after=new_due,
            note=" ".join(filter(None, [_("Thời hạn giải quyết được tính lại từ đầu."), note.strip()])),
        )
        notify_dossier_handoff(dossier, event, requested_by_id=request.requested_by_id)
    return dossier


def dossier_close_unsupplemented(*, dossier: Dossier, now: dt.datetime | None = None) -> Dossier:
    """The counter closes a dossier whose supplement has not arrived 15 days after the request
    (or by the later date a sector law gave): NĐ 118/2025/NĐ-CP Điều 19 khoản 5, "thực hiện
    đóng hồ sơ". Run by the daily job (`motcua.services.supplement_close`), never by hand.
    The dossier ends as stopped (national code 8, outcome `closed`), goes back to the counter
    and the applicant is told why."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.CLOSE, actor=None, at=at) as change:
        dossier = change.obj
        request = (
            SupplementRequest.objects.filter(dossier=dossier, fulfilled_at__isnull=True)
            .order_by("-requested_at")
            .first()
        )
        if request is None:
            raise TransitionError(_("Không tìm thấy yêu cầu bổ sung đang chờ của hồ sơ này."))
        close_at = request.close_at
        if at < close_at:
            raise TransitionError(
                _("Chưa hết hạn bổ sung hồ sơ %(code)s (%(date)s).")
                % {"code": dossier.code, "date": _moment(close_at)}
            )
        reason = _(
            "Quá thời hạn bổ sung, hoàn thiện hồ sơ theo phiếu %(number)s ngày %(date)s "
            "(hạn %(due)s) mà người nộp chưa bổ sung."
        ) % {
            "number": request.number,
            "date": timezone.localtime(request.requested_at).strftime("%d/%m/%Y"),
            "due": _moment(close_at),
        }
        unit_before = _finish(dossier, at=at, outcome=Outcome.CLOSED, status=Status.STOPPED)
        dossier.outcome_reason = reason
        _save(dossier, [*_FINISH_FIELDS, "outcome_reason"])
        event = change.record(unit_before=unit_before, unit_after=dossier.current_unit, note=reason)
        notify_applicant(dossier, "closed")
        notify_dossier_handoff(dossier, event)
    return dossier


# --- fees -------------------------------------------------------------------------------------


def _ledger(write, **kwargs):
    """A fee ledger write inside the transition: its refusal is the transition's."""
    try:
        return write(**kwargs)
    except fees.FeeError as exc:
        raise TransitionError(str(exc)) from None


def dossier_request_payment(
    *, dossier: Dossier, actor, amount: Decimal | None = None, note: str = "", now: dt.datetime | None = None
) -> Dossier:
    """National status 6: the applicant must pay fees or taxes before the result."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.REQUEST_PAYMENT, actor=actor, at=at) as change:
        dossier = change.obj
        dossier.status = Status.WAITING_PAYMENT
        _save(dossier, ["status"])
        text = ""
        if amount:
            # the amount is a line due of the fee ledger (motcua.services.fees); the note says it
            _ledger(
                fees.fee_add_due,
                dossier=dossier,
                amount=amount,
                label=note.strip() or "",
                actor=actor,
                now=at,
            )
            text = _("Số tiền: %s (ghi vào sổ phí, lệ phí).") % fees.format_dong(amount)
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
        text = ""
        if receipt_number.strip():
            # what is still due, paid at the counter against this receipt (the fee ledger)
            balance = fees.ledger_of(dossier).balance
            if balance:
                _ledger(
                    fees.fee_record_payment,
                    dossier=dossier,
                    amount=balance,
                    method=PaymentMethod.CASH,
                    receipt_number=receipt_number,
                    actor=actor,
                    now=at,
                )
            text = _("Biên lai số %s.") % receipt_number.strip()
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
    """Refusal after appraisal (NĐ 118/2025/NĐ-CP Điều 19 khoản 3): the competent agency
    returns the dossier with a written notice stating why ("Phiếu từ chối giải quyết hồ sơ",
    numbered `refusal_notice_number`, printed from the dossier page), sent to the applicant
    through the one-stop and entered as the dossier's result (status 9, outcome refused).
    Due within the processing deadline: after it, still allowed but flagged
    `refused_after_deadline`."""
    at = _now(now)
    reason = _required(reason, _("Nêu rõ lý do từ chối giải quyết."))
    with DOSSIER.perform(dossier, EventAction.REFUSE, actor=actor, at=at) as change:
        dossier = change.obj
        unit_before = _finish(dossier, at=at, outcome=Outcome.REFUSED, status=Status.RESULT_READY)
        dossier.outcome_reason = reason
        dossier.refusal_notice_number = f"TCGQ-{dossier.code}"
        dossier.refused_after_deadline = at > dossier.due_at
        _save(dossier, [*_FINISH_FIELDS, "outcome_reason", "refusal_notice_number", "refused_after_deadline"])
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


def dossier_withdraw(
    *,
    dossier: Dossier,
    actor,
    reason: str,
    fees_to_refund: Decimal | None = None,
    refund_note: str = "",
    now: dt.datetime | None = None,
) -> Dossier:
    """Processing stops at the applicant's request (NĐ 118/2025/NĐ-CP Điều 21 khoản 1): from
    the receipt until the decision (once the result is ready it is too late: the table's
    sources). The notice of TT 03/2025 form 05 ("Thông báo dừng giải quyết hồ sơ") is
    numbered and printed, and the fees and charges to give back are recorded ("Việc trả lại
    hồ sơ giấy và phí, lệ phí (nếu có)"). National status 7."""
    at = _now(now)
    reason = _required(reason, _("Ghi nội dung đề nghị dừng giải quyết (rút hồ sơ) của người nộp."))
    if fees_to_refund is not None and fees_to_refund < 0:
        raise TransitionError(_("Số tiền phí, lệ phí hoàn trả không được âm."))
    with DOSSIER.perform(dossier, EventAction.WITHDRAW, actor=actor, at=at) as change:
        dossier = change.obj
        unit_before = _finish(dossier, at=at, outcome=Outcome.WITHDRAWN, status=Status.WITHDRAWN)
        dossier.outcome_reason = reason
        dossier.stop_notice_number = f"TB-{dossier.code}"
        dossier.fee_refund_amount = fees_to_refund
        dossier.fee_refund_note = refund_note.strip()[:500]
        _save(
            dossier,
            [*_FINISH_FIELDS, "outcome_reason", "stop_notice_number", "fee_refund_amount", "fee_refund_note"],
        )
        refund = ""
        if fees_to_refund:
            # the money given back is a refund row of the fee ledger, at most what was paid
            _ledger(
                fees.fee_refund,
                dossier=dossier,
                amount=fees_to_refund,
                reason=" ".join(
                    filter(None, [_("Dừng giải quyết theo yêu cầu của người nộp."), refund_note.strip()])
                ),
                actor=actor,
                now=at,
            )
        if fees_to_refund is not None:
            refund = _("Phí, lệ phí hoàn trả: %s đồng.") % f"{fees_to_refund:,.0f}".replace(",", ".")
        event = change.record(
            unit_before=unit_before,
            unit_after=dossier.current_unit,
            note=" ".join(filter(None, [reason, refund, dossier.fee_refund_note])),
        )
        notify_applicant(dossier, "withdrawn")
        notify_dossier_handoff(dossier, event)
    return dossier


# --- apology ----------------------------------------------------------------------------------


def dossier_apologise(
    *, dossier: Dossier, actor, reason: str, new_due_at: dt.datetime, now: dt.datetime | None = None
) -> Apology:
    """Form 04 (TT 03/2025: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"; NĐ
    118/2025/NĐ-CP Điều 19 khoản 6): written by the competent agency to the one-stop and the
    applicant, once per dossier ("không quá một lần"), on the working day before the deadline
    at the latest (counted in days; later: warned and flagged). `due_at` takes the new date;
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
        last_day = rules.apology_last_day(calendar, dossier.due_at)
        late = not rules.apology_in_time(calendar, at, dossier.due_at)
        apology = Apology(
            dossier=dossier,
            number=f"XL-{dossier.code}",
            reason=reason,
            previous_due_at=dossier.due_at,
            new_due_at=new_due_at,
            issued_at=at,
            issued_by=actor,
            issuing_agency_id=dossier.competent_agency_id,
            late_notice=late,
        )
        apology.full_clean()
        apology.save()
        due_before = dossier.due_at
        dossier.due_at = new_due_at
        _save(dossier, ["due_at"])
        note = reason
        if late:
            warning = _(
                "Văn bản xin lỗi được ban hành muộn: chậm nhất phải ban hành ngày %s "
                "(ngày làm việc trước ngày hẹn trả kết quả)."
            ) % last_day.strftime("%d/%m/%Y")
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
    """Hand the result over: at the counter (who collected it, originals given back), by
    post (the tracking number) or electronically on the national portal, following the
    delivery the applicant chose at intake."""
    at = _now(now)
    with DOSSIER.perform(dossier, EventAction.RETURN_RESULT, actor=actor, at=at) as change:
        dossier = change.obj
        if dossier.result_delivery == ResultDelivery.POST:
            postal_tracking_number = _required(
                postal_tracking_number, _("Nhập mã vận đơn bưu chính của bưu gửi kết quả.")
            )
            detail = _("Gửi qua bưu chính, mã vận đơn %s.") % postal_tracking_number
        elif dossier.result_delivery == ResultDelivery.ONLINE:
            # the electronic result, returned on the national portal (NĐ 118/2025/NĐ-CP Điều 22
            # khoản 3): nobody collects it at the counter
            detail = _("Trả kết quả điện tử trên Cổng Dịch vụ công quốc gia.")
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
    EventAction.RECEIVE_TRANSFER: dossier_receive_transfer,
    EventAction.CHANGE_COMPETENT: dossier_change_competent,
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
