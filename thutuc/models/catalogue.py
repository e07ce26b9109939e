"""The TTHC catalogue: fields, procedures, their cases, papers, fees and routing steps."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeUnit(models.TextChoices):
    """Units of a processing time; the values are what thutuc.calendar.WorkingCalendar.due_at takes.
    The national database states times in "Ngày làm việc", "Ngày", "Giờ" and "Tháng"."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    HOURS = "hours", _("giờ")
    MONTHS = "months", _("tháng")


class ProcedureLevel(models.TextChoices):
    """Cấp thực hiện. A procedure may be published at several levels at once ("Cấp tỉnh,
    Cấp xã"): `Procedure.levels` holds a set of these values."""

    CENTRAL = "central", _("Cấp trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")
    COMMUNE = "commune", _("Cấp xã")
    OTHER = "other", _("Cơ quan khác")


# The levels of the hierarchy in order (how a set of levels is written and shown).
LEVEL_ORDER = [level.value for level in ProcedureLevel]


def levels_value(levels) -> str:
    """A set of level values as stored in `Procedure.levels`: comma-separated, in the
    hierarchy's order ("province,commune"). No value is a substring of another, so that
    `levels__contains="commune"` is an exact membership test."""
    wanted = set(levels)
    return ",".join(level for level in LEVEL_ORDER if level in wanted)


class SubmissionChannel(models.TextChoices):
    """Hình thức nộp hồ sơ, as the national database lists them per procedure. The values
    are those of the dossier's channel (motcua.models.Channel)."""

    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


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


# A national code n.nnnnnn, possibly followed by a province's local or variant part:
# 1.001193, 1.000948.H38, 2.001218.000.00.00.H38.
PROCEDURE_CODE_RE = r"^\d\.\d{6}(\.[0-9A-Z]{1,4}){0,4}$"

validate_procedure_code = RegexValidator(
    PROCEDURE_CODE_RE,
    _(
        "Mã thủ tục phải có dạng n.nnnnnn (mã quốc gia), có thể kèm phần mã địa phương, "
        "ví dụ 1.001193, 1.000948.H38 hoặc 2.001218.000.00.00.H38."
    ),
    code="invalid_procedure_code",
)


