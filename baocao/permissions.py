"""Which of baocao's permissions each staff role holds (assembled into the role table by
thutuc.accounts.roles.role_permissions)."""

from thutuc.accounts.roles import Role

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    # the unit's quarterly CCHC report and its statistics
    Role.LEADER: [
        "baocao.view_quarterlyreport",
        "baocao.add_quarterlyreport",
        "baocao.change_quarterlyreport",
        "baocao.submit_quarterlyreport",
        "baocao.view_statistics",
        "baocao.view_reportexport",
        "baocao.add_reportexport",
    ],
    # every unit's reports, the province table, accept/return
    Role.HOME_AFFAIRS: [
        "baocao.view_quarterlyreport",
        "baocao.review_quarterlyreport",
        "baocao.view_statistics",
        "baocao.view_reportexport",
        "baocao.add_reportexport",
    ],
}
