"""One frame for the portal's workflows: dossiers (motcua), feedback and complaints
(khieunai), quarterly reports (baocao).

Each app keeps its state machine as *data*: a `Workflow` holding a small table of
`Transition`s (action, label, the statuses it starts from, the statuses it may lead to, the
roles or permissions it needs) and the app's rights check. Every status change runs through
`Workflow.perform()`:

1. it opens `transaction.atomic()` and locks the row (`select_for_update`);
2. it checks the status *of the locked row* against the table, then the actor's right, and
   refuses with `TransitionError` and a Vietnamese message;
3. the service changes the locked row, may add warnings (`change.warn`: a rule broken but
   allowed, shown to the officer, never blocking) and writes exactly one event of the
   append-only history (`change.record`), whose status change the frame checks against the
   table;
4. messages to people are queued in the same transaction and sent after the commit (the
   notification services use `transaction.on_commit`).

Two people clicking at once therefore give one event and one refusal: the second waits for
the lock, then finds the status changed. Every refusal of a transition — wrong status, no
right, invalid input, a model's own validation — is a `TransitionError`.

This module knows no domain app (the apps hand it their models and messages); it belongs
with the shared plumbing, beside the append-only base of the histories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone


class TransitionError(ValidationError):
    """A transition refused: wrong status, no right to act, or invalid input.

    The message is Vietnamese and meant for the person acting. Like any ValidationError it
    may name form fields (`TransitionError({"note": ...})`), so a form shows it next to the
    field. `forbidden` marks the refusal of the actor's right: pages that answer such a
    refusal with 403 read it."""

    def __init__(self, message, *, forbidden: bool = False, code: str | None = None, params=None):
        super().__init__(message, code=code, params=params)
        self.forbidden = forbidden

    def __str__(self) -> str:
        return " ".join(self.messages)


def _strings(value: str | Iterable[str]) -> frozenset[str]:
    return frozenset((value,) if isinstance(value, str) else value)


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: frozenset[str]
    # Empty: the status does not change (an apology, an assignment, a publication).
    targets: frozenset[str] = frozenset()
    # Roles or permissions, read by the workflow's rights check (`Workflow.refusal`).
    rights: frozenset[str] = frozenset()
    # The event's action when it differs from the transition's (khieunai: "answer" → "answered").
    event: str = ""

    @property
    def target(self) -> str | None:
        """The status this transition leads to when the table names exactly one; None when
        the status does not change or the service chooses among `targets`."""
        return next(iter(self.targets)) if len(self.targets) == 1 else None


def transition(
    action: str,
    label: str,
    sources: str | Iterable[str],
    targets: str | Iterable[str] = (),
    *,
    rights: str | Iterable[str] = (),
    event: str = "",
) -> Transition:
    return Transition(action, label, _strings(sources), _strings(targets), _strings(rights), event)


def table(*transitions: Transition) -> dict[str, Transition]:
    """The transitions of one workflow by action."""
    return {t.action: t for t in transitions}


@dataclass
class Change:
    """One transition under way: the locked row (`obj`), when (`at`), who, the status it
    started from, the warnings collected, and the event once recorded."""

    workflow: Workflow
    transition: Transition
    obj: Any
    actor: Any
    at: dt.datetime
    status_before: str
    warnings: list[str] = field(default_factory=list)
    event: models.Model | None = None

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def record(self, *, action: str = "", **fields) -> models.Model:
        """Write the transition's one event (its action: the table's unless told)."""
        if self.event is not None:
            raise RuntimeError(f"{self.transition.action}: a transition writes one event")
        after = self.obj.status
        if after not in (self.transition.targets or {self.status_before}):
            raise RuntimeError(
                f"{self.transition.action}: {self.status_before} → {after} is not in the table"
            )
        self.event = self.workflow.record(
            self.obj,
            action=action or self.transition.event or self.transition.action,
            actor=self.actor,
            at=self.at,
            status_before=self.status_before,
            **fields,
        )
        return self.event


@dataclass(frozen=True)
class Workflow:
    """The state machine of one kind of row (`model`, with a `status` field) and its
    append-only history (`event_model`, whose foreign key to the row is `parent`)."""

    model: type[models.Model]
    event_model: type[models.Model]
    parent: str
    transitions: Mapping[str, Transition]
    # Why `actor` may not perform the transition on the row: a Vietnamese message, or ""
    # when allowed. Called on the locked row.
    refusal: Callable[[Any, Any, Transition], str]
    # The wrong-status message; may use %(action)s, %(code)s, %(status)s and %(allowed)s.
    wrong_status: str
    # Related rows fetched with the lock (and locked with it on PostgreSQL).
    select_related: tuple[str, ...] = ()

    def allows(self, obj, action: str) -> bool:
        """Whether the row's current status lets `action` start (rights aside)."""
        return obj.status in self.transitions[action].sources

    def lock(self, obj):
        """The row again, locked until the end of the transaction (the caller's atomic block)."""
        queryset = self.model._default_manager.select_for_update()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset.get(pk=obj.pk)

    def check(self, obj, transition: Transition, actor) -> None:
        """Refuse unless the (locked) row's status and the actor's right allow `transition`."""
        if obj.status not in transition.sources:
            labels = dict(type(obj)._meta.get_field("status").flatchoices)
            raise TransitionError(
                self.wrong_status
                % {
                    "action": transition.label,
                    "code": getattr(obj, "code", ""),
                    "status": labels.get(obj.status, obj.status),
                    "allowed": ", ".join(str(labels.get(s, s)) for s in sorted(transition.sources)),
                }
            )
        reason = self.refusal(actor, obj, transition)
        if reason:
            raise TransitionError(reason, forbidden=True)

    def record(self, obj, *, action: str, actor, at: dt.datetime, status_before: str, **fields):
        """Append one event to the row's history (validated, then one INSERT). Used by
        `Change.record` and by the services that create a row with its first event."""
        event = self.event_model(
            **{self.parent: obj},
            at=at,
            actor=actor,
            action=action,
            status_before=status_before,
            status_after=obj.status,
            **fields,
        )
        event.full_clean()
        event.save()
        return event

    @contextmanager
    def perform(self, obj, action: str, *, actor, at: dt.datetime | None = None) -> Iterator[Change]:
        """Lock the row, check its status and the actor's right, and hand the locked row to
        the `with` block, which changes it and records the event. The locked row carries
        the warnings as `transition_warnings` for the page to show. A refusal or any error
        in the block rolls everything back."""
        transition = self.transitions[action]
        with transaction.atomic():
            locked = self.lock(obj)
            self.check(locked, transition, actor)
            change = Change(self, transition, locked, actor, at or timezone.now(), locked.status)
            locked.transition_warnings = change.warnings
            try:
                yield change
            except TransitionError:
                raise
            except ValidationError as error:
                # The models' own validation (full_clean) refuses like the frame: one type.
                raise TransitionError(error) from error
            if change.event is None:
                raise RuntimeError(f"{action}: a transition writes one event")
