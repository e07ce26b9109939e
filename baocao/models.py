"""The quarterly CCHC report of a unit to Sở Nội vụ, its history, and rendered exports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models.append_only import AppendOnlyModel


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    RESUBMITTED = "resubmitted", _("Đã gửi lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class QuarterlyReport(models.Model):
    """Báo cáo công tác cải cách hành chính quý. Figures are live while the report is a draft
    (or returned); at each submission they are frozen into `snapshot`, and everything shown
    or exported afterwards comes from the snapshot."""

    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("đơn vị báo cáo"),
        on_delete=models.PROTECT,
        related_name="cchc_reports",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), choices=[(q, str(q)) for q in (1, 2, 3, 4)])
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn gửi báo cáo"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    results = models.TextField(_("kết quả đạt được"), blank=True)
    shortcomings = models.TextField(_("tồn tại, hạn chế"), blank=True)
    causes = models.TextField(_("nguyên nhân"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    snapshot = models.JSONField(_("số liệu đã chốt"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("lần gửi"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người lập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_comment = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("báo cáo cải cách hành chính quý")
        verbose_name_plural = _("báo cáo cải cách hành chính quý")
        ordering = ["-year", "-quarter", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "quarter"], name="quarterly_report_unique")
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"], name="report_quarter_status")]
        permissions = [
            ("submit_quarterlyreport", _("Gửi báo cáo cải cách hành chính")),
            ("review_quarterlyreport", _("Tiếp nhận, trả lại báo cáo cải cách hành chính")),
            ("view_statistics", _("Xem thống kê giải quyết TTHC")),
        ]

    def __str__(self):
        return f"{self.agency} – Quý {self.quarter}/{self.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_late(self) -> bool:
        """Late when first sent after the deadline day (local date), or still unsent after it.
        A resubmission after a return does not make a report late."""
        from django.utils import timezone

        if self.first_submitted_at is not None:
            return timezone.localdate(self.first_submitted_at) > self.deadline
        return timezone.localdate() > self.deadline


class ReportEvent(AppendOnlyModel):
    """Append-only history of a report: who did what, when, with which comment. Never edited
    or deleted (AppendOnlyModel; on PostgreSQL also a trigger, migration baocao 0002); a report
    with a history cannot be deleted (PROTECT) — docs/trust-audit.md."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("thao tác"), max_length=16)
    status_before = models.CharField(max_length=16, choices=ReportStatus.choices, blank=True)
    status_after = models.CharField(max_length=16, choices=ReportStatus.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action}"


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang tạo tệp")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Lỗi")


class ReportExport(models.Model):
    """A rendered PDF/Excel file. `key` is the hash of the exact payload rendered, so the
    same figures are rendered once and served again; the file is served only through a
    permission-checked view (never from MEDIA_URL)."""

    key = models.CharField(max_length=64)
    format = models.CharField(_("định dạng"), max_length=4, choices=ExportFormat.choices)
    report = models.ForeignKey(
        QuarterlyReport, null=True, blank=True, on_delete=models.CASCADE, related_name="exports"
    )
    # Agencies whose data the file holds (None = the whole province): the download check.
    agency = models.ForeignKey(
        "thutuc.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tên tệp"), max_length=255)
    payload = models.JSONField(editable=False)
    status = models.CharField(max_length=8, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="bao-cao/%Y/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["key", "format"], name="report_export_unique")]

    def __str__(self):
        return self.title

    @property
    def filename(self) -> str:
        return f"{self.title}.{self.format}"


class RequestKind(models.TextChoices):
    """The reporting calendar's periods (NĐ 09/2019/NĐ-CP Điều 12) besides the quarterly CCHC
    report, and the ad-hoc request ("báo cáo đột xuất")."""

    MONTHLY = "monthly", _("Hằng tháng")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class ReportRequest(models.Model):
    """A report Sở Nội vụ asks chosen units for: a periodic one of the reporting calendar or an
    ad-hoc one, with its own due date. Each unit's answer is a `ReportRequestUnit`."""

    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=RequestKind.choices)
    title = models.CharField(_("tên báo cáo"), max_length=255)
    content = models.TextField(_("nội dung yêu cầu"))
    period_start = models.DateField(_("số liệu từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("số liệu đến ngày"), null=True, blank=True)
    due_date = models.DateField(_("hạn gửi"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["-due_date", "-pk"]

    def __str__(self):
        return self.title


class RequestUnitStatus(models.TextChoices):
    PENDING = "pending", _("Chưa gửi")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class ReportRequestUnit(models.Model):
    """One unit's answer to a report request: its text, when it was first sent (the late
    mark), Sở Nội vụ's verdict."""

    request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="units")
    agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="report_requests"
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=RequestUnitStatus.choices, default=RequestUnitStatus.PENDING
    )
    answer = models.TextField(_("nội dung báo cáo"), blank=True)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("lý do trả lại"), blank=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị theo yêu cầu")
        verbose_name_plural = _("báo cáo của đơn vị theo yêu cầu")
        ordering = ["request", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["request", "agency"], name="report_request_unit_unique")
        ]

    def __str__(self):
        return f"{self.request} – {self.agency}"

    @property
    def is_editable(self) -> bool:
        return self.status in (RequestUnitStatus.PENDING, RequestUnitStatus.RETURNED)

    @property
    def is_late(self) -> bool:
        """As the quarterly report: first sent after the due day, or unsent after it."""
        from django.utils import timezone

        if self.first_submitted_at is not None:
            return timezone.localdate(self.first_submitted_at) > self.request.due_date
        return timezone.localdate() > self.request.due_date
