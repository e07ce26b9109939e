"""A reorganisation as one operation (issue 18): an agency ends on a decision's effective
date (merger, split, the end of the district level on 30/06/2025) and what it held passes to
its successors.

`preview(reorganisation=...)` says what would move where (counts per successor, staff,
catalogue links, problems that block it); `apply(reorganisation=..., actor=...)` does it in
one transaction or not at all:

- every open dossier whose competent agency or current unit is the ended agency (or one of
  its units) goes to exactly one successor, chosen by the rule (thutuc.models.SuccessionRule:
  all to the main successor; by the applicant's commune; by procedure; by an explicit list
  of codes — what no share takes goes to the main successor). Its competent agency and
  current unit change; the receiving counter stays as history, the code and the appointment
  stay (NĐ 118/2025/NĐ-CP Điều 28 khoản 1: one code for the dossier's whole life). Each
  dossier gets one history event naming the decision and one `DossierSuccession` row,
  which the reports read to count it with the agency competent at the end of each period;
- the staff accounts of the ended agency move to the main successor (with their roles) or
  are closed;
- the catalogue's links (competent agency, receiving agencies, routing steps) to the ended
  agency and its units are rewritten to the successors;
- the ended agency and its units end the day before the effective date (valid_to, no longer
  active, no new dossiers) and name the main successor, whose staff see their history.

Register books and code sequences need no rewriting: each counter keeps its own yearly book
and each agency its own daily code sequence, so the ended counter's book simply stops at its
last number and the successor's continues from its own (the unique constraints are per
agency).

The dossier rows are locked (`select_for_update`, in primary-key order) before they are
read for the last time, so an officer acting on one of them at the same moment either goes
first (and the operation sees the result: a finished dossier stays where it is) or waits and
then finds the dossier with its new agency.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thutuc.accounts import access
from thutuc.models import (
    Agency,
    Procedure,
    ProcedureStep,
    Reorganisation,
    StaffPolicy,
    SuccessionRule,
    User,
)

from ..models import Dossier, DossierSuccession, EventAction
from ..models.dossier import OPEN_STATUSES
from .transitions import DOSSIER


class ReorganisationError(ValidationError):
    """The operation cannot run (a Vietnamese message for the administrator)."""


@dataclass
class Preview:
    reorganisation: Reorganisation
    # dossier id -> successor id, for every open dossier that moves
    targets: dict[int, int] = field(default_factory=dict)
    successors: dict[int, Agency] = field(default_factory=dict)
    staff: int = 0
    procedures: int = 0
    ended_units: list[Agency] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> list[tuple[Agency, int]]:
        """(successor, number of open dossiers it receives), every successor listed."""
        counted = Counter(self.targets.values())
        return [(agency, counted.get(pk, 0)) for pk, agency in self.successors.items()]

    @property
    def total(self) -> int:
        return len(self.targets)


def ended_agency_ids(reorganisation: Reorganisation) -> set[int]:
    """The ended agency and every unit below it."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    seen, stack = set(), [reorganisation.predecessor_id]
    while stack:
        pk = stack.pop()
        if pk not in seen:
            seen.add(pk)
            stack.extend(children.get(pk, ()))
    return seen


def _dossiers(ids: set[int]):
    return Dossier.objects.filter(
        Q(competent_agency_id__in=ids) | Q(current_unit_id__in=ids), status__in=OPEN_STATUSES
    ).order_by("pk")


class _Router:
    """The rule of one reorganisation: which successor takes a dossier."""

    def __init__(self, reorganisation: Reorganisation, preview: Preview):
        self.rule = reorganisation.rule
        self.main_id = reorganisation.main_successor_id
        self.by_key: dict = {}
        shares = list(
            reorganisation.shares.select_related("successor").prefetch_related("communes", "procedures")
        )
        for share in shares:
            preview.successors.setdefault(share.successor_id, share.successor)
            if self.rule == SuccessionRule.BY_COMMUNE:
                keys, label = [c.pk for c in share.communes.all()], lambda k: Agency.objects.get(pk=k).name
            elif self.rule == SuccessionRule.BY_PROCEDURE:
                keys, label = (
                    [p.pk for p in share.procedures.all()],
                    lambda k: Procedure.objects.get(pk=k).code,
                )
            elif self.rule == SuccessionRule.EXPLICIT:
                keys, label = share.code_list, str
            else:
                keys, label = [], str
            for key in keys:
                other = self.by_key.setdefault(key, share.successor_id)
                if other != share.successor_id:
                    preview.problems.append(
                        _("“%(key)s” được giao cho hai cơ quan kế thừa khác nhau.") % {"key": label(key)}
                    )
        if self.rule != SuccessionRule.SINGLE and not shares:
            preview.problems.append(_("Quy tắc phân chia cần ít nhất một phần kế thừa."))

    def target(self, dossier: Dossier) -> int:
        key = {
            SuccessionRule.BY_COMMUNE: dossier.applicant_commune_id,
            SuccessionRule.BY_PROCEDURE: dossier.procedure_id,
            SuccessionRule.EXPLICIT: dossier.code,
        }.get(self.rule)
        return self.by_key.get(key, self.main_id)


