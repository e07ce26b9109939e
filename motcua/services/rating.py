"""The citizen's satisfaction rating of one dossier (DESIGN §5.7): once, after the result
has been returned; given online from the tracking page or recorded by the counter."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Dossier, DossierEvent, EventAction, Rating, Status

# Only a dossier whose result has been handed over can be rated.
RATEABLE_STATUSES = (Status.RETURNED,)


def dossier_rate(
    *, dossier: Dossier, value: str, comment: str = "", recorded_by=None, now: dt.datetime | None = None
) -> Rating:
    """Record the rating of `dossier` and its history event.

    The dossier row is locked, so two submissions at once (a double click, the citizen and
    the counter together) give one rating and one refusal. Raises ValidationError with
    code "already_rated" or "not_returned", or with field errors for a bad value. `now` is
    for sample data and imports (the history is append-only: it cannot be back-dated later)."""
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if locked.status not in RATEABLE_STATUSES:
            raise ValidationError(_("Hồ sơ chỉ được đánh giá sau khi đã trả kết quả."), code="not_returned")
        if Rating.objects.filter(dossier=locked).exists():
            raise ValidationError(
                _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần. Xin cảm ơn ông/bà."),
                code="already_rated",
            )
        now = now or timezone.now()
        rating = Rating(
            dossier=locked, value=value, comment=(comment or "").strip(), at=now, recorded_by=recorded_by
        )
        rating.full_clean()
        rating.save()
        DossierEvent.objects.create(
            dossier=locked,
            at=now,
            actor=recorded_by,
            action=EventAction.RATE,
            status_before=locked.status,
            status_after=locked.status,
        )
    return rating
