"""The electronic result of a dossier: attached by the officer at the "result ready" /
return step, downloaded by the citizen (tracking session) and by staff (visibility),
verified by anyone through the QR code's public page.

Allowed where the procedure allows it: the applicant chose the electronic result
(`ResultDelivery.ONLINE`, NĐ 118/2025/NĐ-CP Điều 22 khoản 3) or the procedure is published as
a "toàn trình" online service. Only an approved result (not a refusal or a stop) has one.
The file must be a PDF (checked from its bytes, size limit RESULT_FILE_MAX_MB); one result
per dossier, never replaced (a correction is a new decision, outside this portal)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thutuc.models.catalogue import OnlineLevel

from ..models import Dossier, ElectronicResult, Outcome, ResultDelivery, Status

RESULT_STATUSES = (Status.RESULT_READY, Status.RETURNED)


class ResultError(ValidationError):
    def __str__(self) -> str:
        return " ".join(self.messages)


def result_allowed(dossier: Dossier) -> bool:
    return (
        dossier.result_delivery == ResultDelivery.ONLINE or dossier.procedure.online_level == OnlineLevel.FULL
    )


def can_attach(dossier: Dossier) -> bool:
    return (
        result_allowed(dossier)
        and dossier.status in RESULT_STATUSES
        and dossier.outcome == Outcome.APPROVED
        and not ElectronicResult.objects.filter(dossier=dossier).exists()
    )


def _check_pdf(upload) -> str:
    """The file's SHA-256 once it is known to be a whole PDF within the size limit."""
    if upload is None or not upload.size:
        raise ResultError(_("Chọn tệp kết quả (PDF)."))
    limit = settings.RESULT_FILE_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ResultError(_("Tệp kết quả quá lớn: tối đa %s MB.") % settings.RESULT_FILE_MAX_MB)
    digest = hashlib.sha256()
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(max(upload.size - 1024, 0))
    tail = upload.read()
    upload.seek(0)
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise ResultError(_("Tệp kết quả phải là một tệp PDF hoàn chỉnh (tệp đã chọn không phải PDF)."))
    return digest.hexdigest()


def result_attach(
    *, dossier: Dossier, actor, number: str, issued_on: dt.date, upload, now: dt.datetime | None = None
) -> ElectronicResult:
    number = " ".join((number or "").split())[:60]
    if not number:
        raise ResultError(_("Nhập số, ký hiệu của kết quả."))
    if issued_on is None:
        raise ResultError(_("Nhập ngày ban hành kết quả."))
    at = now or timezone.now()
    if issued_on > timezone.localdate(at):
        raise ResultError(_("Ngày ban hành không được sau ngày hôm nay."))
    sha256 = _check_pdf(upload)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().select_related("procedure").get(pk=dossier.pk)
        if not result_allowed(dossier):
            raise ResultError(_("Thủ tục của hồ sơ này không trả kết quả điện tử."))
        if dossier.status not in RESULT_STATUSES or dossier.outcome != Outcome.APPROVED:
            raise ResultError(_("Chỉ đính kèm kết quả điện tử khi hồ sơ đã được phê duyệt kết quả."))
        if ElectronicResult.objects.filter(dossier=dossier).exists():
            raise ResultError(_("Hồ sơ %s đã có kết quả điện tử.") % dossier.code)
        result = ElectronicResult(
            dossier=dossier,
            number=number,
            issued_on=issued_on,
            sha256=sha256,
            uploaded_at=at,
            uploaded_by=actor,
        )
        upload.name = f"{dossier.code}.pdf"
        result.file.save(upload.name, upload, save=False)  # default_storage, a fresh name
        try:
            with transaction.atomic():
                result.save()
        except IntegrityError:
            result.file.delete(save=False)
            raise ResultError(_("Hồ sơ %s đã có kết quả điện tử.") % dossier.code) from None
    return result


def result_of(dossier: Dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.filter(dossier=dossier).first()
