from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """One state-changing staff form handled once (core.once): its one-time token, who
    sent it, and where its first handling redirected, so that the same token sent again —
    a double click, ten concurrent POSTs — records nothing and gets the same redirect."""

    token = models.UUIDField(unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        # The table keeps the name it had in the dossier app (issue 15 moved the model here).
        db_table = "motcua_formsubmission"
        verbose_name = _("biểu mẫu đã gửi")
        verbose_name_plural = _("biểu mẫu đã gửi")

    def __str__(self):
        return f"{self.path} ({self.token})"