class Procedure(models.Model):
    """Thủ tục hành chính, as published in the national TTHC database."""

    code = models.CharField(_("mã thủ tục"), max_length=40, unique=True, validators=[validate_procedure_code])
    # Real names reach 1,100 characters (the longest national name is 1,094).
    name = models.CharField(_("tên thủ tục"), max_length=2000)
    # Code, name and field name, lower case without diacritics ("1.001193 dang ky khai sinh
    # ho tich"), kept in step by save() (and Field.save()): the public search and the
    # counter's search match every typed word against it, in any order.
    search_text = models.CharField(max_length=2500, editable=False, db_index=True, default="")
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    # One or more ProcedureLevel values, comma-separated in hierarchy order (levels_value).
    # They decide where the procedure is received and resolved when the row names no
    # agency (thutuc.catalogue.places).
    levels = models.CharField(_("cấp thực hiện"), max_length=64)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    receiving_agencies = models.ManyToManyField(
        "thutuc.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        related_name="received_procedures",
        blank=True,
        help_text=_("Để trống: mọi cơ quan của cấp thực hiện và các trung tâm phục vụ hành chính công."),
    )
    competent_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan có thẩm quyền"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="competent_procedures",
        help_text=_("Để trống: cơ quan của cấp thực hiện tiếp nhận hồ sơ (ví dụ Ủy ban nhân dân xã)."),
    )
    # The agencies as the national database names them, often generically ("Ủy ban nhân
    # dân cấp xã"); shown to citizens, never used for routing.
    competent_agency_text = models.TextField(_("cơ quan có thẩm quyền (theo công bố)"), blank=True)
    implementing_agency_text = models.TextField(_("cơ quan thực hiện (theo công bố)"), blank=True)
    authorised_agency_text = models.TextField(_("cơ quan được ủy quyền"), blank=True)
    coordinating_agency_text = models.TextField(_("cơ quan phối hợp"), blank=True)
    receiving_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    decision_number = models.CharField(_("số quyết định công bố"), max_length=255, blank=True)
    decision_effective_date = models.DateField(
        _("ngày quyết định công bố có hiệu lực"), null=True, blank=True
    )
    sequence = models.TextField(_("trình tự thực hiện"), blank=True)
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    # Result-type codes of the national database (KQ.G15.000033), one per line.
    result_codes = models.TextField(_("mã kết quả"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    related_procedures = models.TextField(_("thủ tục hành chính liên quan"), blank=True)
    source_url = models.URLField(_("đường dẫn trên Cơ sở dữ liệu quốc gia"), max_length=500, blank=True)
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

    @property
    def level(self) -> str:
        """The first of the procedure's levels (hierarchy order). A procedure may have several:
        read `level_list` or `has_level()` to decide anything. Setting it sets the one level
        (Procedure(level="commune") as a shorthand)."""
        levels = self.level_list
        return levels[0] if levels else ""

    @level.setter
    def level(self, value: str) -> None:
        self.levels = levels_value([value])

    @property
    def level_list(self) -> list[str]:
        """The procedure's levels (ProcedureLevel values), in hierarchy order."""
        return [level for level in (self.levels or "").split(",") if level]

    def has_level(self, level: str) -> bool:
        return level in self.level_list

    @property
    def levels_display(self) -> str:
        """'Cấp tỉnh, Cấp xã'."""
        labels = dict(ProcedureLevel.choices)
        return ", ".join(str(labels.get(level, level)) for level in self.level_list)

    @property
    def national_code(self) -> str:
        """The national part of the code: '1.000948' for the local variant '1.000948.H38'."""
        return self.code[:8]


def procedure_search_text(code: str, name: str, field_name: str) -> str:
    from core.text import fold

    return fold(f"{code} {name} {field_name}")


class ProcedureCase(models.Model):
    """Trường hợp: one variant of a procedure with its own papers, time and fees.
    Every procedure has at least one case; a single case is chosen without a click."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="cases"
    )
    name = models.CharField(_("tên trường hợp"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    # A case absent from an imported file is withdrawn, never deleted: dossiers point at it.
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # Blank: the time is not stated ("Không có thông tin"). Such a case cannot be received
    # until it has one (thutuc.catalogue.rules.case_not_receivable_reason).
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Để trống khi văn bản công bố không quy định: chưa tiếp nhận được hồ sơ."),
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
    # The "Mô tả" column of the national table of channels (how to file, time breakdown).
    channel_description = models.TextField(_("mô tả cách thức thực hiện"), blank=True)
    # The notes the national database lists among the papers ("* Lưu ý:"), and the number of sets.
    documents_note = models.TextField(_("lưu ý về thành phần hồ sơ"), blank=True)

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
        """'5 ngày làm việc', '4 giờ làm việc', '0,5 ngày làm việc'; 'Không quy định' when not stated."""
        from ..catalogue.rules import format_duration

        return format_duration(self.processing_time, self.processing_unit) or str(_("Không quy định"))


class CaseChannel(models.Model):
    """Thời hạn theo hình thức nộp: the time of a case for one channel (online, at the
    counter, by post), as the national database states it per channel. A dossier received by
    that channel is due by this time; blank time = the case's own time."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("trường hợp"), on_delete=models.CASCADE, related_name="channels"
    )
    channel = models.CharField(_("hình thức nộp"), max_length=8, choices=SubmissionChannel.choices)
    processing_time = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    processing_unit = models.CharField(
        _("đơn vị thời gian"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    class Meta:
        verbose_name = _("thời hạn theo hình thức nộp")
        verbose_name_plural = _("thời hạn theo hình thức nộp")
        ordering = ["case_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "channel"],
                name="thutuc_case_channel_unique",
                violation_error_message=_("Mỗi hình thức nộp chỉ ghi một lần trong một trường hợp."),
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.processing_time_display}"

    @property
    def processing_time_display(self) -> str:
        from ..catalogue.rules import format_duration

        return format_duration(self.processing_time, self.processing_unit) or str(_("Không quy định"))


class DocumentKind(models.TextChoices):
    FILE = "file", _("Nộp")
    SHOW = "show", _("Xuất trình")


class ProcedureDocument(models.Model):
    """Thành phần hồ sơ: one paper the applicant files, or shows (xuất trình) and takes back."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("trường hợp"), on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    kind = models.CharField(
        _("nộp hay xuất trình"), max_length=8, choices=DocumentKind.choices, default="file"
    )
    # The heading the paper is listed under ("Hồ sơ của người nhận con nuôi"), blank for none.
    # a heading of the published list (some run past 1,000 characters in the national records)
    group = models.TextField(_("nhóm giấy tờ"), blank=True)
    # Real descriptions run past 500 characters: the full text is shown on the procedure
    # page; receipts print `print_name` (short) when there is one.
    name = models.CharField(_("tên giấy tờ"), max_length=3000)
    print_name = models.CharField(
        _("tên ngắn in trên phiếu"),
        max_length=150,
        blank=True,
        help_text=_("Tên ngắn gọn in trên giấy tiếp nhận; để trống: in tên giấy tờ."),
    )
    template_name = models.CharField(
        _("tên mẫu đơn, tờ khai"), max_length=255, blank=True, help_text=_("Ví dụ: Mẫu số 01/TK-HT.")
    )
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    # Checked by content when uploaded in the admin (catalogue/upload_check.py); served only
    # through thutuc:document_template, never from MEDIA_URL.
    template = models.FileField(_("tệp mẫu đơn, tờ khai"), upload_to="mau-don/", blank=True)
    note = models.CharField(_("ghi chú"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        # by the column, not the relation: "case" would order by the case's own ordering and
        # join the case and the procedure into every `case.<rows>.all()` (PostgreSQL planned
        # that join badly on fresh statistics: the catalogue import test ran for minutes in CI)
        ordering = ["case_id", "order", "pk"]

    def __str__(self):
        return self.name


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class FeeCollection(models.TextChoices):
    BEFORE = "before", _("Thu khi nộp hồ sơ")
    AFTER = "after", _("Thu khi trả kết quả")


class Currency(models.TextChoices):
    VND = "VND", _("đồng")
    USD = "USD", _("USD")


class ProcedureFee(models.Model):
    """Phí, lệ phí: an amount (0 = free) or a description, possibly per unit ("2.000 đồng/trang")
    with a cap, in đồng or USD, for every channel or one of them."""

    case = models.ForeignKey(
        ProcedureCase, verbose_name=_("trường hợp"), on_delete=models.CASCADE, related_name="fees"
    )
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.CHARGE)
    amount = models.DecimalField(
        _("mức thu"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("đơn vị tiền"), max_length=3, choices=Currency.choices, default=Currency.VND
    )
    per_unit = models.CharField(
        _("tính trên"), max_length=100, blank=True, help_text=_("Ví dụ: trang, bản, hồ sơ.")
    )
    cap = models.DecimalField(
        _("mức thu tối đa"),
        max_digits=14,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    description = models.TextField(_("mô tả"), blank=True)
    exemptions = models.TextField(_("miễn, giảm"), blank=True)
    channel = models.CharField(
        _("hình thức nộp"),
        max_length=8,
        choices=SubmissionChannel.choices,
        blank=True,
        help_text=_("Để trống: áp dụng cho mọi hình thức nộp."),
    )
    collected = models.CharField(
        _("thời điểm thu"), max_length=8, choices=FeeCollection.choices, default=FeeCollection.BEFORE
    )

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["case_id", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.amount_display or self.description}"

    @property
    def amount_display(self) -> str:
        """'Miễn phí', '8.000 đồng', '2.000 đồng/trang, tối đa 200.000 đồng', '10 USD/bản';
        '' when no amount."""
        from ..catalogue.rules import format_fee_amount

        return format_fee_amount(self.amount, self.currency, self.per_unit, self.cap)

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
    name = models.CharField(_("nội dung công việc"), max_length=500)
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
        ordering = ["case_id", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.name}"
