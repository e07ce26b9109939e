from django.conf import settings
from django.utils.functional import SimpleLazyObject

from thutuc.accounts.access import grants
from thutuc.accounts.roles import Role, user_roles

HEADER_ALERTS_CAP = 99  # the header's badge says "99+" beyond


def portal(request):
    """Portal name and the role flags the navigation is built from."""
    from .selectors_processing import DOSSIER_ROLES

    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    is_staff_user = bool(roles) or bool(user and user.is_superuser)

    def unread():
        from .alerts.digest import unread_alert_count

        count = unread_alert_count(user, cap=HEADER_ALERTS_CAP)
        return f"{HEADER_ALERTS_CAP}+" if count > HEADER_ALERTS_CAP else str(count)

    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        # queried only when a page shows it (the header of staff pages)
        "unread_alerts": SimpleLazyObject(unread) if is_staff_user else 0,
        "nav": {
            "reception": Role.RECEPTION in roles,
            "specialist": Role.SPECIALIST in roles,
            "leader": Role.LEADER in roles,
            "home_affairs": Role.HOME_AFFAIRS in roles,
            "catalogue_admin": Role.CATALOGUE_ADMIN in roles or bool(user and user.is_superuser),
            "staff": is_staff_user,
            # the roles that open dossiers: the header's search box
            "dossiers": bool(user and user.is_superuser) or bool(roles & set(DOSSIER_ROLES)),
            # what the staff navigation depends on (rendered once per value: {% memo %})
            "key": (grants(user), user.is_superuser) if is_staff_user else None,
        },
    }