def _check(reorganisation: Reorganisation, ids: set[int], preview: Preview, today: dt.date) -> None:
    if reorganisation.applied_at is not None:
        # Carried out already. A dossier accepted at the old counter while it ran (intake
        # takes no lock on the agency) may have stayed behind: carrying it out again moves
        # those, and nothing else changes (every other step finds nothing left to do).
        done = timezone.localtime(reorganisation.applied_at).strftime("%H:%M %d/%m/%Y")
        if preview.targets:
            preview.warnings.append(
                _(
                    "Quyết định đã được thực hiện lúc %(at)s; còn %(count)s hồ sơ đang giải quyết ở lại "
                    "cơ quan cũ (tiếp nhận trong lúc thực hiện): xác nhận để chuyển nốt."
                )
                % {"at": done, "count": len(preview.targets)}
            )
        else:
            preview.problems.append(
                _("Quyết định này đã được thực hiện lúc %s; không còn hồ sơ nào ở lại cơ quan cũ.") % done
            )
    if reorganisation.effective_date > today:
        preview.problems.append(
            _("Quyết định có hiệu lực từ ngày %s: chỉ thực hiện được từ ngày đó.")
            % f"{reorganisation.effective_date:%d/%m/%Y}"
        )
    for successor in preview.successors.values():
        if successor.pk in ids:
            preview.problems.append(
                _("Cơ quan kế thừa %s thuộc chính cơ quan kết thúc hoạt động.") % successor.name
            )
        elif not successor.is_in_force(reorganisation.effective_date):
            preview.problems.append(
                _("Cơ quan kế thừa %(name)s không hoạt động vào ngày %(day)s.")
                % {"name": successor.name, "day": f"{reorganisation.effective_date:%d/%m/%Y}"}
            )


def _preview(reorganisation: Reorganisation, dossiers, *, today: dt.date) -> Preview:
    preview = Preview(reorganisation=reorganisation)
    preview.successors[reorganisation.main_successor_id] = reorganisation.main_successor
    router = _Router(reorganisation, preview)
    ids = ended_agency_ids(reorganisation)
    preview.targets = {dossier.pk: router.target(dossier) for dossier in dossiers}
    _check(reorganisation, ids, preview, today)
    if reorganisation.rule == SuccessionRule.EXPLICIT:
        moving = {dossier.code for dossier in dossiers}
        unknown = sorted(code for code in router.by_key if code not in moving)
        if unknown:
            preview.warnings.append(
                _("Các mã không phải hồ sơ đang giải quyết của cơ quan này: %s.") % ", ".join(unknown)
            )
    preview.staff = User.objects.filter(agency_id__in=ids, is_active=True).count()
    preview.procedures = (
        Procedure.objects.filter(Q(competent_agency_id__in=ids) | Q(receiving_agencies__in=ids))
        .distinct()
        .count()
    )
    preview.ended_units = list(Agency.objects.filter(pk__in=ids).order_by("name"))
    return preview


def preview(*, reorganisation: Reorganisation, today: dt.date | None = None) -> Preview:
    """What `apply` would do now: nothing is written."""
    ids = ended_agency_ids(reorganisation)
    dossiers = list(_dossiers(ids).only("pk", "code", "applicant_commune_id", "procedure_id"))
    return _preview(reorganisation, dossiers, today=today or timezone.localdate())


def _reassign(
    dossier: Dossier, *, target: Agency, ids: set[int], reorganisation, actor, at, keep_assignee
) -> None:
    old_competent, unit_before = dossier.competent_agency_id, dossier.current_unit
    fields = []
    if dossier.competent_agency_id in ids:
        dossier.competent_agency = target
        fields.append("competent_agency")
    if dossier.current_unit_id is None or dossier.current_unit_id in ids:
        dossier.current_unit = target
        fields.append("current_unit")
    if dossier.assignee_id is not None and not keep_assignee(dossier.assignee_id, target.pk):
        dossier.assignee = None
        fields.append("assignee")
    dossier.save(update_fields=[*fields, "updated_at"])
    DOSSIER.record(
        dossier,
        action=EventAction.REORGANISE,
        actor=actor,
        at=at,
        status_before=dossier.status,
        unit_before=unit_before,
        unit_after=dossier.current_unit,
        note=_("Theo Quyết định số %(number)s ngày %(date)s (hiệu lực từ %(effective)s): %(old)s → %(new)s.")
        % {
            "number": reorganisation.decision_number,
            "date": f"{reorganisation.decision_date:%d/%m/%Y}",
            "effective": f"{reorganisation.effective_date:%d/%m/%Y}",
            "old": reorganisation.predecessor.name,
            "new": target.name,
        },
    )
    if old_competent in ids:
        DossierSuccession.objects.create(
            dossier=dossier,
            reorganisation=reorganisation,
            from_agency_id=old_competent,
            to_agency=target,
            effective_date=reorganisation.effective_date,
            at=at,
        )


