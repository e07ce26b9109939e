"""Early / on time / late is one rule (thutuc.deadlines.classify_finished, by date, as Biểu
II.06a counts): the same finished dossiers, fed to the result SMS, the control sheet, the
worklist and II.06a, get one answer from each.

The dossiers go through the real services (intake, hand-off, apology, approval, return,
withdrawal, stop) at explicit moments. Received Monday 02/03/2026 09:00, five working days:
due Monday 09/03/2026 09:00."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from baocao import ii06a
from baocao.periods import quarter_period
from motcua.models import EventAction, Notification, NotificationChannel, Status
from motcua.selectors_processing import control_sheet_rows, dossier_events
from tests.timeutil import at
from thutuc.deadlines import CLASS_LABELS, EARLY, LATE, ON_TIME

pytestmark = pytest.mark.django_db

RECEIVED, DUE = at(3, 2), at(3, 9)


ENDS = {"approve": Status.RETURNED, "withdraw": Status.WITHDRAWN, "stop": Status.STOPPED}
# name: (how it ends, when, the working days an apology adds to the appointment, the one answer)
CASES = {
    "early": ("approve", at(3, 6, 10), 0, EARLY),
    # on the due day, before the appointment's hour: the SMS used to say "early"
    "due day, 08:30": ("approve", at(3, 9, 8, 30), 0, ON_TIME),
    "due day, 15:00": ("approve", at(3, 9, 15), 0, ON_TIME),
    "a day late": ("approve", at(3, 10, 10), 0, LATE),
    # judged against the statutory date, not the apology's new one (13/03)
    "apology, after the statutory date": ("approve", at(3, 11, 10), 4, LATE),
    "apology, before the statutory date": ("approve", at(3, 6, 10), 4, EARLY),
    # processing ended on the applicant's side: on time whatever the dates
    "withdrawn": ("withdraw", at(3, 4, 10), 0, ON_TIME),
    "stopped after the due date": ("stop", at(3, 10, 10), 0, ON_TIME),
}


@pytest.fixture
def finished(world):
    """One dossier per case, received at the counter (an applicant with a phone only),
    handed to the specialist and finished as the case says (approved ones are returned an
    hour later)."""
    dossiers = {
        name: world.dossier(
            received_at=RECEIVED,
            applicant_name=f"Nguyễn Văn Đúng {number}",
            applicant_email="",
            assignee=world.specialist,
            transferred_at=RECEIVED + dt.timedelta(minutes=30),
            apology_days=apology,
            status=ENDS[how],
            finished_at=when,
        )
        for number, (name, (how, when, apology, _answer)) in enumerate(CASES.items())
    }
    assert {d.original_due_at for d in dossiers.values()} == {DUE}
    return dossiers


def _sms_answers(dossiers) -> dict[str, bool]:
    """Whether the result SMS said "earlier than the appointment" (dossiers with a result)."""
    texts = dict(
        Notification.objects.filter(kind="result_ready", channel=NotificationChannel.SMS).values_list(
            "dossier__code", "body"
        )
    )
    return {name: "som hon hen" in texts[d.code] for name, d in dossiers.items() if d.code in texts}


def _control_sheet_answers(dossiers) -> dict[str, str]:
    answers = {}
    for name, dossier in dossiers.items():
        for row in control_sheet_rows(dossier, dossier_events(dossier)):
            if row.event.action == EventAction.RETURN_RESULT:
                answers[name] = row.verdict
    return answers


def _worklist_answers(client, dossiers) -> dict[str, str]:
    """The "Thời gian" cell of each row of "Hồ sơ tôi đã xử lý", read back to its class."""
    body = client.get(reverse("motcua:staff_home"), {"ds": "da-xu-ly"}).content.decode()
    by_label = {str(label): verdict for verdict, label in CLASS_LABELS.items()}
    answers = {}
    for name, dossier in dossiers.items():
        row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(dossier.code)}(?:(?!</tr>).)*</tr>", body, re.S)
        assert row, f"{name}: not in the worklist"
        cell = re.search(r'<td class="status-\w+">([^<]+)</td>', row.group(0))
        answers[name] = by_label[cell.group(1).strip()]
    return answers


def _ii06a_answers(dossiers) -> dict[str, str]:
    scope, period = ii06a.Scope(None, "receiving"), quarter_period(2026, 1)
    now = at(4, 1)  # the quarter has ended
    codes = {
        verdict: set(ii06a.dossiers_in(scope, period, column, now=now).values_list("code", flat=True))
        for verdict, column in ((EARLY, 8), (ON_TIME, 9), (LATE, 10))
    }
    table = ii06a.compute(scope, period, now=now, strict=True)
    assert [table.total.counts[c] for c in (8, 9, 10)] == [len(codes[v]) for v in (EARLY, ON_TIME, LATE)]
    return {name: verdict for name, d in dossiers.items() for verdict in codes if d.code in codes[verdict]}


def test_sms_control_sheet_worklist_and_ii06a_give_one_answer(finished, client):
    client.force_login(finished["early"].received_by)
    expected = {name: case[3] for name, case in CASES.items()}
    with_result = {name for name, case in CASES.items() if case[0] == "approve"}

    assert _ii06a_answers(finished) == expected
    assert _worklist_answers(client, finished) == expected
    assert _control_sheet_answers(finished) == {name: expected[name] for name in with_result}
    assert _sms_answers(finished) == {name: expected[name] == EARLY for name in with_result}
