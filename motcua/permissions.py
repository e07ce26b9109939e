"""Which of the dossier app's permissions each staff role holds (assembled into the role
table by thutuc.accounts.roles.role_permissions). Processing rights (hand-offs, approvals)
follow the role and the routing step, in motcua/services/transitions.py."""

from thutuc.accounts.roles import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.RECEPTION: [
        # counter: intake, receipts, attempt slips, register
        "motcua.add_dossier",
        "motcua.view_dossier",
        "motcua.add_intakeattempt",
        "motcua.view_intakeattempt",
        # citizen: a rating recorded at the counter on the citizen's behalf
        "motcua.add_rating",
        "motcua.view_rating",
        # the fee ledger: the accountant's list of fees collected (/mot-cua/phi-le-phi/)
        "motcua.view_feeentry",
    ],
    Role.LEADER: [
        "motcua.view_feeentry",
    ],
}
