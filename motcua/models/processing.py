from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ after acceptance (NĐ 118/2025/NĐ-CP Điều 19 khoản 5):
    one per dossier, every missing item at once with its counts, issued by the competent
    agency through the one-stop. The clock counts again from the start once it is complete;
    15 days without it, the dossier is closed."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="supplement_requests"
    )
    number = models.CharField(_("số phiếu"), max_length=40, blank=True)
    # [{"name", "originals", "certified_copies", "photocopies"}, …] (as the intake's form 02)
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    issuing_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("lý do"))
    requested_at = models.DateTimeField(_("thời điểm yêu cầu"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reply_due_at = models.DateTimeField(_("hạn công dân bổ sung"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("thời điểm nhận đủ bổ sung"), null=True, blank=True)
    late_request = models.BooleanField(_("yêu cầu sau 3 ngày làm việc"), default=False)
    # The clock policy applied when the supplement arrived ("restart" | "pause"), so that a later
    # recomputation (calendar change) keeps the rule that was in force for this dossier.
    clock_policy = models.CharField(_("cách tính lại thời hạn"), max_length=8, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ["dossier", "requested_at"]

    def __str__(self):
        return f"{self.dossier} – {self.requested_at:%d/%m/%Y}"

    @property
    def item_rows(self) -> list[dict]:
        """The items as rows with counts (a row stored as a bare name has no counts)."""
        return [
            item
            if isinstance(item, dict)
            else {"name": str(item), "originals": None, "certified_copies": None, "photocopies": None}
            for item in self.items
        ]

    @property
    def close_at(self):
        """When the dossier is closed if the supplement has not arrived (Điều 19 khoản 5)."""
        from thutuc.deadlines import supplement_close_at

        return supplement_close_at(self.requested_at, self.reply_due_at)


class Apology(models.Model):
    """Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (TT 03/2025 form 04; NĐ 118/2025
    Điều 19 khoản 6): at most one per dossier, written by the competent agency."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="apology"
    )
    number = models.CharField(_("số văn bản"), max_length=40, blank=True)
    reason = models.TextField(_("lý do chậm"))
    previous_due_at = models.DateTimeField(_("ngày hẹn cũ"))
    new_due_at = models.DateTimeField(_("ngày hẹn mới"))
    issued_at = models.DateTimeField(_("thời điểm ban hành"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issuing_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late_notice = models.BooleanField(_("ban hành muộn (sau ngày làm việc trước ngày hẹn)"), default=False)

    class Meta:
        verbose_name = _("văn bản xin lỗi, hẹn lại")
        verbose_name_plural = _("văn bản xin lỗi, hẹn lại")

    def __str__(self):
        return f"{self.dossier} – {self.new_due_at:%d/%m/%Y}"


class RatingValue(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class Rating(models.Model):
    """The citizen's satisfaction with one dossier (once per dossier)."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="rating"
    )
    value = models.CharField(_("mức độ hài lòng"), max_length=16, choices=RatingValue.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("thời điểm"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ ghi nhận thay"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")

    def __str__(self):
        return f"{self.dossier} – {self.get_value_display()}"
