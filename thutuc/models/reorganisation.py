"""A reorganisation (sắp xếp đơn vị hành chính, tổ chức lại cơ quan): one agency ends on a
decision's effective date and its open dossiers, staff and catalogue links pass to its
successors. A merger of several agencies into one is recorded as one reorganisation per
agency ended, all naming the same successor and decision; a split as one reorganisation with
several successor shares and the rule that sends each dossier to exactly one of them.

The operation itself (preview, apply) is motcua.services.reorganisation: it moves dossiers.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .agency import Agency


class SuccessionRule(models.TextChoices):
    SINGLE = "single", _("Toàn bộ cho cơ quan kế thừa chính (sáp nhập, hợp nhất)")
    BY_COMMUNE = "commune", _("Theo xã, phường của người nộp hồ sơ")
    BY_PROCEDURE = "procedure", _("Theo thủ tục hành chính")
    EXPLICIT = "explicit", _("Theo danh sách mã hồ sơ")


class StaffPolicy(models.TextChoices):
    MOVE = "move", _("Chuyển sang cơ quan kế thừa chính")
    CLOSE = "close", _("Khóa tài khoản")


class Reorganisation(models.Model):
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày ban hành"))
    effective_date = models.DateField(
        _("ngày có hiệu lực"),
        help_text=_(
            "Ngày đầu tiên cơ quan kế thừa giải quyết hồ sơ; cơ quan cũ hoạt động đến hết ngày hôm trước."
        ),
    )
    predecessor = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan kết thúc hoạt động"),
        on_delete=models.PROTECT,
        related_name="reorganisations_ended",
    )
    main_successor = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan kế thừa chính"),
        on_delete=models.PROTECT,
        related_name="reorganisations_inherited",
        help_text=_(
            "Nhận lưu trữ hồ sơ đã giải quyết, tài khoản cán bộ, các liên kết danh mục thủ tục "
            "và mọi hồ sơ đang giải quyết mà quy tắc phân chia không chỉ định nơi khác."
        ),
    )
    rule = models.CharField(
        _("quy tắc phân chia hồ sơ"),
        max_length=16,
        choices=SuccessionRule.choices,
        default=SuccessionRule.SINGLE,
    )
    staff_policy = models.CharField(
        _("tài khoản cán bộ"), max_length=8, choices=StaffPolicy.choices, default=StaffPolicy.MOVE
    )
    note = models.TextField(_("ghi chú"), blank=True)
    applied_at = models.DateTimeField(_("thời điểm thực hiện"), null=True, blank=True, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What the operation did, per successor (counts), kept for the record.
    summary = models.JSONField(_("kết quả"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("sắp xếp, tổ chức lại cơ quan")
        verbose_name_plural = _("sắp xếp, tổ chức lại cơ quan")
        ordering = ["-effective_date", "pk"]
        constraints = [
            # An agency ends once.
            models.UniqueConstraint(fields=["predecessor"], name="reorganisation_one_end_per_agency"),
        ]

    def __str__(self):
        return f"{self.decision_number}: {self.predecessor}"

    def clean(self):
        if self.predecessor_id and self.predecessor_id == self.main_successor_id:
            raise ValidationError(
                {"main_successor": _("Cơ quan kế thừa phải khác cơ quan kết thúc hoạt động.")}
            )
        if self.decision_date and self.effective_date and self.effective_date < self.decision_date:
            raise ValidationError({"effective_date": _("Ngày có hiệu lực không được trước ngày ban hành.")})


class SuccessorShare(models.Model):
    """One successor's share of the predecessor's open dossiers under the rule: the applicants'
    communes, the procedures, or the dossier codes it takes. What no share takes goes to the
    main successor."""

    reorganisation = models.ForeignKey(
        Reorganisation, verbose_name=_("sắp xếp"), on_delete=models.CASCADE, related_name="shares"
    )
    successor = models.ForeignKey(
        Agency, verbose_name=_("cơ quan kế thừa"), on_delete=models.PROTECT, related_name="successor_shares"
    )
    communes = models.ManyToManyField(
        Agency,
        verbose_name=_("xã, phường của người nộp"),
        blank=True,
        related_name="+",
        help_text=_("Với quy tắc theo xã, phường."),
    )
    procedures = models.ManyToManyField(
        "thutuc.Procedure",
        verbose_name=_("thủ tục"),
        blank=True,
        related_name="+",
        help_text=_("Với quy tắc theo thủ tục."),
    )
    dossier_codes = models.TextField(
        _("mã hồ sơ"), blank=True, help_text=_("Với quy tắc theo danh sách: mỗi dòng một mã hồ sơ.")
    )

    class Meta:
        verbose_name = _("phần kế thừa")
        verbose_name_plural = _("phần kế thừa")
        ordering = ["reorganisation", "pk"]

    def __str__(self):
        return str(self.successor)

    @property
    def code_list(self) -> list[str]:
        return [code.strip() for code in self.dossier_codes.replace(",", "\n").splitlines() if code.strip()]
