"""A token that changes with every write to the catalogue rows intake keeps in memory.

Intake reads, for each dossier, the case's channels, fees and steps and the agency tree:
four statements and their Python at every intake, for rows that change a few times a year
(issue 21). Database triggers (migration thutuc 0013) give this single row a new random
token in the same statement as any INSERT, UPDATE, DELETE or TRUNCATE of those tables —
whatever writes them: the admin, an import, a bulk `update()`, raw SQL, a reorganisation.
So rows read under a token are the rows for as long as that token is current
(`thutuc.stamp`), and a token seen inside a transaction that rolls back is never seen again.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueStamp(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=36)

    class Meta:
        verbose_name = _("dấu phiên bản danh mục")
        default_permissions = ()

    def __str__(self):
        return self.token
