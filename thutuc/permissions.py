"""Which of thutuc's permissions each staff role holds. The role table
(thutuc.accounts.roles.role_permissions) assembles every app's `permissions.py` at migrate."""

from .accounts.roles import Role


def _crud(model: str) -> list[str]:
    return [f"thutuc.{verb}_{model}" for verb in ("add", "change", "delete", "view")]


_CATALOGUE_MODELS = (
    "field",
    "procedure",
    "procedurecase",
    "proceduredocument",
    "procedurefee",
    "procedurestep",
    "calendarday",
)

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.RECEPTION: ["thutuc.view_agency"],
    Role.SPECIALIST: ["thutuc.view_agency"],
    Role.LEADER: [
        "thutuc.view_agency",
        # audit: the access log of personal data, for the leader's own agencies (admin
        # changelist; the account also needs "staff status"). See docs/trust-audit.md.
        "thutuc.view_accesslog",
    ],
    Role.HOME_AFFAIRS: ["thutuc.view_agency"],
    Role.CATALOGUE_ADMIN: [
        *_crud("agency"),
        *[perm for model in _CATALOGUE_MODELS for perm in _crud(model)],
        # the page of a long Excel import (its progress, then the check's result)
        "thutuc.view_importjob",
        # Accounts and roles are read only: a superuser manages them (thutuc/accounts/admin.py,
        # SuperuserWritesOnly; issue 14 §1). The roles are django.contrib.auth's groups.
        "thutuc.view_user",
        "auth.view_group",
    ],
}
