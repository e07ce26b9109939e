from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = (
    _("thứ Hai"),
    _("thứ Ba"),
    _("thứ Tư"),
    _("thứ Năm"),
    _("thứ Sáu"),
    _("thứ Bảy"),
    _("Chủ nhật"),
)


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
            models.UniqueConstraint(
                fields=["date", "agency"],
                name="calendarday_unique_date_agency",
                violation_error_message=_("Cơ quan này đã có một ngày điều chỉnh vào ngày đó."),
            ),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="calendarday_unique_global_date",
                violation_error_message=_("Đã có một ngày điều chỉnh chung (mọi cơ quan) vào ngày đó."),
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if not self.date or self.kind not in CalendarDayKind.values:
            return
        works, why = self.baseline(self.kind)
        label = f"{WEEKDAY_NAMES[self.date.weekday()]} {self.date:%d/%m/%Y}"
        if self.kind == CalendarDayKind.WORKING_DAY and works:
            raise ValidationError(
                {
                    "kind": _("%(day)s đã là ngày làm việc (%(why)s), không cần thêm ngày làm việc.")
                    % {"day": label, "why": why}
                }
            )
        if self.kind == CalendarDayKind.DAY_OFF and not works:
            raise ValidationError(
                {
                    "kind": _("%(day)s đã là ngày nghỉ (%(why)s), không cần thêm ngày nghỉ.")
                    % {"day": label, "why": why}
                }
            )

    def baseline(self, kind: str) -> tuple[bool, str]:
        """Would `self.date` be a working day without this override? And why (in Vietnamese).

        A national override is checked against the package: a make-up day the package implies
        counts as a day off for a working-day override (that is what the import adds) and as
        a working day for a day-off override (so that an admin can cancel it). An agency's
        override is checked against its office hours and the national override of the day."""
        from ..calendar import (
            DEFAULT_OFFICE_HOURS,
            WorkingCalendar,
            national_holiday_name,
            package_makeup_days,
            parse_hours,
        )

        day = self.date
        holiday = national_holiday_name(day)
        if self.agency_id is None:
            makeup = package_makeup_days([day.year]) if kind == CalendarDayKind.DAY_OFF else {}
            calendar = WorkingCalendar(extra_working_days=frozenset(makeup))
            national = None
        else:
            national = (
                CalendarDay.objects.filter(date=day, agency__isnull=True)
                .exclude(pk=self.pk)
                .only("kind")
                .first()
            )
            overrides = {national.kind: {day}} if national else {}
            try:
                calendar = WorkingCalendar(
                    weekday_hours=parse_hours(self.agency.office_hours or DEFAULT_OFFICE_HOURS),
                    saturday_hours=parse_hours(self.agency.saturday_hours),
                    extra_days_off=frozenset(overrides.get(CalendarDayKind.DAY_OFF, ())),
                    extra_working_days=frozenset(overrides.get(CalendarDayKind.WORKING_DAY, ())),
                )
            except ValueError:
                calendar = WorkingCalendar()
        works = calendar.is_working_day(day)
        if national is not None:
            why = _("theo ngày điều chỉnh chung: %(reason)s") % {"reason": national.reason}
        elif holiday and not works:
            why = _("ngày lễ: %(name)s") % {"name": holiday}
        elif works and day.weekday() >= 5 and self.agency_id is None:
            why = _("ngày làm bù theo lịch nghỉ lễ")
        elif works and day.weekday() == 5:
            why = _("cơ quan làm việc sáng thứ Bảy")
        elif works:
            why = _("ngày thường từ thứ Hai đến thứ Sáu")
        else:
            why = _("nghỉ hằng tuần")
        return works, str(why)
