from django.conf import settings

from thutuc.roles import Role, user_roles


def portal(request):
    """Portal name and the role flags the navigation is built from."""
    user = getattr(request, "user", None)
    roles = user_roles(user) if user is not None else frozenset()
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav": {
            "reception": Role.RECEPTION in roles,
            "specialist": Role.SPECIALIST in roles,
            "leader": Role.LEADER in roles,
            "home_affairs": Role.HOME_AFFAIRS in roles,
            "catalogue_admin": Role.CATALOGUE_ADMIN in roles or bool(user and user.is_superuser),
            "staff": bool(roles) or bool(user and user.is_superuser),
        },
    }
