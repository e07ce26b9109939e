"""The hotline log and the citizen-reception register (sổ tiếp công dân)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CallOutcome(models.TextChoices):
    ANSWERED = "answered", _("Đã trả lời")
    GUIDED = "guided", _("Đã hướng dẫn")
    FEEDBACK = "feedback", _("Chuyển thành phản ánh, kiến nghị")
    TRANSFERRED = "transferred", _("Chuyển cơ quan, đơn vị khác")


class HotlineCall(models.Model):
    agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("thời điểm gọi"))
    line = models.CharField(_("số đường dây nóng"), max_length=32)
    caller_name = models.CharField(_("người gọi"), max_length=255, blank=True)
    caller_phone = models.CharField(_("số điện thoại người gọi"), max_length=32, blank=True)
    topic = models.CharField(_("chủ đề"), max_length=255)
    dossier_code = models.CharField(_("mã hồ sơ liên quan"), max_length=32, blank=True)
    related_dossier = models.ForeignKey(
        "motcua.Dossier",
        verbose_name=_("hồ sơ tìm thấy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("tóm tắt nội dung"))
    duration_seconds = models.PositiveIntegerField(_("thời lượng (giây)"), default=0)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nghe máy"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.CharField(_("kết quả"), max_length=16, choices=CallOutcome.choices)
    transferred_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    feedback = models.OneToOneField(
        "khieunai.Feedback",
        verbose_name=_("phản ánh đã tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_call",
    )
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cuộc gọi đường dây nóng")
        verbose_name_plural = _("nhật ký đường dây nóng")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["agency", "started_at"], name="hotline_agency_started")]
        permissions = [("convert_hotlinecall", _("Chuyển cuộc gọi thành phản ánh, kiến nghị"))]

    def __str__(self):
        return f"{self.started_at:%d/%m/%Y %H:%M} {self.topic}"


class CitizenReception(models.Model):
    """Sổ tiếp công dân (Mẫu 06-TCD): numbered from 1 each year per agency."""

    agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    received_on = models.DateField(_("ngày tiếp"))
    citizen_name = models.CharField(_("họ tên"), max_length=255)
    citizen_id_number = models.CharField(_("số CCCD"), max_length=32, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500)
    people_count = models.PositiveSmallIntegerField(_("số người"), default=1)
    content = models.TextField(_("nội dung vụ việc"))
    prior_handling = models.TextField(_("cơ quan đã giải quyết"), blank=True)
    request = models.TextField(_("yêu cầu của công dân"), blank=True)
    outcome = models.TextField(_("kết quả tiếp, hướng xử lý"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ tiếp"), on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.ForeignKey(
        "khieunai.Feedback",
        verbose_name=_("đơn đã nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "number"], name="citizen_reception_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}/{self.year} {self.citizen_name}"
