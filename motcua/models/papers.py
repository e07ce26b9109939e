"""A paper's file: a page scanned at the counter, a paper uploaded by a citizen, the scanned
result. Stored through Django's storage API (`default_storage`: the local filesystem in the
embedded run, an S3-compatible store in production, motcua/settings.py) and served only by
views that check who may see it (motcua.views.papers)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PaperPurpose(models.TextChoices):
    FILED_ONLINE = "online", _("Công dân nộp trực tuyến")
    SUPPLEMENT = "supplement", _("Công dân nộp bổ sung trực tuyến")
    INTAKE_SCAN = "intake", _("Số hóa khi tiếp nhận")
    RESULT_SCAN = "result", _("Số hóa kết quả khi trả")


def paper_upload_to(instance, filename: str) -> str:
    """A random name (nothing of the citizen's in the path), the checked type's extension."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        instance.content_type, "bin"
    )
    return f"giay-to/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PaperFile(models.Model):
    """One file of one paper, on an online filing and/or a dossier. `reused_from`: attached
    again from an earlier filing or dossier of the same citizen (the same stored file)."""

    file = models.FileField(_("tệp"), upload_to=paper_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("giấy tờ"), max_length=3000)
    # The catalogue paper, as a plain reference (as DossierDocument.procedure_document).
    procedure_document = models.ForeignKey(
        "thutuc.ProcedureDocument",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    purpose = models.CharField(_("nguồn"), max_length=16, choices=PaperPurpose.choices)
    filing = models.ForeignKey(
        "motcua.OnlineFiling",
        verbose_name=_("hồ sơ nộp trực tuyến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="papers",
    )
    dossier = models.ForeignKey(
        "motcua.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paper_files",
    )
    # Whose paper it is, for "Hồ sơ của tôi" and reuse: the verified contact of the citizen.
    owner_phone = models.CharField(max_length=32, blank=True, db_index=True)
    owner_email = models.CharField(max_length=254, blank=True, db_index=True)
    added_at = models.DateTimeField(_("thời điểm thêm"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ thêm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # a citizen's upload: the verified contact, masked as shown ("09******78")
    added_by_citizen = models.CharField(_("công dân thêm"), max_length=64, blank=True)
    reused_from = models.ForeignKey(
        "self",
        verbose_name=_("dùng lại từ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_until = models.DateField(_("có giá trị đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp giấy tờ")
        verbose_name_plural = _("tệp giấy tờ")
        ordering = ["added_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def is_reused(self) -> bool:
        return self.reused_from_id is not None

    @property
    def added_by_display(self) -> str:
        if self.added_by_id:
            return self.added_by.get_full_name() or self.added_by.get_username()
        return str(_("Công dân %(who)s")) % {"who": self.added_by_citizen}
