"""Privilege escalation through the admin (issue 14 §1): every role × every admin form that
could raise a privilege, the rights of every account compared before and after.

The attackers are anonymous, the six demo officers, and `quanly` — a staff account holding
*directly* every add/change/delete permission on users, roles, permissions and agencies, which
no role has: it shows that the admin itself refuses, not only the roles' permissions ("a role
never grants what it does not hold"). A superuser doing the same is the positive control: the
snapshot does change, so the comparison can fail.

A privilege is anything that decides what an account may do or see: its roles (groups), its
own permissions, the permissions of every role, staff and superuser status, active status,
its agency (and the agency tree, which decides whose data an agency's staff see), its password.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from thutuc.accounts.roles import Role
from thutuc.models import Agency, User

from .fuzz import apply
from .perms_world import ROLES

pytestmark = pytest.mark.django_db

ATTACKERS = (*ROLES, "quanly")
NEW_PASSWORD = "mat-khau-ke-tan-cong-2026"


def _snapshot() -> dict:
    """Every right of every account, and the permissions of every role."""
    users = {
        u.username: (
            u.is_active,
            u.is_staff,
            u.is_superuser,
            u.agency_id,
            u.password,
            tuple(sorted(u.groups.values_list("pk", flat=True))),
            tuple(sorted(u.user_permissions.values_list("pk", flat=True))),
        )
        for u in User.objects.order_by("pk")
    }
    groups = {g.name: tuple(sorted(g.permissions.values_list("pk", flat=True))) for g in Group.objects.all()}
    tree = dict(Agency.objects.values_list("pk", "parent_id"))
    return {"users": users, "groups": groups, "agency tree": tree}


@pytest.fixture
def quanly(perms_world):
    """A staff account (not superuser) holding directly every permission over accounts,
    roles, permissions and agencies."""
    user = User.objects.create_user(
        "quanly", password="mat-khau-quan-ly-2026", is_staff=True, agency=perms_world.centre
    )
    perms = Permission.objects.filter(
        content_type__app_label__in=["thutuc", "auth"],
        content_type__model__in=["user", "group", "permission", "agency"],
    )
    user.user_permissions.set(perms)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def root(perms_world):
    return User.objects.create_superuser("gocquantri", "root@example.vn", "mat-khau-goc-2026-dai")


def _attacker(role, world, quanly, root):
    return {"anon": None, "quanly": quanly, "root": root}.get(role, world.users.get(role))


def _user_form(user, **changes) -> dict:
    """The full change form of `user`, as the admin would post it, with `changes` (a None
    leaves the field out)."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "agency": user.agency_id or "",
        "position": user.position,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [str(pk) for pk in user.user_permissions.values_list("pk", flat=True)],
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "_save": "Lưu",
    }
    return apply(data, changes)


def _all_groups():
    return [str(pk) for pk in Group.objects.values_list("pk", flat=True)]


def _all_permissions():
    return [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]


# attack name → (world, attacker user or None, other accounts) → list of (method, url, data)
def _self_promotion(world, me, accounts):
    target = me or world.users["quantri"]
    province = Agency.objects.get(code="000.00.00.H99")
    data = _user_form(
        target,
        groups=_all_groups(),
        user_permissions=_all_permissions(),
        is_staff="on",
        is_superuser="on",
        agency=str(province.pk),
    )
    return [("post", reverse("admin:thutuc_user_change", args=[target.pk]), data)]


def _role_for_another(world, me, accounts):
    officer = world.users["tiepnhan"]
    home_affairs = Group.objects.get(name=str(Role.HOME_AFFAIRS))
    data = _user_form(officer, groups=[*_user_form(officer)["groups"], str(home_affairs.pk)], is_staff="on")
    return [("post", reverse("admin:thutuc_user_change", args=[officer.pk]), data)]


def _move_another_to_my_agency(world, me, accounts):
    officer = world.xa_leader
    data = _user_form(officer, agency=str(world.centre.pk))
    return [("post", reverse("admin:thutuc_user_change", args=[officer.pk]), data)]


