"""Which of khieunai's permissions each staff role holds (assembled into the role table by
thutuc.accounts.roles.role_permissions).

Reception enters counter/mail feedback, logs calls and keeps the citizen-reception register;
specialists also classify/accept and answer; leaders also assign, close and publish; Sở Nội
vụ reads (for the quarterly report)."""

from thutuc.accounts.roles import Role

_ENTRY = [
    "khieunai.view_feedback",
    "khieunai.add_feedback",
    "khieunai.view_hotlinecall",
    "khieunai.add_hotlinecall",
    "khieunai.convert_hotlinecall",
    "khieunai.view_citizenreception",
    "khieunai.add_citizenreception",
]
_HANDLING = [*_ENTRY, "khieunai.triage_feedback", "khieunai.answer_feedback"]
_LEADING = [*_HANDLING, "khieunai.assign_feedback", "khieunai.close_feedback"]
_READING = ["khieunai.view_feedback", "khieunai.view_hotlinecall", "khieunai.view_citizenreception"]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.RECEPTION: _ENTRY,
    Role.SPECIALIST: _HANDLING,
    Role.LEADER: _LEADING,
    Role.HOME_AFFAIRS: _READING,
}
