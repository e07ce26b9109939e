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
from motcua.models import EventAction, Notification, NotificationChannel
from motcua.selectors_processing import control_sheet_rows, dossier_events
from motcua.services import transitions as t
from motcua.services.intake import Applicant, dossier_receive
from tests.motcua.fixtures_processing import world  # noqa: F401  (fixture)
from thutuc.calendar import TZ
from thutuc.deadlines import CLASS_LABELS, EARLY, LATE, ON_TIME

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
DUE = dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)


def at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


# name: (how it ends, when, the apology's (issued, new date) or None, the one answer)
CASES = {
    "early": ("approve", at(6, 10), None, EARLY),
    # on the due day, before the appointment's hour: the SMS used to say "early"
    "due day, 08:30": ("approve", at(9, 8, 30), None, ON_TIME),
    "due day, 15:00": ("approve", at(9, 15), None, ON_TIME),
    "a day late": ("approve", at(10, 10), None, LATE),
    # judged against the statutory date, not the apology's new one
    "apology, after the statutory date": ("approve", at(11, 10), (at(4, 9), at(13, 16)), LATE),
    "apology, before the statutory date": ("approve", at(6, 10), (at(4, 9), at(13, 16)), EARLY),
    # processing ended on the applicant's side: on time whatever the dates
    "withdrawn": ("withdraw", at(4, 10), None, ON_TIME),
    "stopped after the due date": ("stop", at(10, 10), None, ON_TIME),
}


@pytest.fixture
def finished(world):  # noqa: F811
    """One dossier per case, received at the counter and finished as the case says."""
    dossiers = {}
    for number, (name, (how, when, apology, _answer)) in enumerate(CASES.items()):
        dossier, _pin = dossier_receive(
            procedure=world.case.procedure,
            case=world.case,
            agency=world.centre,
            actor=world.reception,
            applicant=Applicant(name=f"Nguyễn Văn Đúng {number}", phone="0912345678"),
            documents=[],
            received_at=RECEIVED,
        )
        assert dossier.due_at == DUE
        dossier = t.dossier_transfer(
            dossier=dossier,
            actor=world.reception,
            step=world.steps[0],
            recipient=world.specialist,
            now=RECEIVED + dt.timedelta(minutes=30),
        )
        if apology:
            issued, new_due = apology
            t.dossier_apologise(
                dossier=dossier, actor=world.leader, reason="Chờ xác minh", new_due_at=new_due, now=issued
            )
        if how == "approve":
            dossier = t.dossier_approve(dossier=dossier, actor=world.leader, now=when)
            dossier = t.dossier_return_result(
                dossier=dossier,
                actor=world.reception,
                collected_by_name="Người nộp",
                now=when + dt.timedelta(hours=1),
            )
        elif how == "withdraw":
            dossier = t.dossier_withdraw(
                dossier=dossier, actor=world.reception, reason="Người nộp xin rút", now=when
            )
        else:
            dossier = t.dossier_stop(
                dossier=dossier,
                actor=world.leader,
                reason="Không bổ sung",
                legal_basis="NĐ 61/2018",
                now=when,
            )
        dossiers[name] = dossier
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
    now = dt.datetime(2026, 4, 1, 9, tzinfo=TZ)  # the quarter has ended
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
