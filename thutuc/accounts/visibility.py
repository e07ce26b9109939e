"""The one helper that decides whose data a member of staff may see.

Every staff view and queryset goes through `visible_agency_ids` / `restrict_to_visible`:
an officer sees their own agency and the units below it, and the agencies it succeeded
(an agency ended by a merger or a split names its main successor); Sở Nội vụ staff and
superusers see the whole province.
"""

from django.db.models import QuerySet

from ..models import Agency
from .roles import Role, has_role

ALL = None  # sentinel: no restriction


def sees_everything(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or has_role(user, Role.HOME_AFFAIRS)


def visible_agency_ids(user) -> frozenset[int] | None:
    """Ids of the agencies whose data `user` may see, or None for all of them."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if sees_everything(user):
        return ALL
    cached = getattr(user, "_visible_agency_ids", None)
    if cached is not None:
        return cached
    if user.agency_id is None:
        result = frozenset()
    else:
        # The agency tree is small (hundreds of rows): one query, walked in memory.
        # An agency ended by a reorganisation hangs below its successor too: the successor's
        # staff see its history (thutuc.models.Reorganisation).
        children: dict[int | None, list[int]] = {}
        for pk, parent_id, successor_id in Agency.objects.values_list("pk", "parent_id", "successor_id"):
            children.setdefault(parent_id, []).append(pk)
            if successor_id is not None:
                children.setdefault(successor_id, []).append(pk)
        seen, stack = set(), [user.agency_id]
        while stack:
            pk = stack.pop()
            if pk not in seen:
                seen.add(pk)
                stack.extend(children.get(pk, ()))
        result = frozenset(seen)
    user._visible_agency_ids = result
    return result


def restrict_to_visible(queryset: QuerySet, user, *, field: str = "agency") -> QuerySet:
    """Filter `queryset` to rows whose `field` (an Agency FK path) the user may see.

    Several paths may be given joined by "|" (e.g. "receiving_agency|current_unit"):
    a row is visible when any of them is.
    """
    ids = visible_agency_ids(user)
    if ids is ALL:
        return queryset
    if not ids:
        return queryset.none()
    from django.db.models import Q

    condition = Q()
    for path in field.split("|"):
        condition |= Q(**{f"{path}__in": ids})
    return queryset.filter(condition)


def visible_agencies(user) -> QuerySet:
    return restrict_to_visible(Agency.objects.all(), user, field="pk")


def can_see_agency(user, agency_id: int | None) -> bool:
    ids = visible_agency_ids(user)
    return ids is ALL or (agency_id is not None and agency_id in ids)
