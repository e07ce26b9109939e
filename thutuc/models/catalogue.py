"""The TTHC catalogue: fields, procedures, their cases, papers, fees and routing steps."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """Units of a processing time; the values are what thutuc.calendar.WorkingCalendar.due_at takes."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class ProcedureLevel(models.TextChoices):
    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
    PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
    NONE = "none", _("Chỉ cung cấp thông tin")


class Field(models.Model):
    """Lĩnh vực: the sector a procedure belongs to."""

    code = models.CharField(_("mã lĩnh vực"), max_length=32, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The field's name is part of its procedures' search text ("dat dai" finds them all).
        for procedure in self.procedures.all():
            procedure.field = self
            procedure.save(update_fields=["search_text"])


validate_procedure_code = RegexValidator(
    r"^\d\.\d{6}$", _("Mã thủ tục phải có dạng n.nnnnnn, ví dụ 1.001193."), code="invalid_procedure_code"
)


class Procedure(models.Model):
    """Thủ tục hành chính, as published in the national TTHC database."""

    code = models.CharField(_("mã thủ tục"), max_length=16, unique=True, validators=[validate_procedure_code])
    name = models.CharField(_("tên thủ tục"), max_length=500)
    # Code, name and field name, lower case without diacritics ("1.001193 dang ky khai sinh
    # ho tich"), kept in step by save() (and Field.save()): the public search and the
    # counter's search match every typed word against it, in any order.
    search_text = models.CharField(max_length=800, editable=False, db_index=True, default="")
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=ProcedureLevel.choices)
    receiving_agencies = models.ManyToManyField(
        "thutuc.Agency", verbose_name=_("cơ quan tiếp nhận"), related_name="received_procedures", blank=True
    )
    competent_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competent_procedures",
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=16,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    immediate_result = models.BooleanField(_("trả kết quả ngay"), default=False)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    is_sample = models.BooleanField(_("dữ liệu mẫu"), default=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def save(self, *args, **kwargs):
        field_name = self.field.name if self.field_id else ""
        self.search_text = procedure_search_text(self.code, self.name, field_name)
        super().save(*args, **kwargs)


def procedure_search_text(code: str, name: str, field_name: str) -> str:
    from core.text import fold

    return fold(f"{code} {name} {field_name}")


class ProcedureCase(models.Model):
    """Trường hợp: one variant of a procedure with its own papers, time and fees.
    Every procedure has at least one case; a single case is chosen without a click."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="cases"
    )
    name = models.CharField(_("tên trường hợp"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    processing_unit = models.CharField(
        _("đơn vị thời gian"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    cutoff_time = models.TimeField(
        _("giờ chốt trong ngày"),
        null=True,
        blank=True,
        help_text=_("Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo, ví dụ 15:00."),
    )

    class Meta:
        verbose_name = _("trường hợp thủ tục")
        verbose_name_plural = _("trường hợp thủ tục")
        ordering = ["procedure", "order", "pk"]
        constraints = [
            # (procedure code, case order) identifies a case in the Excel import/export.
            models.UniqueConstraint(
                fields=["procedure", "order"],
                name="thutuc_case_unique_order",
                violation_error_message=_("Thủ tục đã có một trường hợp với số thứ tự này."),
            )
        ]

    def __str__(self):
        return self.name or str(self.procedure.name)

    @property
    def processing_time_display(self) -> str:
        """'5 ngày làm việc', '4 giờ làm việc', '0,5 ngày làm việc'."""
        from ..catalogue.rules import format_duration

        return format_duration(self.processing_time, self.processing_unit)


class ProcedureDocument(models.Model):
    """Thành phần hồ sơ: one paper the applicant brings."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("trường hợp"), on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    # Checked by content when uploaded in the admin (catalogue/upload_check.py); served only
    # through thutuc:document_template, never from MEDIA_URL.
    template = models.FileField(_("mẫu đơn, tờ khai"), upload_to="mau-don/", blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["case", "order", "pk"]

    def __str__(self):
        return self.name


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class FeeCollection(models.TextChoices):
    BEFORE = "before", _("Thu khi nộp hồ sơ")
    AFTER = "after", _("Thu khi trả kết quả")


class ProcedureFee(models.Model):
    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("trường hợp"), on_delete=models.CASCADE, related_name="fees"
    )
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.CHARGE)
    amount = models.DecimalField(
        _("mức thu (đồng)"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    collected = models.CharField(
        _("thời điểm thu"), max_length=8, choices=FeeCollection.choices, default=FeeCollection.BEFORE
    )

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["case", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount if self.amount is not None else self.description}"

    def clean(self):
        if self.amount is None and not (self.description or "").strip():
            raise ValidationError(
                _("Phí, lệ phí phải có mức thu hoặc mô tả (ví dụ: «Miễn phí» hoặc «Theo diện tích»)."),
                code="fee_empty",
            )


class StepRole(models.TextChoices):
    RECEPTION = "reception", _("Bộ phận một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    LEADER = "leader", _("Lãnh đạo")


class ProcedureStep(models.Model):
    """One step of the internal routing (quy trình nội bộ, liên thông) with its allotment."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("trường hợp"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("bước"), default=1)
    name = models.CharField(_("nội dung công việc"), max_length=255)
    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan, đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedure_steps",
        help_text=_("Để trống: cơ quan có thẩm quyền của thủ tục."),
    )
    role = models.CharField(
        _("vai trò"), max_length=16, choices=StepRole.choices, default=StepRole.SPECIALIST
    )
    allotted_time = models.DecimalField(
        _("thời gian"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    allotted_unit = models.CharField(
        _("đơn vị thời gian"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_HOURS
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình xử lý")
        ordering = ["case", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.name}"