def _rewrite_catalogue(reorganisation: Reorganisation, ids: set[int], successors: dict[int, Agency]) -> int:
    """Competent links and routing steps go to the main successor (for a split by procedure,
    the successor of the procedure's share); receiving links to every successor."""
    main = reorganisation.main_successor
    by_procedure = {}
    if reorganisation.rule == SuccessionRule.BY_PROCEDURE:
        for share in reorganisation.shares.prefetch_related("procedures"):
            by_procedure.update({p.pk: share.successor for p in share.procedures.all()})
    touched = set()
    for procedure in Procedure.objects.filter(competent_agency_id__in=ids):
        procedure.competent_agency = by_procedure.get(procedure.pk, main)
        procedure.save(update_fields=["competent_agency"])
        touched.add(procedure.pk)
    for procedure in Procedure.objects.filter(receiving_agencies__in=ids).distinct():
        procedure.receiving_agencies.remove(*ids)
        procedure.receiving_agencies.add(*successors.values())
        touched.add(procedure.pk)
    for step in ProcedureStep.objects.filter(agency_id__in=ids).select_related("case"):
        step.agency = by_procedure.get(step.case.procedure_id, main)
        step.save(update_fields=["agency"])
    return len(touched)


def apply(*, reorganisation: Reorganisation, actor, now: dt.datetime | None = None) -> Preview:
    """Carry out the reorganisation in one transaction; returns what was done (as a preview
    of the locked rows). Refused with `ReorganisationError` when the preview has problems."""
    at = now or timezone.now()
    with transaction.atomic():
        # Only the record itself is locked (a second apply waits, then finds it done): a
        # lock on the joined agencies would block the officers' history rows, which name
        # them, while this waits for their dossiers — a deadlock.
        reorganisation = (
            Reorganisation.objects.select_for_update(**_own_rows())
            .select_related("predecessor", "main_successor")
            .get(pk=reorganisation.pk)
        )
        ids = ended_agency_ids(reorganisation)
        dossiers = list(
            _dossiers(ids).select_for_update(**_own_rows()).select_related("competent_agency", "current_unit")
        )
        result = _preview(reorganisation, dossiers, today=timezone.localdate(at))
        if result.problems:
            raise ReorganisationError(result.problems)
        main = reorganisation.main_successor
        moving_staff = set()
        if reorganisation.staff_policy == StaffPolicy.MOVE:
            moving_staff = set(
                User.objects.filter(agency_id__in=ids, is_active=True).values_list("pk", flat=True)
            )

        def keep_assignee(user_id, target_id):
            return user_id in moving_staff and target_id == main.pk

        for dossier in dossiers:
            target = result.successors[result.targets[dossier.pk]]
            _reassign(
                dossier,
                target=target,
                ids=ids,
                reorganisation=reorganisation,
                actor=actor,
                at=at,
                keep_assignee=keep_assignee,
            )
        staff = User.objects.filter(agency_id__in=ids, is_active=True)
        moved_or_closed = list(staff.values_list("pk", flat=True))
        if reorganisation.staff_policy == StaffPolicy.MOVE:
            staff.update(agency=main)
        else:
            staff.update(is_active=False)
        # QuerySet.update() sends no signal: drop the accounts' cached copies once committed
        # (a request before the commit would cache the old row again).
        transaction.on_commit(lambda: access.forget(*moved_or_closed))
        _rewrite_catalogue(reorganisation, ids, result.successors)
        last_day = reorganisation.effective_date - dt.timedelta(days=1)
        Agency.objects.filter(pk__in=ids).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day)).update(
            valid_to=last_day
        )
        Agency.objects.filter(pk__in=ids).update(is_active=False)
        Agency.objects.filter(pk=reorganisation.predecessor_id).update(successor=main)
        earlier = reorganisation.summary if reorganisation.applied_at is not None else {}
        by_successor = Counter(earlier.get("by_successor", {}))
        by_successor.update({str(agency.pk): count for agency, count in result.counts})
        reorganisation.summary = {
            "dossiers": earlier.get("dossiers", 0) + result.total,
            "by_successor": dict(by_successor),
            "staff": earlier.get("staff", 0) + result.staff,
            "staff_policy": reorganisation.staff_policy,
            "procedures": earlier.get("procedures", 0) + result.procedures,
        }
        if reorganisation.applied_at is None:
            reorganisation.applied_at, reorganisation.applied_by = at, actor
        reorganisation.save(update_fields=["applied_at", "applied_by", "summary"])
    return result


def _own_rows() -> dict:
    """Lock only the dossier rows, not the agencies joined to them (PostgreSQL)."""
    from django.db import connection

    return {"of": ("self",)} if connection.features.has_select_for_update_of else {}
