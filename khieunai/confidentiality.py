"""Who may see a denouncer's identity, and the masked view everyone else gets.

Luật Tố cáo 2018 requires keeping the denouncer's identity confidential: a denunciation is
never anonymous in handling, but its submitter is visible only to the case's handlers —
the assignee and the leaders of the receiving agency or of the handling unit. Other staff,
every export and every public page get the masked values below.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from thutuc.accounts.roles import Role, has_role

from .models import FeedbackKind

MASK = _("(được giữ bí mật)")


@dataclass(frozen=True)
class Submitter:
    name: str
    id_number: str
    phone: str
    email: str
    address: str
    hidden: bool


def is_handler(user, feedback) -> bool:
    """The assignee, or a leader of the receiving agency or of the handling unit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if feedback.assignee_id is not None and feedback.assignee_id == user.pk:
        return True
    return has_role(user, Role.LEADER) and user.agency_id in {feedback.agency_id, feedback.handling_unit_id}


def can_see_identity(user, feedback) -> bool:
    if feedback.kind != FeedbackKind.DENUNCIATION:
        return True
    return is_handler(user, feedback)


def submitter_for(user, feedback) -> Submitter:
    """The submitter as `user` may see it (user=None: an export or a public page)."""
    if feedback.kind == FeedbackKind.DENUNCIATION and (user is None or not is_handler(user, feedback)):
        mask = str(MASK)
        return Submitter(mask, mask, mask, mask, mask, hidden=True)
    return Submitter(
        feedback.submitter_name,
        feedback.submitter_id_number,
        feedback.submitter_phone,
        feedback.submitter_email,
        feedback.submitter_address,
        hidden=False,
    )
