"""Which dossier a reorganisation moved, from which agency to which, from which day: the
reports read it to count a dossier with the agency competent at the end of each period
(baocao.ii06a), so that earlier periods stay as they were."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AppendOnlyModel

from .dossier import Dossier


class DossierSuccession(AppendOnlyModel):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="successions"
    )
    reorganisation = models.ForeignKey(
        "thutuc.Reorganisation", verbose_name=_("sắp xếp"), on_delete=models.PROTECT, related_name="+"
    )
    from_agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("từ cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    to_agency = models.ForeignKey(
        "thutuc.Agency", verbose_name=_("sang cơ quan"), on_delete=models.PROTECT, related_name="+"
    )
    # The first day the new agency is competent (the decision's effective date).
    effective_date = models.DateField(_("ngày có hiệu lực"))
    at = models.DateTimeField(_("thời điểm thực hiện"))

    class Meta(AppendOnlyModel.Meta):
        verbose_name = _("hồ sơ chuyển do sắp xếp")
        verbose_name_plural = _("hồ sơ chuyển do sắp xếp")
        indexes = [models.Index(fields=["dossier", "effective_date"], name="succession_dossier_date")]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "reorganisation"], name="succession_once_per_dossier")
        ]

    def __str__(self):
        return f"{self.dossier_id}: {self.from_agency_id} → {self.to_agency_id}"
