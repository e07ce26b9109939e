"""The dossier (hồ sơ): one application by a citizen or organisation for one procedure."""

from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from core.text import fold


class Channel(models.TextChoices):
    DIRECT = "direct", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Bưu chính công ích")


class Status(models.TextChoices):
    """Internal statuses; NATIONAL_STATUS_CODE maps each to the national portal's code."""

    SUBMITTED_ONLINE = "submitted", _("Mới đăng ký")
    RECEIVED = "received", _("Đã tiếp nhận")
    NOT_ACCEPTED = "not_accepted", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    WAITING_SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    WAITING_PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESULT_READY = "result_ready", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


# Status codes of the national public-service portal (DVCQG), used by exports and reports.
NATIONAL_STATUS_CODE: dict[str, int] = {
    Status.SUBMITTED_ONLINE: 1,
    Status.RECEIVED: 2,
    Status.NOT_ACCEPTED: 3,
    Status.PROCESSING: 4,
    Status.WAITING_SUPPLEMENT: 5,
    Status.WAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESULT_READY: 9,
    Status.RETURNED: 10,
}

# The status groups, in one place (worklists, deadline recomputation, alerts, reports).
# Accepted and not finished: the dossier is at the agency.
OPEN_STATUSES = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.WAITING_SUPPLEMENT,
    Status.WAITING_PAYMENT,
)
# Open, and the processing clock runs: waiting for a supplement stops it (NĐ 61/2018/NĐ-CP
# Điều 19.4, the time is counted again when the complete supplement arrives).
CLOCK_RUNNING_STATUSES = (Status.RECEIVED, Status.PROCESSING, Status.WAITING_PAYMENT)
# Processing has ended (finished_at is set) in these statuses.
FINISHED_STATUSES = (Status.WITHDRAWN, Status.STOPPED, Status.RESULT_READY, Status.RETURNED)
# Finished on the applicant's side (withdrawn; stopped because the applicant did not supplement
# or pay, or asked to stop): counted as resolved on time whatever the dates (Biểu II.06a,
# docs/baocao.md).
ENDED_BY_APPLICANT_STATUSES = (Status.WITHDRAWN, Status.STOPPED)


class Outcome(models.TextChoices):
    NONE = "", _("Chưa có")
    APPROVED = "approved", _("Giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")
    STOPPED = "stopped", _("Dừng giải quyết")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    # Closed by the counter when the supplement was not brought in time (NĐ 118/2025/NĐ-CP
    # Điều 19 khoản 5, "đóng hồ sơ"); status stopped (national code 8).
    CLOSED = "closed", _("Đóng hồ sơ do không bổ sung")


