"""The admin's permission lists in Vietnamese.

Django stores the names of its default permissions in English in the database ("Can add
content type"); the group page lists them by that name. Here the four default actions are
named in Vietnamese from the model's (translated) verbose name; the portal's own permissions
already have Vietnamese names."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

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
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
