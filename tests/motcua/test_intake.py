"""The intake service: acceptance, deadlines, PINs, register numbers, attempts."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core import pins
from motcua.models import (
    Dossier,
    DossierEvent,
    EventAction,
    IntakeAttempt,
    IntakeOutcome,
    Notification,
    Status,
)
from motcua.services.intake import (
    AlreadySubmitted,
    Applicant,
    ReceivedDocument,
    dossier_reissue_pin,
    intake_attempt_record,
)
from motcua.tracking import links
from tests.factories import AgencyFactory
from tests.timeutil import local
from thutuc.models import CalendarDay

from .factories import CaseFactory, StepFactory


def test_accept_creates_dossier_event_documents_and_notifications(receive, officer, case):
    dossier, pin = receive(received_at=local(2026, 11, 23, 10, 0))
    assert dossier.status == Status.RECEIVED and dossier.national_status_code == 2
    assert dossier.receiving_agency == officer.agency == dossier.competent_agency
    assert dossier.received_by == officer
    assert pins.check_pin(dossier.code, pin, dossier.pin_hash)
    assert pin not in dossier.pin_hash
    assert [d.name for d in dossier.documents.all()] == [d.name for d in case.documents.all()]
    event = DossierEvent.objects.get(dossier=dossier)
    assert event.action == EventAction.RECEIVE and event.actor == officer
    assert event.status_after == Status.RECEIVED and event.due_at_after == dossier.due_at
    kinds = set(Notification.objects.filter(dossier=dossier).values_list("channel", "kind"))
    assert kinds == {("email", "accepted"), ("sms", "accepted")}
    # the message is stored with the PIN-less link and the PIN sealed beside it (issue 14 §3);
    # it is sent with the direct link (see test_notifications_applicant)
    for body, sealed in Notification.objects.filter(dossier=dossier).values_list("body", "sealed_pin"):
        assert links.tracking_url(dossier.code) in body and pin not in body
        assert pin not in sealed and pins.unseal(dossier.code, sealed) == pin


def test_deadline_from_the_working_calendar(receive):
    # (24/11 is a public holiday from 2026, Ngày Văn hóa Việt Nam: December is a plain week.)
    # Monday 10:00 + 3 working days = Thursday 10:00.
    dossier, _ = receive(received_at=local(2026, 12, 7, 10, 0))
    assert dossier.due_at == local(2026, 12, 10, 10, 0) == dossier.original_due_at


def test_deadline_skips_an_agency_day_off(receive, officer):
    CalendarDay.objects.create(date=dt.date(2026, 12, 8), kind="day_off", agency=officer.agency, reason="Thử")
    dossier, _ = receive(received_at=local(2026, 12, 7, 10, 0))
    assert dossier.due_at == local(2026, 12, 11, 10, 0)


def test_deadline_respects_the_cutoff_time(receive, case):
    case.cutoff_time = dt.time(15, 0)
    case.save()
    before, _ = receive(received_at=local(2026, 12, 7, 14, 0))
    after, _ = receive(received_at=local(2026, 12, 7, 16, 0))
    assert before.due_at == local(2026, 12, 10, 14, 0)
    # After 15:00 the clock starts on Tuesday 08:00: three working days end Thursday 17:00.
    assert after.due_at == local(2026, 12, 10, 17, 0)


def test_deadline_over_a_weekend_in_hours(receive):
    case = CaseFactory(processing_time=Decimal("4"), processing_unit="working_hours")
    dossier, _ = receive(case=case, received_at=local(2026, 12, 11, 15, 0))  # Friday
    assert dossier.due_at == local(2026, 12, 14, 10, 0)  # Monday


def test_register_numbers_run_per_agency_and_restart_each_year(receive, officer):
    a, _ = receive(received_at=local(2026, 12, 30, 9, 0))
    b, _ = receive(received_at=local(2026, 12, 31, 9, 0))
    c, _ = receive(received_at=local(2027, 1, 4, 9, 0))
    other, _ = receive(agency=AgencyFactory(), received_at=local(2026, 12, 31, 10, 0))
    assert [(x.register_year, x.register_number) for x in (a, b, c, other)] == [
        (2026, 1),
        (2026, 2),
        (2027, 1),
        (2026, 1),
    ]


def test_competent_agency_and_first_routing_step(receive, officer):
    department = AgencyFactory()
    unit = AgencyFactory(unit=True, parent=department)
    case = CaseFactory(procedure__competent_agency=department, procedure__level="province")
    StepFactory(case=case, order=2, name="Ký duyệt", agency=None)
    first = StepFactory(
        case=case, order=1, agency=unit, allotted_time=Decimal("4"), allotted_unit="working_hours"
    )
    dossier, _ = receive(case=case, received_at=local(2026, 11, 23, 8, 0))
    assert dossier.competent_agency == department
    assert dossier.current_unit == unit
    event = dossier.events.get()
    # the dossier's own copy of the route: the first step, frozen with the dossier's terms
    assert event.step == dossier.current_step and event.step.version == dossier.case_version
    assert (event.step.order, event.step.name, event.step.agency) == (first.order, first.name, unit)
    assert event.unit_after == unit
    assert event.step_due_at == local(2026, 11, 23, 12, 0)


def test_agency_without_identifier_cannot_receive(receive):
    unit = AgencyFactory(unit=True)
    with pytest.raises(ValidationError) as error:
        receive(agency=unit)
    assert "mã định danh" in str(error.value)
    assert not Dossier.objects.exists()


def test_online_needs_portal_code_and_post_needs_address(receive):
    with pytest.raises(ValidationError):
        receive(channel="online")
    with pytest.raises(ValidationError):
        receive(result_delivery="post")
    dossier, _ = receive(channel="online", national_portal_code="G22.99-261123-0001")
    assert dossier.channel == "online"


def test_same_token_never_creates_two_dossiers(receive):
    token = uuid.uuid4()
    dossier, _ = receive(intake_token=token)
    with pytest.raises(AlreadySubmitted) as replay:
        receive(intake_token=token)
    assert replay.value.obj == dossier
    assert Dossier.objects.count() == 1
    assert Notification.objects.filter(dossier=dossier).count() == 2
    after, _ = receive()  # the replay used no number: no gap
    assert after.register_number == dossier.register_number + 1
    assert after.code.endswith("-0002")


def test_reissue_pin_invalidates_the_old_one_and_is_logged(receive, officer):
    dossier, old = receive()
    new = dossier_reissue_pin(dossier=dossier, actor=officer)
    dossier.refresh_from_db()
    assert pins.check_pin(dossier.code, new, dossier.pin_hash)
    assert not pins.check_pin(dossier.code, old, dossier.pin_hash) or old == new
    assert dossier.events.filter(action=EventAction.REISSUE_PIN, actor=officer).count() == 1


def test_incomplete_attempt_lists_every_missing_paper(officer, case):
    missing = [ReceivedDocument(name="Giấy chứng sinh", originals=1), ReceivedDocument(name="Ảnh 4x6")]
    common = {"procedure": case.procedure, "case": case, "agency": officer.agency, "actor": officer}
    common["applicant"] = Applicant(name="Trần Thị Bình")
    attempt = intake_attempt_record(
        **common,
        outcome=IntakeOutcome.INCOMPLETE,
        missing_documents=missing,
        reason="Thiếu giấy tờ",
        at=local(2026, 11, 23, 9, 0),
    )
    assert attempt.number == f"{officer.agency.code}-BS26-0001"
    assert [d["name"] for d in attempt.missing_documents] == ["Giấy chứng sinh", "Ảnh 4x6"]
    assert not Dossier.objects.exists()  # no code, no deadline
    refused = intake_attempt_record(
        **common,
        outcome=IntakeOutcome.REFUSED,
        reason="Không thuộc thẩm quyền",
        at=local(2026, 11, 23, 9, 5),
    )
    assert refused.number == f"{officer.agency.code}-TC26-0002"


def test_attempt_rules(officer, case):
    common = {
        "procedure": case.procedure,
        "case": case,
        "agency": officer.agency,
        "actor": officer,
        "applicant": Applicant(name="Lê Văn Cường"),
    }
    with pytest.raises(ValidationError):
        intake_attempt_record(**common, outcome=IntakeOutcome.INCOMPLETE)
    with pytest.raises(ValidationError):
        intake_attempt_record(**common, outcome=IntakeOutcome.REFUSED, reason="  ")
    token = uuid.uuid4()
    first = intake_attempt_record(
        **common, outcome=IntakeOutcome.REFUSED, reason="Sai thẩm quyền", intake_token=token
    )
    with pytest.raises(AlreadySubmitted) as replay:
        intake_attempt_record(
            **common, outcome=IntakeOutcome.REFUSED, reason="Sai thẩm quyền", intake_token=token
        )
    assert replay.value.obj == first
    assert IntakeAttempt.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_known_case_version_is_read_from_memory_and_a_catalogue_change_makes_a_new_one(receive, case):
    """Versions are content-addressed (the digest of the terms): intake reads the catalogue's
    rows every time, and the version with its steps once per process (issue 21)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thutuc.catalogue import versions

    versions._BY_DIGEST.clear()
    first, _pin = receive()  # makes the version
    receive()  # finds it by its digest, with its steps
    with CaptureQueriesContext(connection) as captured:
        second, _pin = receive()
    assert second.case_version_id == first.case_version_id
    assert not [q for q in captured.captured_queries if "thutuc_caseversion" in q["sql"]]
    case.processing_time += 1
    case.save()
    third, _pin = receive()
    assert third.case_version_id != first.case_version_id
    assert third.case_version.processing_time == case.processing_time


