"""What belongs to a signed-in citizen ("Hồ sơ của tôi").

The rule: a dossier or an online submission is the citizen's when its applicant's phone or
e-mail is the contact the citizen proved with a code (the phone in its national 0… form or
as +84…, the e-mail without regard to case), or — only when the identity provider verified
it (VNeID) — its applicant's identification number. An identification number typed on a
form is never enough: anyone can type someone else's. Online filings (drafts included) are
the citizen's when started under that contact; paper files when filed or scanned for it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ..models import Dossier, OnlineFiling, OnlineSubmission, PaperFile, SupplementRequest
from .identity import CitizenIdentity

LIST_LIMIT = 100


def _phones(phone: str) -> list[str]:
    return [phone, "+84" + phone[1:]] if phone.startswith("0") else [phone]


def applicant_q(identity: CitizenIdentity, prefix: str = "applicant_") -> Q:
    condition = Q(pk__in=[])
    if identity.phone:
        condition |= Q(**{f"{prefix}phone__in": _phones(identity.phone)})
    if identity.email:
        condition |= Q(**{f"{prefix}email__iexact": identity.email})
    if identity.id_number:
        condition |= Q(**{f"{prefix}id_number": identity.id_number})
    return condition


def owner_q(identity: CitizenIdentity, prefix: str = "") -> Q:
    condition = Q(pk__in=[])
    if identity.phone:
        condition |= Q(**{f"{prefix}owner_phone": identity.phone})
    if identity.email:
        condition |= Q(**{f"{prefix}owner_email": identity.email})
    return condition


def my_dossiers(identity: CitizenIdentity):
    return (
        Dossier.objects.filter(applicant_q(identity))
        .select_related("procedure", "receiving_agency", "electronic_result")
        .order_by("-received_at", "-pk")[:LIST_LIMIT]
    )


def my_filings(identity: CitizenIdentity):
    return (
        OnlineFiling.objects.filter(owner_q(identity))
        .select_related("procedure", "agency", "submission", "submission__dossier", "submission__attempt")
        .order_by("-updated_at", "-pk")[:LIST_LIMIT]
    )


def my_other_submissions(identity: CitizenIdentity):
    """Online submissions under the citizen's contact not filed on this portal (recorded
    from the national portal)."""
    return (
        OnlineSubmission.objects.filter(applicant_q(identity), filing__isnull=True)
        .select_related("procedure", "agency", "dossier")
        .order_by("-submitted_at", "-pk")[:LIST_LIMIT]
    )


def open_supplements(dossier_ids) -> dict:
    """{dossier id: its unfulfilled supplement request}, in one query."""
    requests = SupplementRequest.objects.filter(dossier_id__in=list(dossier_ids), fulfilled_at__isnull=True)
    return {request.dossier_id: request for request in requests.order_by("requested_at")}


def owns_dossier(identity: CitizenIdentity, dossier_id: int) -> bool:
    return Dossier.objects.filter(applicant_q(identity), pk=dossier_id).exists()


def may_download(identity: CitizenIdentity, paper: PaperFile) -> bool:
    """A citizen opens a file of their own filing, of their own dossier, or filed under
    their contact."""
    if PaperFile.objects.filter(owner_q(identity), pk=paper.pk).exists():
        return True
    if paper.filing_id and OnlineFiling.objects.filter(owner_q(identity), pk=paper.filing_id).exists():
        return True
    return bool(paper.dossier_id) and owns_dossier(identity, paper.dossier_id)


def reusable_papers(identity: CitizenIdentity, *, today: dt.date | None = None) -> list[PaperFile]:
    """Papers already digitised for this citizen and still valid (no end date, or not past
    it): uploaded on an earlier filing, or scanned at the counter for their dossier. Each
    stored file once (the first row that holds it)."""
    today = today or timezone.localdate()
    rows = (
        PaperFile.objects.filter(
            owner_q(identity) | Q(dossier__in=Dossier.objects.filter(applicant_q(identity)))
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), reused_from__isnull=True)
        .order_by("-added_at", "-pk")[:200]
    )
    seen, papers = set(), []
    for row in rows:
        if row.file.name not in seen:
            seen.add(row.file.name)
            papers.append(row)
    return papers


def last_applicant(identity: CitizenIdentity) -> dict:
    """The applicant's data of the citizen's latest dossier, online submission or filing:
    what a new filing starts with."""
    fields = (
        "applicant_type",
        "applicant_name",
        "organisation_name",
        "applicant_id_number",
        "applicant_phone",
        "applicant_email",
        "applicant_address",
    )
    candidates = [
        Dossier.objects.filter(applicant_q(identity))
        .order_by("-received_at", "-pk")
        .values(*fields, "received_at")
        .first(),
        OnlineFiling.objects.filter(owner_q(identity))
        .exclude(applicant_name="")
        .order_by("-updated_at")
        .values(*fields, "updated_at")
        .first(),
    ]
    candidates = [c for c in candidates if c]
    if not candidates:
        return {
            "applicant_phone": identity.phone,
            "applicant_email": identity.email,
            "applicant_id_number": identity.id_number,
        }
    latest = max(candidates, key=lambda c: c.get("received_at") or c.get("updated_at"))
    return {field: latest[field] for field in fields}
