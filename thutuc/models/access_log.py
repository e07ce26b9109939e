from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel


class AccessAction(models.TextChoices):
    VIEW = "view", _("Xem hồ sơ đầy đủ")
    PRINT = "print", _("In phiếu")
    EXPORT = "export", _("Xuất dữ liệu")
    DOWNLOAD = "download", _("Tải tệp")
    SEARCH = "search", _("Tìm hồ sơ theo thông tin cá nhân")


class AccessLog(AppendOnlyModel):
    """One staff access to citizens' personal data (NĐ 13/2023/NĐ-CP): who, when, what.
    Written by `thutuc.accounts.audit.log_access` after the view has authorised the request."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        # The row outlives the account; `username` keeps who it was.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150)
    action = models.CharField(_("thao tác"), max_length=16, choices=AccessAction.choices)
    object_type = models.CharField(_("loại dữ liệu"), max_length=64)
    object_ref = models.CharField(_("mã"), max_length=64, blank=True)
    label = models.CharField(_("mô tả"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("số dòng"), null=True, blank=True)
    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan quản lý dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    path = models.CharField(_("đường dẫn"), max_length=500)
    client_address = models.CharField(_("địa chỉ máy"), max_length=64, blank=True)

    class Meta(AppendOnlyModel.Meta):
        # The table keeps the name it had in the dossier app (issue 15 moved the model here);
        # its PostgreSQL append-only trigger (motcua migration 0010) stays on it.
        db_table = "motcua_accesslog"
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"], name="accesslog_at"),
            models.Index(fields=["agency", "at"], name="accesslog_agency_at"),
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
            models.Index(fields=["object_ref"], name="accesslog_object_ref"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} {self.object_ref}"
