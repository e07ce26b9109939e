"""Papers of a received dossier: what the counter scans at intake and at the return of the
result, and the supplement a citizen uploads from "Hồ sơ của tôi".

The supplement's clock rule stays the decree's (NĐ 118/2025/NĐ-CP Điều 19 khoản 5): the time
is counted again from the start once the complete supplement is *received*. An upload is not
that: the counter (or the specialist) is told, checks the files and records "Nhận hồ sơ bổ
sung" (motcua.services.transitions.dossier_receive_supplement), whose moment restarts the
clock."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from thutuc.accounts.roles import Role

from ..alerts import kinds
from ..citizen.identity import CitizenIdentity
from ..citizen.selectors import applicant_q
from ..models import Dossier, PaperFile, PaperPurpose, Status, SupplementRequest
from ..notifications.staff import send_to_staff, staff_of
from . import papers as paper_files

SCAN_PURPOSES = (PaperPurpose.INTAKE_SCAN, PaperPurpose.RESULT_SCAN)


def _dossier_owner(dossier: Dossier) -> dict:
    from core.identity import phone_digits

    return {
        "owner_phone": phone_digits(dossier.applicant_phone or "") or "",
        "owner_email": (dossier.applicant_email or "").lower(),
    }


def dossier_scan_add(
    *, dossier: Dossier, actor, uploads: Sequence[paper_files.Upload], purpose: str, valid_until=None
) -> list[PaperFile]:
    """The counter attaches scanned papers (at intake) or the scanned result (at return);
    `valid_until`: the paper's end of validity, past which it is not offered for reuse."""
    if purpose not in SCAN_PURPOSES:
        raise ValidationError(_("Loại bản số hóa không hợp lệ."))
    if not uploads:
        raise ValidationError(_("Chọn tệp bản quét để tải lên."), code="empty")
    paper_files.check_uploads(uploads)
    return paper_files.store(
        uploads,
        purpose=purpose,
        dossier=dossier,
        added_by=actor,
        valid_until=valid_until,
        **_dossier_owner(dossier),
    )


def open_supplement(dossier: Dossier) -> SupplementRequest | None:
    if dossier.status != Status.WAITING_SUPPLEMENT:
        return None
    return (
        SupplementRequest.objects.filter(dossier=dossier, fulfilled_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )


def dossier_supplement_upload(
    *, dossier: Dossier, identity: CitizenIdentity, uploads: Sequence[paper_files.Upload]
) -> list[PaperFile]:
    """The citizen uploads the papers asked for; the counter and the officer who asked are
    told to check them and record the supplement as received (the clock restarts then)."""
    if not uploads:
        raise ValidationError(_("Chọn ít nhất một tệp giấy tờ bổ sung."), code="empty")
    paper_files.check_uploads(
        uploads, already_bytes=paper_files.stored_bytes(dossier=dossier, purpose=PaperPurpose.SUPPLEMENT)
    )
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().filter(applicant_q(identity), pk=dossier.pk).first()
        if locked is None:
            raise ValidationError(_("Không tìm thấy hồ sơ của bạn."), code="not_found")
        request = open_supplement(locked)
        if request is None:
            raise ValidationError(
                _("Hồ sơ %(code)s không còn chờ bổ sung; không nộp bổ sung được.") % {"code": locked.code},
                code="not_waiting",
            )
        rows = paper_files.store(
            uploads,
            purpose=PaperPurpose.SUPPLEMENT,
            dossier=locked,
            owner_phone=identity.phone,
            owner_email=identity.email,
            added_by_citizen=identity.masked,
        )
        officers = staff_of(locked.receiving_agency_id, (Role.RECEPTION,))
        if request.requested_by_id:
            officers.append(request.requested_by)
        send_to_staff(
            officers,
            kind=kinds.SUPPLEMENT_UPLOADED,
            subject=f"{kinds.LABELS[kinds.SUPPLEMENT_UPLOADED]}: {locked.code}",
            body=_(
                "Người nộp hồ sơ %(code)s đã tải lên %(n)s tệp bổ sung theo phiếu %(number)s. Kiểm tra và "
                "ghi nhận “Nhận hồ sơ bổ sung” khi đã đủ: thời hạn giải quyết được tính lại từ lúc đó."
            )
            % {"code": locked.code, "n": len(rows), "number": request.number},
            link=reverse("motcua:dossier_detail", kwargs={"code": locked.code}),
            key=f"supplement-upload:{locked.pk}:{rows[0].pk}",
            dossier=locked,
        )
    return rows
