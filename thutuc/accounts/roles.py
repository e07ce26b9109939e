"""The five staff roles. Each is a Django group (created by a data migration) whose
permissions are listed here, so that the rules of who may do what live in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # The value is the group's name, as shown in the admin.
    RECEPTION = "Cán bộ một cửa", _("Cán bộ một cửa")
    SPECIALIST = "Chuyên viên xử lý", _("Chuyên viên xử lý")
    LEADER = "Lãnh đạo đơn vị", _("Lãnh đạo đơn vị")
    HOME_AFFAIRS = "Cán bộ Sở Nội vụ", _("Cán bộ Sở Nội vụ")
    CATALOGUE_ADMIN = "Quản trị danh mục", _("Quản trị danh mục")


def _crud(app_label: str, model: str) -> list[str]:
    return [f"{app_label}.{verb}_{model}" for verb in ("add", "change", "delete", "view")]


# "app_label.codename" of each permission a role holds. Codenames of models that do not
# exist yet are skipped and picked up by a later migrate (post_migrate sync).
# khieunai: reception enters counter/mail feedback, logs calls and keeps the citizen-
# reception register; specialists also classify/accept and answer; leaders also assign,
# close and publish; Sở Nội vụ reads (for the quarterly report).
_KHIEUNAI_ENTRY = [
    "khieunai.view_feedback",
    "khieunai.add_feedback",
    "khieunai.view_hotlinecall",
    "khieunai.add_hotlinecall",
    "khieunai.convert_hotlinecall",
    "khieunai.view_citizenreception",
    "khieunai.add_citizenreception",
]
_KHIEUNAI_HANDLING = [*_KHIEUNAI_ENTRY, "khieunai.triage_feedback", "khieunai.answer_feedback"]
_KHIEUNAI_LEADING = [*_KHIEUNAI_HANDLING, "khieunai.assign_feedback", "khieunai.close_feedback"]
_KHIEUNAI_READING = ["khieunai.view_feedback", "khieunai.view_hotlinecall", "khieunai.view_citizenreception"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.RECEPTION: [
        "thutuc.view_agency",
        *_KHIEUNAI_ENTRY,
        # counter: intake, receipts, attempt slips, register
        "motcua.add_dossier",
        "motcua.view_dossier",
        "motcua.add_intakeattempt",
        "motcua.view_intakeattempt",
        # citizen: a rating recorded at the counter on the citizen's behalf
        "motcua.add_rating",
        "motcua.view_rating",
    ],
    Role.SPECIALIST: ["thutuc.view_agency", *_KHIEUNAI_HANDLING],
    Role.LEADER: [
        "thutuc.view_agency",
        *_KHIEUNAI_LEADING,
        # baocao: the unit's quarterly CCHC report and its statistics
        "baocao.view_quarterlyreport",
        "baocao.add_quarterlyreport",
        "baocao.change_quarterlyreport",
        "baocao.submit_quarterlyreport",
        "baocao.view_statistics",
        "baocao.view_reportexport",
        "baocao.add_reportexport",
        # audit: the access log of personal data, for the leader's own agencies (admin
        # changelist; the account also needs "staff status"). See docs/trust-audit.md.
        "thutuc.view_accesslog",
    ],
    Role.HOME_AFFAIRS: [
        "thutuc.view_agency",
        *_KHIEUNAI_READING,
        # baocao: every unit's reports, the province table, accept/return
        "baocao.view_quarterlyreport",
        "baocao.review_quarterlyreport",
        "baocao.view_statistics",
        "baocao.view_reportexport",
        "baocao.add_reportexport",
    ],
    Role.CATALOGUE_ADMIN: [
        *_crud("thutuc", "agency"),
        *[
            perm
            for model in (
                "field",
                "procedure",
                "procedurecase",
                "proceduredocument",
                "procedurefee",
                "procedurestep",
                "calendarday",
            )
            for perm in _crud("thutuc", model)
        ],
        # the page of a long Excel import (its progress, then the check's result)
        "thutuc.view_importjob",
        # Accounts and roles are read only: a superuser manages them (thutuc/accounts/admin.py,
        # SuperuserWritesOnly; issue 14 §1).
        "thutuc.view_user",
        "auth.view_group",
    ],
}


# Append-only models ("app_label.model"): histories and the access log. They have only a
# "view" permission (Meta.default_permissions); the sync below deletes any add/change/delete
# permission left from before, so no group or user can hold one.
APPEND_ONLY_MODELS = ["motcua.dossierevent", "thutuc.accesslog", "khieunai.feedbackevent"]


def user_roles(user) -> frozenset[str]:
    """Names of the roles a user holds, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def sync_role_permissions(*args, using="default", apps=None, **kwargs):
    """Create the role groups and give each exactly the permissions listed above."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLE_PERMISSIONS.items():
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
    for dotted in APPEND_ONLY_MODELS:
        app_label, model = dotted.split(".", 1)
        Permission.objects.using(using).filter(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{verb}_{model}" for verb in ("add", "change", "delete")],
        ).delete()
