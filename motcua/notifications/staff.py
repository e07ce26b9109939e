"""Messages to members of staff when work changes hands: a dossier transferred to a unit or
assigned to an officer, a result ready for the counter to return, a supplement received for
its handler, a quarterly report returned or accepted.

Each goes to the notification centre (with a link: the dossier, or the `reference`) and by
e-mail when the officer has an address. Called by the services inside their transaction:
the rows roll back with it, the e-mails leave after commit (`notify`). The one who acted is
never told about their own action; a dedupe key per history row and recipient makes a rerun
send nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thutuc.accounts.roles import Role
from thutuc.models import User

from ..alerts import kinds
from ..models import EventAction, NotificationChannel
from .service import notify

PROCESSING_ROLES = (Role.SPECIALIST, Role.LEADER)


def _absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else ""


def staff_of(agency_id: int | None, roles: Iterable[str]) -> list[User]:
    """Active officers of one agency holding one of `roles` (one query)."""
    if agency_id is None:
        return []
    return list(
        User.objects.filter(agency_id=agency_id, is_active=True, groups__name__in=list(roles))
        .distinct()
        .order_by("pk")
    )


def send_to_staff(
    users: Iterable[User],
    *,
    kind: str,
    subject: str,
    body: str,
    link: str,
    key: str,
    actor=None,
    dossier=None,
    reference: str = "",
) -> int:
    """Record the in-app message (and the e-mail, for those with an address) for each user
    but the actor. Returns how many officers were told."""
    told = set()
    for user in users:
        if user.pk in told or (actor is not None and user.pk == actor.pk):
            continue
        told.add(user.pk)
        common = {
            "kind": kind,
            "subject": subject,
            "recipient": user,
            "dossier": dossier,
            "reference": reference,
        }
        notify(channel=NotificationChannel.IN_APP, body=body, dedupe_key=f"{key}:{user.pk}:in_app", **common)
        if user.email:
            text = "\n\n".join([body, _("Mở: %(url)s") % {"url": _absolute(link)}])
            notify(
                channel=NotificationChannel.EMAIL, body=text, dedupe_key=f"{key}:{user.pk}:email", **common
            )
    return len(told)


def _dossier_message(kind: str, dossier, event, **values) -> tuple[str, str]:
    values = {
        "code": dossier.code,
        "procedure": dossier.procedure_name,
        "actor": event.actor.get_full_name() if event.actor_id else "",
        "due": _when(dossier.due_at),
        "step_due": _when(event.step_due_at),
        "unit": str(dossier.current_unit or ""),
        **values,
    }
    subject = f"{kinds.LABELS[kind]}: {dossier.code}"
    if kind == kinds.HANDOFF_ASSIGN:
        lines = [_("%(actor)s phân công bạn xử lý hồ sơ %(code)s (%(procedure)s).")]
    elif kind == kinds.HANDOFF_TRANSFER:
        lines = [_("%(actor)s chuyển hồ sơ %(code)s (%(procedure)s) đến %(unit)s.")]
    elif kind == kinds.RESULT_TO_RETURN:
        lines = [
            _("Hồ sơ %(code)s (%(procedure)s) đã kết thúc xử lý: %(outcome)s."),
            _("Bộ phận một cửa trả kết quả (hoặc văn bản, hồ sơ) cho người nộp."),
        ]
    else:  # SUPPLEMENT_RECEIVED
        lines = [
            _("Đã nhận đủ hồ sơ bổ sung của hồ sơ %(code)s (%(procedure)s); thời hạn giải quyết tiếp tục."),
        ]
    if event.step_due_at:
        lines.append(_("Hạn của bước xử lý: %(step_due)s."))
    lines.append(_("Hẹn trả kết quả: %(due)s."))
    return subject, "\n".join(line % values for line in lines)


def notify_dossier_handoff(dossier, event, *, requested_by_id: int | None = None) -> int:
    """After a transition's history row is written: tell whoever has the dossier now.

    - transfer / assignment: the officer it was given to, else the unit's specialists and
      leaders;
    - a corrected competent agency: like a transfer, the new agency's staff;
    - approve, refuse, stop, withdraw, close: the reception officers of the receiving counter (the
      result, the refusal or the papers go back to the citizen there);
    - supplement received: its handler — the assignee and the officer who asked for it —
      else the unit's specialists and leaders."""
    link = reverse("motcua:dossier_detail", kwargs={"code": dossier.code})
    action = event.action
    extra = {}
    if action in (EventAction.TRANSFER, EventAction.ASSIGN, EventAction.CHANGE_COMPETENT):
        kind = kinds.HANDOFF_ASSIGN if event.recipient_id else kinds.HANDOFF_TRANSFER
        users = (
            [event.recipient] if event.recipient_id else staff_of(dossier.current_unit_id, PROCESSING_ROLES)
        )
    elif action in (
        EventAction.APPROVE,
        EventAction.REFUSE,
        EventAction.STOP,
        EventAction.WITHDRAW,
        EventAction.CLOSE,
    ):
        kind = kinds.RESULT_TO_RETURN
        users = staff_of(dossier.receiving_agency_id, (Role.RECEPTION,))
        extra["outcome"] = dossier.get_outcome_display().lower()
    elif action == EventAction.RECEIVE_SUPPLEMENT:
        kind = kinds.SUPPLEMENT_RECEIVED
        handler_ids = {pk for pk in (dossier.assignee_id, requested_by_id) if pk}
        handler_ids.discard(event.actor_id)
        users = list(User.objects.filter(pk__in=handler_ids, is_active=True)) if handler_ids else []
        if not users:
            users = staff_of(dossier.current_unit_id, PROCESSING_ROLES)
    else:
        return 0
    subject, body = _dossier_message(kind, dossier, event, **extra)
    return send_to_staff(
        users,
        kind=kind,
        subject=subject,
        body=body,
        link=link,
        key=f"handoff:{event.pk}",
        actor=event.actor,
        dossier=dossier,
    )


