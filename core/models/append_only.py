"""Append-only rows: histories and the access log are written once and never rewritten.

The model layer refuses an update of a saved row and every delete, through the instance
(`save()`, `delete()`) and through the QuerySet (`update()`, `delete()`, `bulk_update()`).
The Django admin shows such models read-only, no role holds a change/delete permission on
them (`default_permissions = ("view",)`), and on PostgreSQL a trigger (migration
motcua 0008) refuses UPDATE/DELETE of the tables even from raw SQL. See docs/trust-audit.md.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(PermissionDenied):
    """Refused: an append-only row cannot be edited or deleted. A PermissionDenied, so a
    view that ever reaches it answers 403 rather than 500."""

    def __init__(self, model, verb: str):
        self.model = model
        message = _("%(what)s chỉ được ghi thêm, không được %(verb)s.") % {
            "what": str(model._meta.verbose_name).capitalize(),
            "verb": verb,
        }
        super().__init__(message)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(self.model, _("sửa"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(self.model, _("sửa"))

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(self.model, _("sửa"))

    def delete(self):
        raise AppendOnlyError(self.model, _("xóa"))

    delete.alters_data = True
    delete.queryset_only = True


class AppendOnlyModel(models.Model):
    """Abstract base of append-only models (see the module docstring)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        # Only "view" exists: nobody can even be granted add/change/delete.
        default_permissions = ("view",)

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError(type(self), _("sửa"))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(type(self), _("xóa"))
