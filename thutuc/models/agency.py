from django.db import models
from django.utils.translation import gettext_lazy as _

from ..validators import validate_agency_code, validate_office_hours, validate_saturday_hours


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã, phường, đặc khu")
    ONE_STOP_CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")
    UNIT = "unit", _("Phòng, ban chuyên môn")


class Agency(models.Model):
    """A public body: UBND tỉnh/xã, a sở, a phòng, the one-stop centre."""

    code = models.CharField(
        _("mã định danh"),
        max_length=13,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_agency_code],
        help_text=_("Dạng 000.00.06.H56. Đơn vị chưa có mã định danh không tiếp nhận được hồ sơ."),
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    level = models.CharField(_("cấp"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_home_affairs = models.BooleanField(
        _("là Sở Nội vụ"), default=False, help_text=_("Nhận báo cáo cải cách hành chính của các đơn vị.")
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    # Office hours as "HH:MM-HH:MM" ranges, comma-separated; blank = the default
    # 08:00-12:00,13:00-17:00 (thutuc.calendar). Saturday blank = closed on Saturday.
    office_hours = models.CharField(
        _("giờ làm việc (thứ Hai – thứ Sáu)"),
        max_length=64,
        blank=True,
        validators=[validate_office_hours],
        help_text=_(
            "Các khoảng giờ cộng lại đúng 8 giờ, ví dụ: 07:30-11:30,13:00-17:00. "
            "Để trống: 08:00-12:00,13:00-17:00."
        ),
    )
    saturday_hours = models.CharField(
        _("giờ làm việc sáng thứ Bảy"),
        max_length=64,
        blank=True,
        validators=[validate_saturday_hours],
        help_text=_("Ví dụ: 07:30-11:30. Để trống nếu không làm việc thứ Bảy."),
    )

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def can_receive_dossiers(self) -> bool:
        return bool(self.code) and self.is_active
