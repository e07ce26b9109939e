"""Frozen copies of a procedure case as dossiers were received under it.

The catalogue is edited freely: an import replaces a case's steps, fees and papers, renames a
procedure, changes a time, withdraws a case. A dossier must not feel any of it: it keeps the
route and the deadline rule it was received under. So at intake the dossier points at a
`CaseVersion` — the case's terms (names, time and unit for the dossier's channel, cut-off,
fees) and its routing steps, copied — and its current step and every history event point at
the version's steps, never at the catalogue's. Versions are written once and shared by every
dossier received under the same terms (`digest`); nothing here points back at the catalogue,
so deleting or replacing a catalogue row cannot reach them (thutuc.catalogue.versions).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel

from .catalogue import StepRole, TimeUnit


class CaseVersion(AppendOnlyModel):
    """The terms of a procedure case at the moment dossiers were received under them."""

    # sha256 of the canonical content: one row per distinct set of terms.
    digest = models.CharField(max_length=64, unique=True, editable=False)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=40)
    procedure_name = models.CharField(_("tên thủ tục"), max_length=2000)
    case_name = models.CharField(_("tên trường hợp"), max_length=2000, blank=True)
    # The channel whose own time was applied ("" when the case's time applies to every channel).
    channel = models.CharField(_("hình thức nộp"), max_length=8, blank=True)
    processing_time = models.DecimalField(_("thời hạn giải quyết"), max_digits=6, decimal_places=1)
    processing_unit = models.CharField(_("đơn vị thời gian"), max_length=16, choices=TimeUnit.choices)
    cutoff_time = models.TimeField(_("giờ chốt trong ngày"), null=True, blank=True)
    # The fees as plain values: [{"kind", "amount", "currency", "per_unit", "cap", "description",
    # "exemptions", "channel", "collected", "text"}], "text" being how the receipt prints it.
    fees = models.JSONField(_("phí, lệ phí"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("phiên bản trường hợp thủ tục")
        verbose_name_plural = _("phiên bản trường hợp thủ tục")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.procedure_code} – {self.case_name or self.procedure_name}"[:200]

    @property
    def processing_time_display(self) -> str:
        from ..catalogue.rules import format_duration

        return format_duration(self.processing_time, self.processing_unit)


class CaseVersionStep(AppendOnlyModel):
    """One routing step of a case version: what a dossier's current step and its history
    events name (same attributes as thutuc.models.ProcedureStep)."""

    version = models.ForeignKey(
        CaseVersion, verbose_name=_("phiên bản"), on_delete=models.PROTECT, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("nội dung công việc"), max_length=500)
    agency = models.ForeignKey(
        "thutuc.Agency",
        verbose_name=_("cơ quan, đơn vị thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=StepRole.choices)
    allotted_time = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=1)
    allotted_unit = models.CharField(_("đơn vị thời gian"), max_length=16, choices=TimeUnit.choices)

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("bước xử lý (theo phiên bản)")
        verbose_name_plural = _("bước xử lý (theo phiên bản)")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.name}"
