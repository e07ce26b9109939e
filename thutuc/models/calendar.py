from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")


class CalendarDay(models.Model):
    """An override of the working calendar on top of the `holidays` package: an extra day
    off, or a make-up working day (làm bù), with the document that decided it."""

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=CalendarDayKind.choices)
    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("áp dụng cho cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
        help_text=_("Để trống: áp dụng cho mọi cơ quan."),
    )
    reason = models.CharField(_("lý do"), max_length=255)
    legal_document = models.CharField(_("văn bản quyết định"), max_length=255, blank=True)
    imported = models.BooleanField(
        _("nhập tự động"), default=False, help_text=_("Ngày làm bù lấy từ gói holidays (ngày nghỉ hoán đổi).")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("lịch làm việc: ngày điều chỉnh")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "agency"], name="calendarday_unique_date_agency"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="calendarday_unique_global_date",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"
