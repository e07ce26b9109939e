"""The online inbox: dossiers filed on the national public-service portal that wait for the
receiving counter's check (NĐ 118/2025/NĐ-CP Điều 17 khoản 2).

An `OnlineSubmission` is not a dossier yet: it has no code, no deadline and no register
entry. The counter accepts it (a `Dossier` is received, its clock starting at that moment:
Điều 17 khoản 3), asks for a supplement (form 02) or refuses it (form 03), both recorded as
an `IntakeAttempt` of the online channel. Its national status is 1 (Mới đăng ký) while it
waits and 3 (Không được tiếp nhận) once refused or sent back for a supplement."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import NATIONAL_STATUS_CODE, ApplicantType, ResultDelivery, Status


class OnlineDecision(models.TextChoices):
    NONE = "", _("Chờ kiểm tra")
    ACCEPTED = "accepted", _("Tiếp nhận")
    SUPPLEMENT = "supplement", _("Yêu cầu bổ sung, hoàn thiện")
    REFUSED = "refused", _("Từ chối tiếp nhận")


class OnlineSource(models.TextChoices):
    COUNTER = "counter", _("Cán bộ một cửa nhập từ Cổng DVC quốc gia")
    PORTAL = "portal", _("Cổng DVC quốc gia chuyển về")
    CITIZEN = "citizen", _("Công dân nộp trên cổng này")


# The statuses an online submission goes through (a subset of the dossier's, with the same
# national codes: 1 while waiting, 3 when not accepted, 2 once a dossier was received).
ONLINE_STATUSES = (Status.SUBMITTED_ONLINE, Status.NOT_ACCEPTED, Status.RECEIVED)


class OnlineSubmission(models.Model):
    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("bộ phận một cửa tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="online_submissions",
    )
    procedure = models.ForeignKey(
        "thutuc.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "thutuc.ProcedureCase", verbose_name=_("trường hợp"), on_delete=models.PROTECT, related_name="+"
    )
    national_portal_code = models.CharField(_("mã hồ sơ trên Cổng DVC quốc gia"), max_length=64)
    source = models.CharField(_("nguồn"), max_length=8, choices=OnlineSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ ghi nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    applicant_type = models.CharField(
        _("loại chủ hồ sơ"), max_length=16, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    applicant_name = models.CharField(_("họ tên chủ hồ sơ"), max_length=255)
    organisation_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("số định danh, CCCD"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    representative_name = models.CharField(_("người được ủy quyền"), max_length=255, blank=True)
    representative_id_number = models.CharField(_("số CCCD người được ủy quyền"), max_length=32, blank=True)
    representative_phone = models.CharField(_("điện thoại người được ủy quyền"), max_length=32, blank=True)
    summary = models.CharField(_("trích yếu nội dung"), max_length=500, blank=True)
    number_of_sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=8,
        choices=ResultDelivery.choices,
        default=ResultDelivery.ONLINE,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    # The papers as filed: [{"name", "originals", "certified_copies", "photocopies",
    # "procedure_document_id"}]
    documents = models.JSONField(_("thành phần hồ sơ"), default=list, blank=True)

    # When the national portal acknowledged the filing (the 02-hour alert counts from it) and
    # when it reached this system (the 08 working hours count from it): Điều 17 khoản 2.
    submitted_at = models.DateTimeField(_("thời điểm nộp trên Cổng DVC quốc gia"))
    arrived_at = models.DateTimeField(_("thời điểm hệ thống nhận hồ sơ"))
    alert_due_at = models.DateTimeField(_("hạn thông báo cho cán bộ tiếp nhận"))
    alerted_at = models.DateTimeField(_("đã thông báo cho cán bộ lúc"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("hạn tiếp nhận hoặc yêu cầu bổ sung"))

    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED_ONLINE
    )
    decision = models.CharField(
        _("kết quả kiểm tra"),
        max_length=16,
        choices=OnlineDecision.choices,
        default=OnlineDecision.NONE,
        blank=True,
    )
    decided_at = models.DateTimeField(_("kiểm tra xong lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_late = models.BooleanField(_("quá 08 giờ làm việc"), default=False)
    dossier = models.OneToOneField(
        "motcua.Dossier",
        verbose_name=_("hồ sơ đã tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_submission",
    )
    attempt = models.OneToOneField(
        "motcua.IntakeAttempt",
        verbose_name=_("phiếu yêu cầu bổ sung / từ chối"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="online_submission",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ nộp trực tuyến")
        verbose_name_plural = _("hồ sơ nộp trực tuyến")
        ordering = ["decision_due_at", "pk"]
        indexes = [
            # the inbox: one counter's waiting filings by deadline; the scan: every waiting one
            models.Index(fields=["agency", "status", "decision_due_at"], name="online_agency_status_due"),
            models.Index(fields=["status", "decision_due_at"], name="online_status_due"),
        ]
        constraints = [
            # One waiting filing per national code: the same filing recorded twice (two
            # officers, a resent message) is refused; a corrected filing after a refusal or a
            # supplement request is a new submission.
            models.UniqueConstraint(
                fields=["national_portal_code"],
                condition=models.Q(status="submitted"),
                name="online_one_waiting_per_code",
            ),
        ]

    def __str__(self):
        return self.national_portal_code

    @property
    def national_status_code(self) -> int:
        return NATIONAL_STATUS_CODE[self.status]

    @property
    def is_waiting(self) -> bool:
        return self.status == Status.SUBMITTED_ONLINE
