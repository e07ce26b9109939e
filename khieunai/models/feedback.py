"""Citizen feedback (phản ánh, kiến nghị), complaints (khiếu nại) and denunciations (tố cáo)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel


class FeedbackKind(models.TextChoices):
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị")
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")


class FeedbackChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Trực tiếp tại cơ quan")
    HOTLINE = "hotline", _("Đường dây nóng")
    MAIL = "mail", _("Thư, đơn qua bưu chính")
    EMAIL = "email", _("Thư điện tử")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Mới tiếp nhận")
    FORWARDED = "forwarded", _("Đã chuyển cơ quan có thẩm quyền")
    REJECTED = "rejected", _("Không thụ lý")
    IN_PROGRESS = "in_progress", _("Đang giải quyết")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")


OPEN_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.IN_PROGRESS)

# Labels of the history actions (FeedbackEvent.action).
EVENT_LABELS = {
    "received": _("Tiếp nhận"),
    "triaged": _("Phân loại"),
    "accepted": _("Thụ lý"),
    "refused": _("Không thụ lý"),
    "forwarded": _("Chuyển cơ quan có thẩm quyền"),
    "assigned": _("Phân công xử lý"),
    "answered": _("Trả lời"),
    "closed": _("Kết thúc"),
    "published": _("Công khai kết quả"),
    "linked": _("Liên kết hồ sơ, cán bộ"),
    "forward_received": _("Nhận đơn do cơ quan khác chuyển đến"),
    "forward_answered": _("Cơ quan được chuyển đơn đã trả lời"),
}


class TriageClass(models.TextChoices):
    """The four classes of NĐ 20/2008 for feedback; complaints are accepted or refused."""

    NONE = "", _("Chưa phân loại")
    NOT_ACCEPTED = "not_accepted", _("Không thuộc phạm vi tiếp nhận")
    OFFICIAL_CONDUCT = "official_conduct", _("Về hành vi của cán bộ, công chức (chuyển xử lý)")
    WITHIN_COMPETENCE = "within", _("Thuộc thẩm quyền")
    OUTSIDE_COMPETENCE = "outside", _("Không thuộc thẩm quyền (chuyển cơ quan có thẩm quyền)")


class Feedback(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=FeedbackKind.choices)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=8, choices=FeedbackChannel.choices)
    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    submitter_name = models.CharField(_("họ tên người gửi"), max_length=255, blank=True)
    submitter_id_number = models.CharField(_("số định danh, CCCD"), max_length=32, blank=True)
    submitter_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    submitter_email = models.EmailField(_("thư điện tử"), blank=True)
    submitter_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=255)
    content = models.TextField(_("nội dung"))
    related_dossier = models.ForeignKey(
        "motcua.Dossier",
        verbose_name=_("hồ sơ liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ bị phản ánh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    triage = models.CharField(
        _("phân loại"), max_length=16, choices=TriageClass.choices, default="", blank=True
    )
    triage_due_at = models.DateTimeField(_("hạn phân loại, chuyển"), null=True, blank=True)
    triaged_at = models.DateTimeField(_("thời điểm phân loại"), null=True, blank=True)
    triage_note = models.TextField(_("lý do, ghi chú phân loại"), blank=True)
    forwarded_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    # Forwarded inside the portal: the agency's own case (`forwards`) is in its list with the
    # history; its answer comes back to this record (services.feedback_answer).
    forwarded_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan được chuyển đến"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("chuyển đến từ đơn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwards",
    )
    handling_unit = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("đơn vị xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_feedback",
    )
    accepted_at = models.DateTimeField(_("thời điểm thụ lý"), null=True, blank=True)
    is_complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    is_remote_area = models.BooleanField(_("vùng sâu, vùng xa, đi lại khó khăn"), default=False)
    is_second_instance = models.BooleanField(_("giải quyết lần hai"), default=False)
    due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True)
    # Key of the legal limit (khieunai.deadlines) each deadline was computed from.
    triage_rule = models.CharField(max_length=40, blank=True, editable=False)
    due_rule = models.CharField(max_length=40, blank=True, editable=False)
    # The deadline that runs now (triage_due_at while received, due_at while in progress):
    # kept by the services so that lists and alerts filter and sort on one indexed column.
    next_due_at = models.DateTimeField(_("hạn hiện tại"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_feedback",
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    publish_answer = models.BooleanField(_("đồng ý công khai câu trả lời"), default=False)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    public_title = models.CharField(
        _("tiêu đề công khai"),
        max_length=255,
        blank=True,
        help_text=_("Tiêu đề hiển thị trên trang công khai, không chứa thông tin cá nhân."),
    )
    pin_hash = models.CharField(max_length=128, editable=False)
    # When the submitter agreed to the processing of the personal data they gave, after the
    # notice on the form (NĐ 13/2023/NĐ-CP Điều 11; see khieunai/consent.py). Empty for an
    # anonymous submission and for entries made by staff (consent given on paper).
    consent_at = models.DateTimeField(_("đồng ý xử lý dữ liệu cá nhân lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ nhập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phản ánh, kiến nghị, khiếu nại, tố cáo")
        verbose_name_plural = _("phản ánh, kiến nghị, khiếu nại, tố cáo")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["agency", "received_at"], name="feedback_agency_received"),
            models.Index(fields=["status", "due_at"], name="feedback_status_due"),
            models.Index(fields=["status", "next_due_at"], name="feedback_status_next_due"),
            models.Index(fields=["published_at"], name="feedback_published"),
        ]
        permissions = [
            ("triage_feedback", _("Phân loại, thụ lý phản ánh, khiếu nại, tố cáo")),
            ("assign_feedback", _("Phân công xử lý phản ánh, khiếu nại, tố cáo")),
            ("answer_feedback", _("Trả lời phản ánh, khiếu nại, tố cáo")),
            ("close_feedback", _("Kết thúc, công khai kết quả")),
        ]

    def __str__(self):
        return self.code


def attachment_path(instance, filename: str) -> str:
    """A path nobody can guess (the file is only ever served by a view that checks access)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"khieunai/{secrets.token_hex(16)}/{secrets.token_hex(8)}.{extension}"


class FeedbackAttachment(models.Model):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp đính kèm"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self):
        return self.original_name


class FeedbackEvent(AppendOnlyModel):
    """Append-only history of a feedback case: never edited or deleted (AppendOnlyModel;
    on PostgreSQL also a trigger, migration khieunai 0007+)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("thao tác"), max_length=32)
    status_before = models.CharField(max_length=16, choices=FeedbackStatus.choices, blank=True)
    status_after = models.CharField(max_length=16, choices=FeedbackStatus.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("lịch sử xử lý phản ánh")
        verbose_name_plural = _("lịch sử xử lý phản ánh")
        ordering = ["feedback", "at", "pk"]

    def __str__(self):
        return f"{self.feedback_id} {self.action}"


class RegisterCounter(models.Model):
    """The last number issued in one numbered series (feedback codes of a year, one
    agency's citizen-reception register of a year). Incremented under a row lock."""

    series = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="register_counter_unique")]

    def __str__(self):
        return f"{self.series}/{self.year}: {self.last_number}"
