import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..validators import validate_agency_code, validate_office_hours, validate_saturday_hours


class AgencyLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã, phường, đặc khu")
    ONE_STOP_CENTRE = "centre", _("Trung tâm Phục vụ hành chính công")
    UNIT = "unit", _("Phòng, ban chuyên môn")


class CentreKind(models.TextChoices):
    """Which kind of one-stop counter an agency is (blank: not told; its level decides). Since
    01/07/2025 a province has one public-service centre, which may open branches and
    receiving points, and each commune its one-stop (NĐ 118/2025/NĐ-CP, Điều 7). What each
    kind receives: thutuc.catalogue.places.receivable_q."""

    NONE = "", _("Không phải bộ phận tiếp nhận")
    PROVINCIAL = "provincial", _("Trung tâm Phục vụ hành chính công tỉnh")
    BRANCH = "branch", _("Chi nhánh của Trung tâm tỉnh")
    COMMUNE = "commune", _("Bộ phận Một cửa cấp xã")
    RECEIVING_POINT = "point", _("Điểm tiếp nhận")


def in_force_q(on: dt.date, prefix: str = "") -> Q:
    """Agencies in force on day `on`: open (is_active) and within valid_from..valid_to."""
    return (
        Q(**{f"{prefix}is_active": True})
        & (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": on}))
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on}))
    )


def in_force_during_q(start: dt.date, end: dt.date) -> Q:
    """Agencies that existed on some day of start..end (both included): those still open,
    and those a reorganisation ended (valid_to set) — but not those merely switched off
    without a date, which count as never having reported."""
    return (
        (Q(is_active=True) | Q(valid_to__isnull=False))
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    )


class AgencyQuerySet(models.QuerySet):
    def in_force(self, on: dt.date | None = None):
        return self.filter(in_force_q(on or timezone.localdate()))

    def in_force_during(self, start: dt.date, end: dt.date):
        return self.filter(in_force_during_q(start, end))


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
    # The life of the agency (a merger, a split, the end of the district level on
    # 30/06/2025): valid_to is its last day. Ended agencies stay, with their history.
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_to = models.DateField(
        _("hoạt động đến hết ngày"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối cùng cơ quan hoạt động; sau ngày này không tiếp nhận hồ sơ mới."),
    )
    centre_kind = models.CharField(
        _("loại bộ phận tiếp nhận"), max_length=16, choices=CentreKind.choices, blank=True, default=""
    )
    # Set by a reorganisation (thutuc.models.Reorganisation): the agency that took over this
    # one's archive and staff. Its staff see this agency's dossiers as their own.
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
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

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc hoạt động phải sau ngày bắt đầu.")})

    def is_in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= on)
            and (self.valid_to is None or on <= self.valid_to)
        )

    @property
    def can_receive_dossiers(self) -> bool:
        return bool(self.code) and self.is_in_force()
