from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel

from .dossier import Dossier, Status


class EventAction(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận hồ sơ")
    IMPORT = "import", _("Chuyển từ hệ thống cũ")
    TRANSFER = "transfer", _("Chuyển xử lý")
    RECEIVE_TRANSFER = "receive_transfer", _("Nhận hồ sơ được chuyển đến")
    CHANGE_COMPETENT = "change_competent", _("Điều chỉnh cơ quan giải quyết")
    # The competent agency ended by a decision (merger, split): motcua.services.reorganisation.
    REORGANISE = "reorganise", _("Chuyển cơ quan giải quyết do sắp xếp tổ chức")
    ASSIGN = "assign", _("Phân công xử lý")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Nhận hồ sơ bổ sung")
    REQUEST_PAYMENT = "request_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    RECEIVE_PAYMENT = "receive_payment", _("Đã thực hiện nghĩa vụ tài chính")
    APPROVE = "approve", _("Phê duyệt kết quả")
    REFUSE = "refuse", _("Từ chối giải quyết")
    STOP = "stop", _("Dừng giải quyết")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    CLOSE = "close", _("Đóng hồ sơ do không bổ sung")
    APOLOGISE = "apologise", _("Xin lỗi và đề nghị gia hạn thời gian giải quyết")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    RECOMPUTE_DEADLINE = "recompute_deadline", _("Tính lại hạn xử lý")
    RATE = "rate", _("Đánh giá mức độ hài lòng")
    REISSUE_PIN = "reissue_pin", _("Cấp lại mã tra cứu")


class DossierEvent(AppendOnlyModel):
    """Append-only history of a dossier: the process control sheet and the audit trail.
    Rows are written by services only and can never be edited or deleted (AppendOnlyModel;
    on PostgreSQL also a trigger). The step is one of the dossier's frozen route
    (thutuc.CaseVersionStep): no change of the catalogue reaches it."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("thao tác"), max_length=32, choices=EventAction.choices)
    status_before = models.CharField(_("trạng thái trước"), max_length=16, choices=Status.choices, blank=True)
    status_after = models.CharField(_("trạng thái sau"), max_length=16, choices=Status.choices, blank=True)
    unit_before = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("đơn vị giao"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_after = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("đơn vị nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step = models.ForeignKey(
        "thutuc.CaseVersionStep",
        verbose_name=_("bước xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step_due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    due_at_before = models.DateTimeField(_("hạn trước"), null=True, blank=True)
    due_at_after = models.DateTimeField(_("hạn sau"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("nhật ký xử lý hồ sơ")
        verbose_name_plural = _("nhật ký xử lý hồ sơ")
        ordering = ["dossier", "at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"], name="event_dossier_at")]

    def __str__(self):
        return f"{self.dossier_id} {self.get_action_display()}"
