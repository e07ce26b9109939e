from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên hệ thống")


class Notification(models.Model):
    """One message to one recipient on one channel: to an applicant (address or phone) or to
    a member of staff (user). Recorded first, then sent by Celery after commit; a failed
    send keeps its error and is retried. `dedupe_key` makes each message exist once."""

    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    kind = models.CharField(_("loại"), max_length=32)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address = models.CharField(
        _("địa chỉ nhận"), max_length=255, blank=True, help_text=_("E-mail hoặc số điện thoại")
    )
    dossier = models.ForeignKey(
        "motcua.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What a notification not about a dossier is about, e.g. "feedback:12" (khieunai).
    reference = models.CharField(_("đối tượng"), max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    dedupe_key = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # For deadline alerts: the deadline the alert was about. When the dossier's deadline
    # moves (supplement, apology, calendar change) the old alert is stale and resolved.
    deadline = models.DateTimeField(_("hạn được cảnh báo"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # Claimed by a sender (committed) before anything goes to the gateway; a claim never
    # marked sent is never sent again (motcua.notifications.service.send_now).
    claimed_at = models.DateTimeField(_("bắt đầu gửi lúc"), null=True, blank=True)
    # The applicant's PIN, sealed (core.pins.seal), while a message carrying the direct
    # tracking link waits for delivery; wiped once sent. The body never holds the PIN.
    sealed_pin = models.TextField(blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_recipient_read"),
            # the header's unread-alert count on every staff page (an index-only scan)
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(read_at__isnull=True, channel="in_app"),
                name="notification_unread_in_app",
            ),
            models.Index(fields=["sent_at", "channel"], name="notification_unsent"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.subject}"


class AlertScanState(models.Model):
    """The watermark of the incremental deadline scan (`motcua.alerts.scan`): one row per
    scan name, locked (`select_for_update`) by the scan for the length of its transaction, so
    concurrent scans run one after the other and the watermark only moves forward.

    `scanned_until`: the `now` of the last scan (thresholds crossed after it are read next
    time); None forces a full scan (no scan yet, or the calendar changed).
    `changes_seen_at`: the wall-clock time at which that scan started (dossiers whose
    `updated_at` is later, minus a safety margin, are read again).
    `full_scan_at`: the `now` of the last full scan."""

    name = models.CharField(max_length=32, unique=True)
    scanned_until = models.DateTimeField(null=True, blank=True)
    changes_seen_at = models.DateTimeField(null=True, blank=True)
    full_scan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mốc quét cảnh báo")
        verbose_name_plural = _("mốc quét cảnh báo")

    def __str__(self) -> str:
        return f"{self.name}: {self.scanned_until}"
