"""The citizen's session: the verified identity kept in Django's session (the same signed,
HTTP-only cookie as staff), under its own key. Signing in rotates the session key."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .identity import CitizenIdentity

SESSION_KEY = "citizen_identity"


def sign_in(request, identity: CitizenIdentity) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = identity.as_session()


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def current(request) -> CitizenIdentity | None:
    return CitizenIdentity.from_session(request.session.get(SESSION_KEY))


def safe_next(request, value: str, default: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, {request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


def citizen_required(view):
    """The view gets `request.citizen`; a visitor not signed in is sent to the sign-in page
    and brought back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        identity = current(request)
        if identity is None:
            return redirect(
                f"{reverse('motcua:citizen_login')}?{urlencode({'next': request.get_full_path()})}"
            )
        request.citizen = identity
        return view(request, *args, **kwargs)

    return wrapper
