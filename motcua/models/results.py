"""The electronic result of a dossier (NĐ 118/2025/NĐ-CP Điều 22 khoản 3): the signed
file the competent agency issued, its number and date, and the unguessable token of its
public verification page (/xac-minh/<token>/), which the QR code beside it opens."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


def new_verification_token() -> str:
    return secrets.token_urlsafe(24)


class ElectronicResult(models.Model):
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="electronic_result"
    )
    number = models.CharField(_("số, ký hiệu kết quả"), max_length=60)
    issued_on = models.DateField(_("ngày ban hành"))
    # Stored through default_storage (the file system, or an object store in production);
    # never served from MEDIA_URL: only the checked download views read it.
    file = models.FileField(_("tệp kết quả"), upload_to="ket-qua/%Y/%m/", max_length=200)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    token = models.CharField(max_length=64, unique=True, default=new_verification_token, editable=False)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")

    def __str__(self):
        return self.number
