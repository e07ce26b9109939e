from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


class SupplementRequest(models.Model):
    """Yêu cầu bổ sung, hoàn thiện hồ sơ after acceptance: the clock stops while waiting."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="supplement_requests"
    )
    number = models.CharField(_("số phiếu"), max_length=40, blank=True)
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
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


class Apology(models.Model):
    """Văn bản xin lỗi và hẹn lại ngày trả kết quả: at most one per dossier."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="apology"
    )
    number = models.CharField(_("số văn bản"), max_length=40, blank=True)
    reason = models.TextField(_("lý do chậm"))
    previous_due_at = models.DateTimeField(_("ngày hẹn cũ"))
    new_due_at = models.DateTimeField(_("ngày hẹn mới"))
    issued_at = models.DateTimeField(_("thời điểm ban hành"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    late_notice = models.BooleanField(_("ban hành muộn (dưới 1 ngày làm việc trước hạn)"), default=False)

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
