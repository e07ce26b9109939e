from django.db import models
from django.utils.translation import gettext_lazy as _


class SequenceKind(models.TextChoices):
    REGISTER = "register", _("Sổ theo dõi hồ sơ")
    INTAKE_ATTEMPT = "attempt", _("Phiếu yêu cầu bổ sung / từ chối tiếp nhận")


class YearlySequence(models.Model):
    """Yearly counter per receiving agency: register entries (Sổ theo dõi, numbered from 01
    for the whole year) and intake-attempt slips. Incremented atomically at each use."""

    agency = models.ForeignKey("thutuc.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=16, choices=SequenceKind.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind"], name="yearly_sequence_unique")
        ]

    def __str__(self):
        return f"{self.agency_id} {self.year} {self.kind}: {self.last_number}"
