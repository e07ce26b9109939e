"""What a signed-in user is, read once and kept in the cache between requests.

Every staff page needs the user (with its agency), the user's roles (the navigation) and
permissions (menus, checks): three queries on every request for data that changes a few
times a year. They are kept in the Django cache (Redis in production), one entry per user,
and dropped the moment any of them changes:

- the user row or its agency saved or deleted (post_save, post_delete);
- the user's groups or own permissions changed, or a group's permissions, or a group
  deleted (m2m_changed, pre_delete).

A change made around the ORM (raw SQL, `QuerySet.update()`) is not seen by the signals: code
that updates users that way calls `forget()` for them after commit (the reorganisation moves
or closes staff accounts so). The entries also expire after ACCESS_CACHE_SECONDS (a minute
by default), the longest a stale entry could live."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)

USER_KEY = "access:user:{}"
GRANTS_KEY = "access:grants:{}"


def timeout() -> int:
    return getattr(settings, "ACCESS_CACHE_SECONDS", 60)


def _get(key):
    try:
        return cache.get(key)
    except Exception:  # the cache backend's connection error: read the database instead
        log.warning("cache unreachable: access read from the database")
        return None


def _set(key, value) -> None:
    try:
        cache.set(key, value, timeout())
    except Exception:
        log.warning("cache unreachable: access not kept")


def cached_user(user_id, load):
    """The user with `user_id` (agency read along), from the cache or `load(user_id)`.
    The entry holds the user's roles and permissions too (`grants`): a signed-in page reads
    one cache entry, not two."""
    key = USER_KEY.format(user_id)
    user = _get(key)
    if user is None:
        user = load(user_id)
        if user is not None:
            if user.is_active:
                user._access_grants = _load_grants(user)
            _set(key, user)
    return user


def grants(user) -> tuple[frozenset[str], frozenset[str]]:
    """(role names, permissions "app_label.codename") of an active, signed-in user; kept on
    the user object (which the cached user carries: `cached_user`) and, for a user object
    read otherwise, in its own cache entry between requests."""
    held = getattr(user, "_access_grants", None)
    if held is not None:
        return held
    key = GRANTS_KEY.format(user.pk)
    held = _get(key)
    if held is None:
        held = _load_grants(user)
        _set(key, held)
    user._access_grants = held
    return held


def _load_grants(user) -> tuple[frozenset[str], frozenset[str]]:
    """Role names and permissions in ONE query (a UNION of the two lists)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import CharField, Q, Value
    from django.db.models.functions import Concat

    roles = (
        Group.objects.filter(user=user).order_by().annotate(kind=Value("role")).values_list("kind", "name")
    )
    permissions = Permission.objects.all()
    if not user.is_superuser:
        permissions = permissions.filter(Q(user=user) | Q(group__user=user))
    permissions = permissions.order_by().annotate(
        kind=Value("perm"),
        dotted=Concat("content_type__app_label", Value("."), "codename", output_field=CharField()),
    ).values_list("kind", "dotted")
    rows = roles.union(permissions, all=True)
    return (
        frozenset(name for kind, name in rows if kind == "role"),
        frozenset(name for kind, name in rows if kind == "perm"),
    )


def forget(*user_ids) -> None:
    """Drop the cached user and grants of these users."""
    keys = [k.format(pk) for pk in user_ids if pk is not None for k in (USER_KEY, GRANTS_KEY)]
    if keys:
        try:
            cache.delete_many(keys)
        except Exception:
            # unreachable: nothing can be read from it either; entries expire by themselves
            log.warning("cache unreachable: cached access not dropped")


# --- signals (connected in thutuc.apps) ------------------------------------------------------
def user_changed(sender, instance, **kwargs):
    forget(instance.pk)


def agency_changed(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    forget(*get_user_model()._default_manager.filter(agency_id=instance.pk).values_list("pk", flat=True))


def user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """User.groups and User.user_permissions: `instance` is a user, or (reverse) a group or
    a permission whose users are `pk_set` (None on clear: every user it had)."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    from django.contrib.auth import get_user_model

    if not reverse:
        forget(instance.pk)
    elif pk_set:
        forget(*pk_set)
    elif action == "pre_clear":
        field = "groups" if sender is get_user_model().groups.through else "user_permissions"
        forget(*get_user_model()._default_manager.filter(**{field: instance}).values_list("pk", flat=True))


def group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Group.permissions: every member of the group(s) concerned."""
    if not action.startswith("post_") and action != "pre_clear":
        return
    from django.contrib.auth import get_user_model

    User = get_user_model()
    # reverse: a permission's groups changed
    groups = list(pk_set or instance.group_set.values_list("pk", flat=True)) if reverse else [instance.pk]
    forget(*User._default_manager.filter(groups__in=groups).values_list("pk", flat=True).distinct())


def group_deleted(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    forget(*get_user_model()._default_manager.filter(groups=instance).values_list("pk", flat=True))


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from thutuc.models import Agency

    User = get_user_model()
    post_save.connect(user_changed, sender=User, dispatch_uid="access.user_saved")
    post_delete.connect(user_changed, sender=User, dispatch_uid="access.user_deleted")
    post_save.connect(agency_changed, sender=Agency, dispatch_uid="access.agency_saved")
    pre_delete.connect(agency_changed, sender=Agency, dispatch_uid="access.agency_deleted")
    m2m_changed.connect(user_groups_changed, sender=User.groups.through, dispatch_uid="access.groups")
    m2m_changed.connect(
        user_groups_changed, sender=User.user_permissions.through, dispatch_uid="access.user_perms"
    )
    m2m_changed.connect(
        group_permissions_changed, sender=Group.permissions.through, dispatch_uid="access.group_perms"
    )
    pre_delete.connect(group_deleted, sender=Group, dispatch_uid="access.group_deleted")
