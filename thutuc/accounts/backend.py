"""The portal's authentication backend: Django's ModelBackend with fewer queries on every
staff page: the user (its agency read along) and its permissions are kept in the cache
between requests and dropped when they change (thutuc/accounts/access.py)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from . import access


def _load_user(user_id):
    try:
        return get_user_model()._default_manager.select_related("agency").get(pk=user_id)
    except get_user_model().DoesNotExist:
        return None


class PortalBackend(ModelBackend):
    def get_user(self, user_id):
        user = access.cached_user(user_id, _load_user)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """The user's own and its groups' permissions ("app_label.codename"); a superuser
        holds every permission."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return access.grants(user_obj)[1]