class ApplicantType(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")


class ResultDelivery(models.TextChoices):
    COUNTER = "counter", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Nhận qua dịch vụ bưu chính")
    # The electronic result returned on the national portal (NĐ 118/2025/NĐ-CP Điều 22 khoản 3).
    ONLINE = "online", _("Nhận kết quả điện tử trên Cổng Dịch vụ công quốc gia")


SEARCH_NAME_FIELDS = ("applicant_name", "organisation_name", "representative_name")


def applicant_search_text(*names: str) -> str:
    """The folded names of a dossier as stored in `Dossier.applicant_search`."""
    return (" " + " ".join(filter(None, (fold(name) for name in names))))[:800]


_STATUS_LABELS = dict(Status.choices)


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=32, unique=True)
    procedure = models.ForeignKey(
        "thutuc.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    case = models.ForeignKey(
        "thutuc.ProcedureCase",
        verbose_name=_("trường hợp"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The terms the dossier was received under (route, time, cut-off, fees, names), frozen:
    # a later change of the catalogue never reaches it (thutuc.models.case_versions). Set by
    # save() from the case and channel when the caller did not.
    case_version = models.ForeignKey(
        "thutuc.CaseVersion",
        verbose_name=_("phiên bản trường hợp khi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    receiving_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    competent_agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan giải quyết"),
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
    )
    current_unit = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("đơn vị đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_dossiers",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ đang xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )
    channel = models.CharField(
        _("kênh tiếp nhận"), max_length=8, choices=Channel.choices, default=Channel.DIRECT
    )
    national_portal_code = models.CharField(_("mã hồ sơ trên Cổng DVC quốc gia"), max_length=64, blank=True)

    applicant_type = models.CharField(
        _("loại chủ hồ sơ"), max_length=16, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    applicant_name = models.CharField(_("họ tên chủ hồ sơ"), max_length=255)
    # The names folded for the staff search (motcua.search): " nguyen van an cong ty abc",
    # without diacritics, lower case, a leading space so that a search matches from the
    # start of a word. Kept by save(); on PostgreSQL a covering prefix index and a trigram
    # index (migration 0011).
    applicant_search = models.CharField(max_length=800, editable=False, blank=True, default="")
    organisation_name = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    applicant_id_number = models.CharField(_("số định danh, CCCD"), max_length=32, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    representative_name = models.CharField(_("người được ủy quyền"), max_length=255, blank=True)
    representative_id_number = models.CharField(_("số CCCD người được ủy quyền"), max_length=32, blank=True)
    representative_phone = models.CharField(_("điện thoại người được ủy quyền"), max_length=32, blank=True)
    summary = models.CharField(_("trích yếu nội dung"), max_length=500, blank=True)
    number_of_sets = models.PositiveSmallIntegerField(_("số bộ hồ sơ"), default=1)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=8,
        choices=ResultDelivery.choices,
        default=ResultDelivery.COUNTER,
    )
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    # The applicant's commune, given at intake: with the procedure's level it decides the
    # competent agency the portal proposes (thutuc.competence, NĐ 118/2025 Điều 20).
    applicant_commune = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("xã, phường của người nộp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    due_at = models.DateTimeField(_("ngày hẹn trả kết quả"))
    original_due_at = models.DateTimeField(_("ngày hẹn ban đầu"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(
        _("kết quả giải quyết"), max_length=16, choices=Outcome.choices, default=Outcome.NONE, blank=True
    )
    finished_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    pin_hash = models.CharField(max_length=128, editable=False)
    register_year = models.PositiveSmallIntegerField(_("năm sổ theo dõi"))
    register_number = models.PositiveIntegerField(_("số thứ tự trong sổ"))
    is_imported = models.BooleanField(_("chuyển từ hệ thống cũ"), default=False)
    # One-time token of the intake form that created the dossier: a re-submitted form
    # (double click, back button) finds this row instead of creating a second dossier.
    intake_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # --- the transfer to the competent agency (NĐ 118/2025 Điều 18 khoản 2, Điều 20 khoản 1
    # điểm a): when it is due, when the counter handed the dossier over, when the competent
    # agency acknowledged receipt. No due date for an online dossier (no paper to carry).
    transfer_due_at = models.DateTimeField(
        _("hạn chuyển hồ sơ đến cơ quan giải quyết"), null=True, blank=True
    )
    handed_over_at = models.DateTimeField(_("thời điểm bàn giao hồ sơ"), null=True, blank=True)
    transfer_received_at = models.DateTimeField(
        _("thời điểm cơ quan giải quyết nhận hồ sơ"), null=True, blank=True
    )
    # --- processing (motcua.services.transitions) ---
    # A step of the dossier's own route (its case version), never the catalogue's.
    current_step = models.ForeignKey(
        "thutuc.CaseVersionStep",
        verbose_name=_("bước xử lý hiện tại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    step_due_at = models.DateTimeField(_("hạn của bước hiện tại"), null=True, blank=True)
    outcome_reason = models.TextField(_("lý do (từ chối, dừng, rút hồ sơ)"), blank=True)
    outcome_legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500, blank=True)
    refused_after_deadline = models.BooleanField(_("từ chối sau thời hạn giải quyết"), default=False)
    stop_notice_number = models.CharField(_("số thông báo dừng"), max_length=40, blank=True)
    # The refusal after appraisal is a notice of its own, entered as the result (NĐ 118/2025
    # Điều 19 khoản 3).
    refusal_notice_number = models.CharField(_("số phiếu từ chối giải quyết"), max_length=40, blank=True)
    # Fees and charges to give back when processing stops at the applicant's request
    # (NĐ 118/2025 Điều 21 khoản 1: "Việc trả lại hồ sơ giấy và phí, lệ phí (nếu có)").
    fee_refund_amount = models.DecimalField(
        _("phí, lệ phí hoàn trả (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    fee_refund_note = models.CharField(_("ghi chú hoàn trả phí, lệ phí"), max_length=500, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ trả kết quả"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    collected_by_name = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    originals_returned = models.BooleanField(_("đã trả lại bản chính"), default=False)
    postal_tracking_number = models.CharField(_("mã vận đơn bưu chính"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["receiving_agency", "received_at"], name="dossier_recv_agency_at"),
            models.Index(fields=["competent_agency", "received_at"], name="dossier_comp_agency_at"),
            # unit worklists: one range per (unit, status) read in (due_at, id) order, see
            # motcua.selectors_processing.WorklistRows
            models.Index(
                fields=["current_unit", "status", "due_at", "id"], name="dossier_unit_status_due_id"
            ),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["status", "step_due_at"], name="dossier_status_step_due"),
            models.Index(fields=["status", "transfer_due_at"], name="dossier_status_transfer_due"),
            models.Index(fields=["finished_at"], name="dossier_finished_at"),
            # the incremental deadline scan: dossiers changed since its previous run
            models.Index(fields=["updated_at"], name="dossier_updated_at"),
            # the staff search (motcua.search): exact lookups of a phone or an identity
            # number; the folded names have a covering prefix B-tree and a trigram GIN index on
            # PostgreSQL, created by migration 0011 (not declared here: SQLite has neither)
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id_number"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receiving_agency", "register_year", "register_number"],
                name="dossier_register_unique",
            ),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        if self._state.adding and self.case_version_id is None and self.case_id is not None:
            from thutuc.catalogue.versions import case_version_for

            self.case_version = case_version_for(case=self.case, channel=self.channel)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(SEARCH_NAME_FIELDS).isdisjoint(update_fields):
            self.applicant_search = applicant_search_text(
                *(getattr(self, name) for name in SEARCH_NAME_FIELDS)
            )
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "applicant_search"}
        super().save(*args, **kwargs)

    def get_status_display(self):
        """The status's label. Django's generated method hashes every (lazy) label of the
        choices at each call — ten translations per row of a worklist (issue 21 §2)."""
        return force_str(_STATUS_LABELS.get(self.status, self.status))

    @property
    def national_status_code(self) -> int:
        return NATIONAL_STATUS_CODE[self.status]

    # What the dossier's pages and printed forms say about its procedure: the names it was
    # received under, not the catalogue's current ones.
    @property
    def procedure_name(self) -> str:
        return self.case_version.procedure_name

    @property
    def case_name(self) -> str:
        return self.case_version.case_name


class DossierDocument(models.Model):
    """A paper received with the dossier (from the procedure's list, or added at supplement)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.CASCADE, related_name="documents"
    )
    # The catalogue paper it was ticked against, as a plain reference: the catalogue may since
    # have replaced or dropped that paper, which must not touch the dossier (no constraint,
    # nothing done on delete). The dossier's own copy below is what counts.
    procedure_document = models.ForeignKey(
        "thutuc.ProcedureDocument",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    name = models.CharField(_("tên giấy tờ"), max_length=3000)
    # The short name printed on the receipt (the catalogue's print name at intake), blank = name.
    print_name = models.CharField(_("tên ngắn in trên phiếu"), max_length=150, blank=True)
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("bản photo"), default=0)
    scan = models.FileField(_("bản số hóa"), upload_to="ho-so/%Y/%m/", blank=True)
    added_at_supplement = models.BooleanField(_("bổ sung sau"), default=False)

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "pk"]

    def __str__(self):
        return self.name


class DossierSequence(models.Model):
    """Daily counter of dossier codes per agency whose identifier begins the code (the
    competent agency, or the receiving counter for an inter-agency dossier: NĐ 118/2025
    Điều 28 khoản 2), row-locked at each intake."""

    agency = models.ForeignKey("thutuc.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_sequence_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.day:%d/%m/%Y}: {self.last_number}"
