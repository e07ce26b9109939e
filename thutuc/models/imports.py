import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJobStatus(models.TextChoices):
    CHECKING = "checking", _("Đang kiểm tra")
    CHECKED = "checked", _("Đã kiểm tra, chờ xác nhận nhập")
    APPLYING = "applying", _("Đang nhập")
    DONE = "done", _("Đã nhập xong")
    FAILED = "failed", _("Có lỗi, chưa nhập gì")


RUNNING = (ImportJobStatus.CHECKING, ImportJobStatus.APPLYING)


def import_file_path(instance, filename: str) -> str:
    return f"nhap-danh-muc/{uuid.uuid4().hex}.xlsx"  # a random name; the original is kept apart


class ImportJob(models.Model):
    """A catalogue workbook too long for the immediate preview: a Celery task checks it (the
    preview's dry run), the admin confirms, a second task imports it, all or nothing
    (thutuc.catalogue.jobs). Progress is in the cache while a task runs."""

    original_name = models.CharField(_("tệp"), max_length=255)
    file = models.FileField(_("tệp đã tải lên"), upload_to=import_file_path, max_length=200, blank=True)
    rows = models.PositiveIntegerField(_("số dòng dữ liệu"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.CHECKING
    )
    totals = models.JSONField(_("kết quả"), default=dict, blank=True)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), null=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập danh mục từ Excel")
        verbose_name_plural = _("các lần nhập danh mục từ Excel")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"
