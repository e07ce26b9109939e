"""The daily job of NĐ 118/2025/NĐ-CP Điều 19 khoản 5: a dossier whose supplement has not
arrived 15 days after the request (or by the later date a sector law gives) is closed by the
one-stop ("thực hiện đóng hồ sơ"), and the applicant is told why.

Each dossier is closed through the state machine (`transitions.dossier_close_unsupplemented`:
row lock, status check, one event, the applicant's message after commit), one transaction
each: a supplement received at the same moment wins the lock or finds the dossier closed.
Safe to run twice: a closed dossier is no longer waiting."""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import Q
from django.utils import timezone

from thutuc.deadlines import SUPPLEMENT_CLOSE_AFTER_DAYS

from ..models import Dossier, Status, SupplementRequest
from .transitions import TransitionError, dossier_close_unsupplemented

logger = logging.getLogger(__name__)


def dossiers_to_close(*, now: dt.datetime):
    """Dossiers waiting for a supplement past its closing date (`SupplementRequest.close_at`)."""
    floor = now - dt.timedelta(days=SUPPLEMENT_CLOSE_AFTER_DAYS)
    overdue = SupplementRequest.objects.filter(
        fulfilled_at__isnull=True, dossier__status=Status.WAITING_SUPPLEMENT, requested_at__lte=floor
    ).filter(Q(reply_due_at__isnull=True) | Q(reply_due_at__lte=now))
    return Dossier.objects.filter(pk__in=overdue.values("dossier_id")).order_by("pk")


def close_unsupplemented(*, now: dt.datetime | None = None) -> int:
    """Close every dossier whose supplement is overdue at `now`; returns how many."""
    now = now or timezone.now()
    closed = 0
    for dossier in dossiers_to_close(now=now).iterator():
        try:
            dossier_close_unsupplemented(dossier=dossier, now=now)
        except TransitionError as refused:  # the supplement arrived meanwhile
            logger.info("dossier %s not closed: %s", dossier.code, refused)
            continue
        closed += 1
    return closed
