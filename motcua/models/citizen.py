"""The citizen's side of the online channel: the one-time sign-in codes and the online
filings (drafts until submitted, then an `OnlineSubmission` in the counter's inbox)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import ApplicantType, ResultDelivery


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Điện thoại (SMS)")
    EMAIL = "email", _("Thư điện tử")


class CitizenLoginCode(models.Model):
    """One one-time sign-in code sent to a phone or an e-mail address: only its keyed hash is
    kept (motcua.citizen.identity), it expires after a few minutes, and it signs in once."""

    kind = models.CharField(_("kênh"), max_length=8, choices=ContactKind.choices)
    address = models.CharField(_("số điện thoại / thư điện tử"), max_length=254)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)

    class Meta:
        verbose_name = _("mã đăng nhập một lần")
        verbose_name_plural = _("mã đăng nhập một lần")
        indexes = [models.Index(fields=["address", "created_at"], name="citizen_code_address")]

    def __str__(self):
        return f"{self.kind}:{self.pk}"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp")


class OnlineFiling(models.Model):
    """What a signed-in citizen fills in on this portal: saved as a draft as often as they
    like, submitted once (then `submission` is the online inbox's row). Owned by the verified
    contact it was started with (`owner_phone` or `owner_email`)."""

    owner_phone = models.CharField(_("điện thoại đã xác thực"), max_length=32, blank=True, db_index=True)
    owner_email = models.CharField(_("thư điện tử đã xác thực"), max_length=254, blank=True, db_index=True)
    procedure = models.ForeignKey(
        "thutuc.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "thutuc.ProcedureCase", verbose_name=_("trường hợp"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    applicant_type = models.CharField(
        _("loại chủ hồ sơ"), max_length=16, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    applicant_name = models.CharField(_("họ tên chủ hồ sơ"), max_length=255, blank=True)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("số định danh, CCCD"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    summary = models.CharField(_("trích yếu nội dung"), max_length=500, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=8,
        choices=ResultDelivery.choices,
        default=ResultDelivery.ONLINE,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=FilingStatus.choices, default="draft")
    # A filing sent back for a supplement (NĐ 118/2025 Điều 17 khoản 2 điểm a) is filed again
    # as a new submission: the earlier one it corrects.
    corrects = models.ForeignKey(
        "motcua.OnlineSubmission",
        verbose_name=_("nộp lại hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission = models.OneToOneField(
        "motcua.OnlineSubmission",
        verbose_name=_("hồ sơ trực tuyến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filing",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ công dân lập trực tuyến")
        verbose_name_plural = _("hồ sơ công dân lập trực tuyến")
        ordering = ["-updated_at", "-pk"]

    def __str__(self):
        return f"{self.procedure_id}:{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == FilingStatus.DRAFT

    @property
    def portal_code(self) -> str:
        """The code the submission carries in the inbox (it has no national portal code)."""
        return f"DVC-{self.pk:07d}"