def notify_report_reviewed(report, event) -> int:
    """A quarterly report accepted or returned by Sở Nội vụ: tell the unit — who sent it, who
    drew it up, and the leaders of the reporting agency."""
    kind = kinds.REPORT_ACCEPTED if event.action == "accept" else kinds.REPORT_RETURNED
    values = {"quarter": report.quarter, "year": report.year, "agency": report.agency.name}
    subject = _("%(label)s: quý %(quarter)s/%(year)s") % {"label": kinds.LABELS[kind], **values}
    if kind == kinds.REPORT_ACCEPTED:
        body = _(
            "Sở Nội vụ đã tiếp nhận báo cáo cải cách hành chính quý %(quarter)s/%(year)s của %(agency)s."
        )
    else:
        body = _(
            "Sở Nội vụ trả lại báo cáo cải cách hành chính quý %(quarter)s/%(year)s của %(agency)s "
            "để chỉnh sửa. Lý do: %(comment)s"
        )
    body = body % {**values, "comment": report.return_comment}
    people = [u for u in (report.submitted_by, report.created_by) if u is not None]
    users = [*people, *staff_of(report.agency_id, (Role.LEADER,))]
    return send_to_staff(
        users,
        kind=kind,
        subject=subject,
        body=body,
        link=reverse("baocao:report_detail", kwargs={"pk": report.pk}),
        key=f"report:{event.pk}",
        actor=event.actor,
        reference=f"report:{report.pk}",
    )


def notify_report_submitted(report, event) -> int:
    """A unit sent (or sent again) its quarterly report: tell Sở Nội vụ (its officers with the
    role Cán bộ Sở Nội vụ), who accept or return it."""
    values = {"quarter": report.quarter, "year": report.year, "agency": report.agency.name}
    again = event.action == "resubmit"
    subject = _("%(agency)s gửi báo cáo quý %(quarter)s/%(year)s") % values
    body = (
        _("%(agency)s đã gửi lại báo cáo cải cách hành chính quý %(quarter)s/%(year)s sau khi chỉnh sửa.")
        if again
        else _("%(agency)s đã gửi báo cáo cải cách hành chính quý %(quarter)s/%(year)s.")
    ) % values
    users = User.objects.filter(is_active=True, groups__name=Role.HOME_AFFAIRS).distinct().order_by("pk")
    return send_to_staff(
        users,
        kind=kinds.REPORT_SUBMITTED,
        subject=subject,
        body=body,
        link=reverse("baocao:report_detail", kwargs={"pk": report.pk}),
        key=f"report:{event.pk}",
        actor=event.actor,
        reference=f"report:{report.pk}",
    )


def notify_report_due(agency, *, year: int, quarter: int, deadline) -> int:
    """Remind a unit that has not sent its quarterly report before `deadline` (its leaders).
    The dedupe key is the unit's and the quarter's: a rerun of the daily job, or a second
    worker, sends nothing twice."""
    values = {"quarter": quarter, "year": year, "deadline": formats.date_format(deadline, "d/m/Y")}
    subject = _("Hạn gửi báo cáo cải cách hành chính quý %(quarter)s/%(year)s: %(deadline)s") % values
    body = (
        _(
            "Đơn vị chưa gửi báo cáo cải cách hành chính quý %(quarter)s/%(year)s đến Sở Nội vụ. "
            "Hạn gửi: %(deadline)s."
        )
        % values
    )
    return send_to_staff(
        staff_of(agency.pk, (Role.LEADER,)),
        kind=kinds.REPORT_REMINDER,
        subject=subject,
        body=body,
        link=reverse("baocao:index"),
        key=f"report-reminder:{year}-q{quarter}:{agency.pk}",
        reference=f"report-reminder:{year}-q{quarter}:{agency.pk}",
    )
