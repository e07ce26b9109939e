"""The five staff roles and the role table.

Each role is a Django group (created by a data migration, kept in step by every migrate)
holding exactly the permissions the apps give it: every app declares, in its own
`permissions.py`, which of its permissions each role holds (`ROLE_PERMISSIONS`), and
`role_permissions()` assembles them. The table is read from the apps at migrate time, so a
lower app never names a higher app's permissions."""

from importlib import import_module

from django.db import models
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name, as shown in the admin.
    RECEPTION = "Cán bộ một cửa", _("Cán bộ một cửa")
    SPECIALIST = "Chuyên viên xử lý", _("Chuyên viên xử lý")
    LEADER = "Lãnh đạo đơn vị", _("Lãnh đạo đơn vị")
    HOME_AFFAIRS = "Cán bộ Sở Nội vụ", _("Cán bộ Sở Nội vụ")
    CATALOGUE_ADMIN = "Quản trị danh mục", _("Quản trị danh mục")


def user_roles(user) -> frozenset[str]:
    """Names of the roles a user holds (kept in the cache between requests: accounts/access.py)."""
    if not user.is_authenticated:
        return frozenset()
    from .access import grants

    return grants(user)[0]


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def role_permissions() -> dict[Role, list[str]]:
    """The role table: each role's permissions ("app_label.codename"), assembled from the
    `ROLE_PERMISSIONS` ({Role: [...]}) of every installed app's `permissions.py`, in the
    order of INSTALLED_APPS. A key that is not a Role raises ValueError."""
    from django.apps import apps

    table: dict[Role, list[str]] = {role: [] for role in Role}
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "permissions"):
            continue
        declared = getattr(import_module(f"{app_config.name}.permissions"), "ROLE_PERMISSIONS", {})
        for role, perms in declared.items():
            table[Role(role)].extend(perms)
    return table


def append_only_models() -> list[str]:
    """"app_label.model" of the append-only models (core.models.AppendOnlyModel): histories
    and the access log. They have only a "view" permission (Meta.default_permissions); the
    sync below deletes any add/change/delete permission left from before, so no group or
    user can hold one."""
    from django.apps import apps

    from core.models import AppendOnlyModel

    return sorted(m._meta.label_lower for m in apps.get_models() if issubclass(m, AppendOnlyModel))


def sync_role_permissions(*args, using="default", apps=None, **kwargs):
    """Create the role groups and give each exactly the permissions of the role table.
    Codenames of models that do not exist yet are skipped and picked up by a later migrate
    (this runs after every migrate, post_migrate)."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=str(role))
        wanted = set()
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            wanted.update(
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .values_list("pk", flat=True)
            )
        group.permissions.set(wanted)
    for dotted in append_only_models():
        app_label, model = dotted.split(".", 1)
        Permission.objects.using(using).filter(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{verb}_{model}" for verb in ("add", "change", "delete")],
        ).delete()