def _password_of(target_key):
    def attack(world, me, accounts):
        target = accounts[target_key]
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        data = {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
        return [("post", url, data)]

    return attack


def _new_account(world, me, accounts):
    data = {
        "username": "taikhoanmoi",
        "full_name": "Tài khoản mới",
        "agency": str(world.centre.pk),
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "usable_password": "true",
        "_save": "Lưu",
    }
    return [("post", reverse("admin:thutuc_user_add"), data)]


def _role_permissions(world, me, accounts):
    """Give the attacker's own role (or the catalogue admin's) every permission."""
    role = (me.groups.first() if me is not None else None) or Group.objects.get(
        name=str(Role.CATALOGUE_ADMIN)
    )
    data = {"name": role.name, "permissions": _all_permissions(), "_save": "Lưu"}
    return [("post", reverse("admin:auth_group_change", args=[role.pk]), data)]


def _new_role(world, me, accounts):
    data = {"name": "Toàn quyền", "permissions": _all_permissions(), "_save": "Lưu"}
    return [("post", reverse("admin:auth_group_add"), data)]


def _bulk_delete(world, me, accounts):
    """The changelist's bulk action on accounts and roles (confirmed). An account with a
    history cannot be deleted by anyone (its notifications and access-log rows are kept, so
    the admin refuses the cascade): the target is a fresh account of the same agency."""
    spare = User.objects.create(username="xoa-thu", agency=world.users["sonoivu"].agency)
    users = [str(spare.pk), str(accounts["root"].pk)]
    roles = [str(Group.objects.get(name=str(Role.HOME_AFFAIRS)).pk)]
    return [
        (
            "post",
            reverse("admin:thutuc_user_changelist"),
            {"action": "delete_selected", "_selected_action": users, "post": "yes"},
        ),
        (
            "post",
            reverse("admin:auth_group_changelist"),
            {"action": "delete_selected", "_selected_action": roles, "post": "yes"},
        ),
    ]


def _agency_under_mine(world, me, accounts):
    """Move another agency (xã Tân Phú) under the attacker's own: its staff would see it."""
    commune = world.commune
    data = agency_form(commune, parent=str(world.centre.pk))
    return [("post", reverse("admin:thutuc_agency_change", args=[commune.pk]), data)]


def agency_form(agency, **changes) -> dict:
    """The admin's change form of `agency` as it stands, saved with `changes`."""
    fields = ("code", "name", "level", "address", "phone", "hotline", "email")
    data = {field: getattr(agency, field) for field in fields}
    data |= {
        "parent": str(agency.parent_id or ""),
        "is_active": "on",
        "office_hours": "",
        "saturday_hours": "",
    }
    return {**data, "_save": "Lưu", **changes}


ATTACKS = {
    "own account: every role, permission, staff, superuser, the province": _self_promotion,
    "another account: Sở Nội vụ role and staff status": _role_for_another,
    "another agency's officer moved to the attacker's agency": _move_another_to_my_agency,
    "password of an officer": _password_of("officer"),
    "password of a superuser": _password_of("root"),
    "new account with a known password": _new_account,
    "every permission to a role": _role_permissions,
    "new role with every permission": _new_role,
    "bulk delete of accounts and roles": _bulk_delete,
    "agency tree: another agency under the attacker's": _agency_under_mine,
}


@pytest.mark.parametrize("attack", list(ATTACKS))
@pytest.mark.parametrize("role", ATTACKERS)
def test_no_admin_form_raises_a_privilege(client, perms_world, quanly, root, role, attack):
    me = _attacker(role, perms_world, quanly, root)
    accounts = {"officer": perms_world.users["tiepnhan"], "root": root}
    requests = ATTACKS[attack](perms_world, me, accounts)
    if me is not None:
        client.force_login(me)
    before = _snapshot()
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
    after = _snapshot()
    changed = {
        part: sorted(
            k for k in before[part].keys() | after[part].keys() if before[part].get(k) != after[part].get(k)
        )
        for part in before
    }
    changed = {part: keys for part, keys in changed.items() if keys}
    assert not changed, f"{role} raised a privilege ({attack}): {changed}"
    assert not User.objects.filter(username="taikhoanmoi").exists()
    assert not Group.objects.filter(name="Toàn quyền").exists()


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_superuser_can_do_each_of_them(client, perms_world, quanly, root, attack):
    """Positive control: the same requests made by a superuser change the rights, so the
    comparison above would see an escalation."""
    accounts = {"officer": perms_world.users["tiepnhan"], "root": root}
    client.force_login(root)
    before = _snapshot()
    for method, url, data in ATTACKS[attack](perms_world, root, accounts):
        response = client.post(url, data) if method == "post" else client.get(url, data)
        assert response.status_code == 302, (url, response.status_code, _errors(response))
    assert _snapshot() != before, attack


def _errors(response):
    context = response.context or {}
    for key in ("adminform", "form"):
        form = context.get(key)
        if form is not None:
            return getattr(form, "errors", None) or getattr(getattr(form, "form", None), "errors", None)
    return None


def test_the_catalogue_admin_still_reads_accounts_and_edits_agencies(client, perms_world):
    """What the role keeps: the list of officers and roles (read only), and the agencies' data."""
    client.force_login(perms_world.users["quantri"])
    officer = perms_world.users["tiepnhan"]
    assert client.get(reverse("admin:thutuc_user_changelist")).status_code == 200
    page = client.get(reverse("admin:thutuc_user_change", args=[officer.pk]))
    assert page.status_code == 200 and 'name="groups"' not in page.content.decode()
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    commune = Agency.objects.get(pk=perms_world.commune.pk)
    parent_before = commune.parent_id
    data = agency_form(
        commune, name="Ủy ban nhân dân xã Tân Phú (đổi tên)", parent=str(perms_world.centre.pk)
    )
    response = client.post(reverse("admin:thutuc_agency_change", args=[commune.pk]), data)
    assert response.status_code == 302
    commune.refresh_from_db()
    assert commune.name.endswith("(đổi tên)") and commune.parent_id == parent_before  # parent: read-only