def test_bad_input_is_refused_and_nothing_is_kept(receive, case):
    """The service validates what the caller hands in (the form does too), whatever the
    caller: lengths, choices, the e-mail address, the paper counts."""
    bad = [
        {"applicant": Applicant(name="Nguyễn Văn An", email="khong-phai-email")},
        {"applicant": Applicant(name="A" * 256)},
        {"applicant": Applicant(name="Nguyễn Văn An", applicant_type="robot")},
        {"result_delivery": "pigeon"},
        {"number_of_sets": -1},
        {"documents": [ReceivedDocument(name="Tờ khai", originals=-1)]},
        {"documents": [ReceivedDocument(name="x" * 3001)]},
    ]
    for kwargs in bad:
        with pytest.raises(ValidationError):
            receive(**kwargs)
    assert not Dossier.objects.exists() and not Notification.objects.exists()
    dossier, _pin = receive()  # no number was used up by the refusals: no gap
    assert dossier.code.endswith("-0001") and dossier.register_number == 1


@pytest.mark.django_db(transaction=True)
def test_one_intake_runs_these_statements_and_no_more(officer, case):
    """Issue 21: what one intake costs in SQL (docs/performance.md, "Intake statements"), so
    that no statement creeps back unnoticed. The catalogue's rows are kept in memory under
    its stamp, which every write to them renews (a change reaches the next dossier); the
    case version is found in memory by their digest; one transaction writes the two
    counters, the dossier, its papers, its fee line, its event and the applicant's messages
    (the e-mail and the SMS in one INSERT, no savepoint)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.models import FeeEntry
    from motcua.services.intake import dossier_receive

    from .factories import papers_of

    papers = papers_of(case)

    def receive():
        return dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=officer.agency,
            actor=officer,
            applicant=Applicant(name="Nguyễn Văn An", phone="0912345678", email="an@example.vn"),
            documents=papers,
        )

    receive()  # makes the case version
    receive()  # finds it by its digest and keeps it in memory
    with CaptureQueriesContext(connection) as captured:
        dossier, _pin = receive()
    statements = []
    for sql in (q["sql"] for q in captured.captured_queries):
        statement = _statement(sql)
        if statement in ("COMMIT", "SELECT motcua_notification"):
            break  # the intake committed; Celery (eager in tests) now sends the messages
        if statement != "BEGIN":  # SQLite's (psycopg opens the transaction implicitly)
            statements.append(statement)
    assert statements == [
        # the catalogue's stamp: the case's channels, fees and steps and the agency tree are
        # in memory while it stands (thutuc/stamp.py; tests/thutuc/test_stamp.py)
        "SELECT thutuc_cataloguestamp",
        "INSERT motcua_dossiersequence",
        "INSERT motcua_yearlysequence",
        "INSERT motcua_dossier",
        "INSERT motcua_dossierdocument",
        "INSERT motcua_feeentry",
        "INSERT motcua_dossierevent",
        "INSERT motcua_notification",
    ]
    assert dossier.documents.count() == len(papers) > 1
    assert FeeEntry.objects.filter(dossier=dossier).count() >= 1
    assert Notification.objects.filter(dossier=dossier).count() == 2


def _statement(sql: str) -> str:
    """'INSERT motcua_dossier', 'SELECT thutuc_agency', 'BEGIN', ... of one SQL statement."""
    import re

    table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)', sql)
    return f"{sql.split()[0]} {table.group(1)}" if table else sql.split()[0]
