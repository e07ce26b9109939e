from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import Channel


class IntakeOutcome(models.TextChoices):
    INCOMPLETE = "incomplete", _("Hồ sơ chưa đầy đủ (yêu cầu bổ sung, hoàn thiện)")
    REFUSED = "refused", _("Từ chối tiếp nhận")


class IntakeAttempt(models.Model):
    """A dossier not accepted at the counter: no code, no deadline, but recorded so that
    form 02 (supplement list) or form 03 (refusal) can be reprinted and counted."""

    number = models.CharField(_("số phiếu"), max_length=40, unique=True)
    agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "thutuc.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "thutuc.ProcedureCase", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("kết quả"), max_length=16, choices=IntakeOutcome.choices)
    channel = models.CharField(_("kênh"), max_length=8, choices=Channel.choices, default=Channel.DIRECT)
    applicant_name = models.CharField(_("họ tên"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh, CCCD"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    missing_documents = models.JSONField(_("giấy tờ cần bổ sung"), default=list, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    at = models.DateTimeField(_("thời điểm"))
    # One-time token of the intake form (see Dossier.intake_token).
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("lượt tiếp nhận không thành")
        verbose_name_plural = _("lượt tiếp nhận không thành")
        ordering = ["-at"]
        indexes = [models.Index(fields=["agency", "at"], name="intake_attempt_agency_at")]

    def __str__(self):
        return self.number
