"""The access log of personal data: one call, after the view has authorised the request.

    log_access(request, action=AccessAction.VIEW, obj=dossier)
    log_access(request, action=AccessAction.EXPORT, label="Sổ theo dõi 2026", count=120, agency=agency)

Exactly one INSERT, no other query (no full_clean: its FK checks would each query; the
values come from the authorised request and the object the view already loaded).
"""

from __future__ import annotations

from django.db import models

from core.ratelimit import client_ip

from ..models import AccessAction, AccessLog

_AGENCY_ATTRS = ("receiving_agency_id", "agency_id")


def _field(model_field_name: str) -> int:
    return AccessLog._meta.get_field(model_field_name).max_length


def _reference(obj: models.Model) -> str:
    for attr in ("code", "number"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return str(obj.pk)


def log_access(
    request,
    *,
    action: AccessAction | str,
    obj: models.Model | None = None,
    label: str = "",
    count: int | None = None,
    agency=None,
    object_type: str = "",
    username: str = "",
) -> AccessLog:
    """Record that `request.user` viewed, printed, exported or downloaded personal data.

    `obj`: the record shown (its type, code and agency are taken from it); for a list or an
    export, `label` describes it, `count` is the number of rows and `agency` whose data it is
    (default: the object's agency, else the officer's own). `username`: who it was when not a
    signed-in member of staff (a citizen downloading their own file: their masked contact)."""
    user = request.user
    agency_id = getattr(agency, "pk", agency)
    if agency_id is None and obj is not None:
        agency_id = next((getattr(obj, a) for a in _AGENCY_ATTRS if getattr(obj, a, None)), None)
    if agency_id is None:
        agency_id = getattr(user, "agency_id", None)
    return AccessLog.objects.create(
        user=user if user.is_authenticated else None,
        username=(username or user.get_username())[: _field("username")],
        action=AccessAction(action),
        object_type=(object_type or (obj._meta.label_lower if obj is not None else ""))[
            : _field("object_type")
        ],
        object_ref=_reference(obj)[: _field("object_ref")] if obj is not None else "",
        label=str(label)[: _field("label")],
        row_count=count,
        agency_id=agency_id,
        path=request.get_full_path()[: _field("path")],
        client_address=(client_ip(request) or "")[: _field("client_address")],
    )


class Counted:
    """Wraps the rows of an export (a queryset or any iterable) and counts those written,
    so that the log gets the row count without a COUNT query."""

    def __init__(self, source):
        self.source = source
        self.count = 0

    def _counting(self, rows):
        for row in rows:
            self.count += 1
            yield row

    def __iter__(self):
        return self._counting(self.source)

    def iterator(self, chunk_size=None):
        return self._counting(self.source.iterator(chunk_size=chunk_size))
