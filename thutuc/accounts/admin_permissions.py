"""The admin's permission lists in Vietnamese.

Django stores the names of its default permissions in English in the database ("Can add
content type"); the group page lists them by that name. Here the four default actions are
named in Vietnamese from the model's (translated) verbose name; the portal's own permissions
already have Vietnamese names."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Permission
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_ACTIONS = {
    "add": "Thêm",
    "change": "Sửa",
    "delete": "Xóa",
    "view": "Xem",
}


def permission_label(permission: Permission) -> str:
    """'Hồ sơ một cửa | hồ sơ | Thêm hồ sơ' for motcua.add_dossier."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        verbose = str(model._meta.verbose_name)
        name = f"{_(DEFAULT_ACTIONS[action])} {verbose}"
        app = model._meta.app_config.verbose_name
        return f"{app} | {verbose} | {name}"
    return str(permission)


class GroupAdmin(BaseGroupAdmin):
    readonly_fields = ("permission_names",)

    def get_fields(self, request, obj=None):
        # Read-only (a catalogue admin may view the roles): the permissions as a list of
        # Vietnamese labels instead of the English names stored by Django.
        if obj is not None and not self.has_change_permission(request, obj):
            return ("name", "permission_names")
        return ("name", "permissions")

    @admin.display(description=gettext_lazy("Quyền"))
    def permission_names(self, obj):
        permissions = obj.permissions.select_related("content_type").order_by(
            "content_type__app_label", "codename"
        )
        return format_html_join(mark_safe("<br>"), "{}", ((permission_label(p),) for p in permissions))

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field

