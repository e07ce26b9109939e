"""A reorganisation as one operation (issue 18, motcua.services.reorganisation): a merger of a
ward into a new one and a split of a district among three communes, replayed through
`preview` and `apply`, with what the staff see and what the reports count afterwards."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from baocao import ii06a
from baocao import services as reports
from baocao.periods import quarter_period
from baocao.selectors import agency_scope, reporting_agencies
from core.workflow import TransitionError
from motcua.models import Dossier, DossierEvent, DossierSuccession, EventAction, Status
from motcua.selectors_processing import visible_dossiers
from motcua.services import reorganisation as reorg
from motcua.services import transitions
from motcua.services.intake import Applicant, dossier_receive
from tests.factories import AgencyFactory, UserFactory, leader_of
from tests.motcua.factories import CaseFactory, DossierFactory, papers_of
from tests.timeutil import local
from thutuc.accounts.roles import Role
from thutuc.competence import competent_agency_choices
from thutuc.models import (
    Agency,
    AgencyLevel,
    ProcedureLevel,
    Reorganisation,
    StaffPolicy,
    SuccessionRule,
    SuccessorShare,
    User,
)

pytestmark = pytest.mark.django_db

# Reporting quarters run 15th to 14th (baocao.periods): Q2/2026 is 15/03–14/06/2026.
EFFECTIVE = dt.date(2026, 6, 15)  # the first day of Q3/2026
Q2, Q3 = quarter_period(2026, 2), quarter_period(2026, 3)
# (status, received) of the old ward's dossiers: open ones (one overdue since March, one still
# at the counter, one waiting for papers) and finished ones that stay with the old ward.
WARD_DOSSIERS = [
    (Status.PROCESSING, local(2026, 3, 16, 9)),
    (Status.PROCESSING, local(2026, 6, 1, 9)),
    (Status.PROCESSING, local(2026, 6, 8, 9)),
    (Status.RECEIVED, local(2026, 6, 11, 9)),
    (Status.WAITING_SUPPLEMENT, local(2026, 6, 1, 9)),
    (Status.RETURNED, local(2026, 4, 6, 9)),
    (Status.RETURNED, local(2026, 5, 11, 9)),
]
OPEN = (Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT)


def _figures(agency, period):
    return ii06a.compute(agency_scope(agency), period, grouping="field").total.counts


@pytest.fixture
def merger(db):
    """Phường Cũ (with a specialist unit) merged into Phường Mới from 15/06/2026."""
    old = AgencyFactory(name="Ủy ban nhân dân phường Cũ", code="000.31.01.H98")
    unit = AgencyFactory(unit=True, name="Công chức Tư pháp – Hộ tịch phường Cũ", parent=old)
    new = AgencyFactory(name="Ủy ban nhân dân phường Mới", code="000.31.02.H98", valid_from=EFFECTIVE)
    case = CaseFactory(procedure__competent_agency=old, processing_time=5)
    case.procedure.receiving_agencies.add(old)
    reception = UserFactory(agency=old, username="tiepnhan_cu", roles=[Role.RECEPTION])
    leader = leader_of(old, "lanhdao_cu")
    specialist = UserFactory(agency=unit, username="chuyenvien_cu", roles=[Role.SPECIALIST])
    dossiers = [
        DossierFactory(
            case=case,
            receiving_agency=old,
            received_by=reception,
            received_at=received,
            status=status,
            unit=unit if status != Status.RECEIVED else None,
            assignee=specialist if status == Status.PROCESSING else None,
            actor=leader,
        )
        for status, received in WARD_DOSSIERS
    ]
    decision = Reorganisation.objects.create(
        decision_number="1656/NQ-UBTVQH15",
        decision_date=dt.date(2026, 6, 1),
        effective_date=EFFECTIVE,
        predecessor=old,
        main_successor=new,
        rule=SuccessionRule.SINGLE,
        staff_policy=StaffPolicy.MOVE,
    )
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    return SimpleNamespace(
        old=old,
        unit=unit,
        new=new,
        case=case,
        reception=reception,
        leader=leader,
        specialist=specialist,
        dossiers=dossiers,
        decision=decision,
        admin=admin,
    )


def test_the_merger_moves_every_open_dossier_once_with_its_history(merger):
    open_ids = {d.pk for d in merger.dossiers if d.status in OPEN}
    history = {d.pk: d.events.count() for d in merger.dossiers}
    preview = reorg.preview(reorganisation=merger.decision)
    assert preview.problems == []
    assert preview.counts == [(merger.new, len(open_ids))]
    assert preview.staff == 3

    reorg.apply(reorganisation=merger.decision, actor=merger.admin)

    for dossier in Dossier.objects.filter(pk__in=[d.pk for d in merger.dossiers]):
        moved = dossier.pk in open_ids
        assert dossier.competent_agency == (merger.new if moved else merger.old)
        assert dossier.receiving_agency == merger.old  # the counter stays as history
        assert dossier.events.count() == history[dossier.pk] + moved
        if moved:
            assert dossier.current_unit == merger.new
            event = dossier.events.get(action=EventAction.REORGANISE)
            assert "1656/NQ-UBTVQH15" in event.note and event.actor == merger.admin
            assert event.status_before == event.status_after == dossier.status
    assert DossierSuccession.objects.filter(to_agency=merger.new).count() == len(open_ids)
    # the specialist moved with his dossiers keeps them; the decision is recorded as done
    kept = Dossier.objects.filter(pk__in=open_ids, status=Status.PROCESSING)
    assert {d.assignee_id for d in kept} == {merger.specialist.pk}
    merger.decision.refresh_from_db()
    assert merger.decision.applied_at is not None and merger.decision.summary["dossiers"] == len(open_ids)


def test_after_the_merger_the_old_ward_has_ended_and_its_staff_work_for_the_new_one(merger):
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    for agency in (merger.old, merger.unit):
        agency.refresh_from_db()
        assert agency.valid_to == EFFECTIVE - dt.timedelta(days=1) and not agency.is_active
    assert merger.old.successor == merger.new
    assert not merger.old.can_receive_dossiers
    merger.case.procedure.refresh_from_db()
    assert merger.old not in competent_agency_choices(merger.case.procedure)
    assert merger.case.procedure.competent_agency == merger.new
    assert set(merger.case.procedure.receiving_agencies.all()) == {merger.new}
    for user in (merger.reception, merger.leader, merger.specialist):
        user.refresh_from_db()
        assert user.agency == merger.new and user.is_active
    # the new ward's staff see every dossier of the old ward, finished ones too
    assert set(visible_dossiers(merger.leader)) == set(Dossier.objects.filter(receiving_agency=merger.old))
    # the old ward's counter takes nothing more; the new ward's book starts at 1
    with pytest.raises(Exception, match="ngừng hoạt động"):
        _receive(merger.case, merger.old, merger.reception)
    dossier, _pin = _receive(merger.case, merger.new, merger.reception)
    assert dossier.competent_agency == merger.new and dossier.register_number == 1


def _receive(case, agency, officer):
    case.procedure.receiving_agencies.add(agency)
    return dossier_receive(
        procedure=case.procedure,
        case=case,
        agency=agency,
        actor=officer,
        applicant=Applicant(name="Trần Thị Bình", phone="0912000111"),
        documents=papers_of(case),
    )


def test_figures_follow_the_decision_and_earlier_ones_stay(merger):
    report = reports.report_create(agency=merger.old, year=2026, quarter=2, actor=merger.leader)
    report = reports.report_submit(report=report, actor=merger.leader)
    frozen = report.snapshot
    before = {
        (who, period.quarter): _figures(agency, period)
        for who, agency in (("old", merger.old), ("new", merger.new), ("province", None))
        for period in (Q2, Q3)
    }
    assert before[("new", 3)][3] == 0

    reorg.apply(reorganisation=merger.decision, actor=merger.admin)

    after = {
        (who, period.quarter): _figures(agency, period)
        for who, agency in (("old", merger.old), ("new", merger.new), ("province", None))
        for period in (Q2, Q3)
    }
    # the province's total and the old ward's past are unchanged, to the column
    for key in (("province", 2), ("province", 3), ("old", 2)):
        assert after[key] == before[key], key
    # the new ward's Q3 counts what it inherited, carried over from the previous period
    inherited = before[("old", 3)]
    assert after[("new", 3)] == inherited and inherited[3] == inherited[6] == 5
    assert after[("old", 3)][3] == 0
    report.refresh_from_db()
    assert report.snapshot == frozen
    # Sở Nội vụ expects the old ward's report for Q2, the new ward's from Q3
    assert merger.old in reporting_agencies(Q2) and merger.new not in reporting_agencies(Q2)
    assert merger.new in reporting_agencies(Q3) and merger.old not in reporting_agencies(Q3)
    # the unit rows of the province add up to its total in both periods
    for period in (Q2, Q3):
        table = ii06a.compute(agency_scope(merger.old), period, grouping="unit")
        assert table.problems == []


def test_the_unit_grouping_names_the_agency_competent_at_the_end_of_the_period(merger):
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    table = ii06a.compute(agency_scope(None), Q2, grouping="unit")
    assert [(row.key, row.label) for row in table.rows] == [(merger.old.pk, merger.old.name)]
    drilled = ii06a.dossiers_in(agency_scope(merger.old), Q2, 3)
    assert drilled.count() == table.total.counts[3] == len(WARD_DOSSIERS)


def test_applying_twice_or_before_the_effective_date_is_refused(merger):
    merger.decision.effective_date = dt.date(2099, 1, 1)
    merger.decision.save()
    assert any("2099" in p for p in reorg.preview(reorganisation=merger.decision).problems)
    with pytest.raises(reorg.ReorganisationError):
        reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    assert not DossierEvent.objects.filter(action=EventAction.REORGANISE).exists()
    merger.decision.effective_date = EFFECTIVE
    merger.decision.save()
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    with pytest.raises(reorg.ReorganisationError, match="đã được thực hiện"):
        reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    assert DossierEvent.objects.filter(action=EventAction.REORGANISE).count() == 5


def test_staff_accounts_can_be_closed_instead(merger):
    merger.decision.staff_policy = StaffPolicy.CLOSE
    merger.decision.save()
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    merger.specialist.refresh_from_db()
    assert not merger.specialist.is_active and merger.specialist.agency == merger.unit
    assert not Dossier.objects.filter(assignee=merger.specialist, status__in=OPEN).exists()


# --- a split among three communes by the applicant's commune ------------------------------


@pytest.fixture
def split(db):
    """Huyện Cũ ends on 30/06/2025 (effective 01/07/2025), split among three communes; its
    dossiers' applicants live in five old communes."""
    district = AgencyFactory(
        name="Ủy ban nhân dân huyện Cũ", code="000.41.00.H98", level=AgencyLevel.DISTRICT
    )
    old_communes = [AgencyFactory(name=f"Ủy ban nhân dân xã Cũ {n}") for n in range(1, 6)]
    successors = [
        AgencyFactory(name=f"Ủy ban nhân dân xã Mới {n}", valid_from=dt.date(2025, 7, 1)) for n in range(1, 4)
    ]
    case = CaseFactory(
        procedure__competent_agency=district, procedure__level=ProcedureLevel.DISTRICT, processing_time=5
    )
    case.procedure.receiving_agencies.add(district)
    reception = UserFactory(agency=district, roles=[Role.RECEPTION])
    leader = leader_of(district, "lanhdao_huyen")
    dossiers = [
        DossierFactory(
            case=case,
            receiving_agency=district,
            received_by=reception,
            received_at=local(2025, 6, 2, 9) + dt.timedelta(days=n % 3),
            applicant_commune=old_communes[n % 5],
            status=Status.PROCESSING if n % 4 else Status.RECEIVED,
            actor=leader,
        )
        for n in range(12)
    ]
    decision = Reorganisation.objects.create(
        decision_number="1680/NQ-UBTVQH15",
        decision_date=dt.date(2025, 6, 16),
        effective_date=dt.date(2025, 7, 1),
        predecessor=district,
        main_successor=successors[0],
        rule=SuccessionRule.BY_COMMUNE,
    )
    # xã Mới 1 takes communes 1 and 2, xã Mới 2 commune 3, xã Mới 3 commune 4; commune 5
    # is named nowhere and goes to the main successor (xã Mới 1)
    for successor, communes in zip(successors, ([0, 1], [2], [3]), strict=True):
        share = SuccessorShare.objects.create(reorganisation=decision, successor=successor)
        share.communes.set([old_communes[i] for i in communes])
    return SimpleNamespace(
        case=case,
        district=district,
        old_communes=old_communes,
        successors=successors,
        dossiers=dossiers,
        decision=decision,
        admin=UserFactory(is_superuser=True, is_staff=True),
    )


def test_a_split_sends_every_dossier_to_exactly_one_successor_as_previewed(split):
    preview = reorg.preview(reorganisation=split.decision)
    assert preview.problems == []
    expected = {split.successors[0]: [0, 1, 4], split.successors[1]: [2], split.successors[2]: [3]}
    counts = dict(preview.counts)
    for successor, communes in expected.items():
        assert counts[successor] == sum(1 for n in range(12) if n % 5 in communes)

    reorg.apply(reorganisation=split.decision, actor=split.admin)

    for n, dossier in enumerate(split.dossiers):
        dossier.refresh_from_db()
        target = next(s for s, communes in expected.items() if n % 5 in communes)
        assert dossier.competent_agency == target
        assert dossier.events.filter(action=EventAction.REORGANISE).count() == 1
    result = {s: Dossier.objects.filter(competent_agency=s).count() for s in split.successors}
    assert result == counts
    assert sum(result.values()) == len(split.dossiers)


def test_a_commune_given_to_two_successors_blocks_the_split(split):
    split.decision.shares.last().communes.add(split.old_communes[0])
    preview = reorg.preview(reorganisation=split.decision)
    assert any(split.old_communes[0].name in p for p in preview.problems)
    with pytest.raises(reorg.ReorganisationError):
        reorg.apply(reorganisation=split.decision, actor=split.admin)
    assert Dossier.objects.filter(competent_agency=split.district).count() == len(split.dossiers)


def test_a_split_by_explicit_list_of_codes(split):
    split.decision.rule = SuccessionRule.EXPLICIT
    split.decision.save()
    chosen = split.dossiers[:2]
    share = split.decision.shares.get(successor=split.successors[2])
    share.dossier_codes = "\n".join(d.code for d in chosen) + "\nKHONG-CO"
    share.save()
    preview = reorg.preview(reorganisation=split.decision)
    assert preview.problems == [] and any("KHONG-CO" in w for w in preview.warnings)
    reorg.apply(reorganisation=split.decision, actor=split.admin)
    assert set(Dossier.objects.filter(competent_agency=split.successors[2])) == set(chosen)
    assert Dossier.objects.filter(competent_agency=split.successors[0]).count() == len(split.dossiers) - 2


# --- the admin page: preview, then one confirm button ---------------------------------------


def test_the_admin_previews_then_applies_the_merger(client, merger):
    url = reverse("admin:thutuc_reorganisation_apply", args=[merger.decision.pk])
    client.force_login(merger.admin)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ủy ban nhân dân phường Mới" in html and "Xác nhận thực hiện" in html
    assert page.context["preview"].total == 5
    assert not DossierEvent.objects.filter(action=EventAction.REORGANISE).exists()

    done = client.post(url)
    assert done.status_code == 302
    assert Dossier.objects.filter(competent_agency=merger.new).count() == 5
    # carried out: shown again with the refusal and no button; a second POST changes nothing
    again = client.get(url).content.decode()
    assert "đã được thực hiện" in again and "Xác nhận thực hiện" not in again
    assert client.post(url).status_code == 200
    assert DossierEvent.objects.filter(action=EventAction.REORGANISE).count() == 5
    # and the record can no longer be edited
    change_url = reverse("admin:thutuc_reorganisation_change", args=[merger.decision.pk])
    assert client.post(change_url, {"decision_number": "X"}).status_code == 403


def test_only_a_superuser_reaches_the_reorganisation(client, merger):
    staff = UserFactory(is_staff=True, agency=merger.new, roles=[Role.LEADER])
    client.force_login(staff)
    url = reverse("admin:thutuc_reorganisation_apply", args=[merger.decision.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not DossierEvent.objects.filter(action=EventAction.REORGANISE).exists()


# --- the corrective action on one dossier -------------------------------------------------


def test_one_dossier_moved_by_hand_is_recorded_with_its_reason_and_never_to_an_ended_agency(merger):
    dossier = next(d for d in merger.dossiers if d.status == Status.PROCESSING)
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    other = AgencyFactory(name="Ủy ban nhân dân xã Bên Cạnh")
    leader = leader_of(merger.new, "lanhdao_moi")
    dossier = transitions.dossier_change_competent(
        dossier=dossier, actor=leader, competent_agency=other, reason="Thửa đất thuộc xã Bên Cạnh"
    )
    event = dossier.events.get(action=EventAction.CHANGE_COMPETENT)
    assert "Thửa đất thuộc xã Bên Cạnh" in event.note and merger.new.name in event.note
    with pytest.raises(TransitionError, match="ngừng hoạt động"):
        transitions.dossier_change_competent(
            dossier=dossier, actor=merger.admin, competent_agency=merger.old, reason="Nhầm"
        )
    with pytest.raises(TransitionError, match="ngừng hoạt động"):
        transitions.dossier_transfer(dossier=dossier, actor=merger.admin, unit=merger.unit)


def test_home_affairs_expects_the_reports_of_the_structure_in_force(client, merger):
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    client.force_login(UserFactory(roles=[Role.HOME_AFFAIRS]))
    expected = {}
    for quarter in (2, 3):
        page = client.get(reverse("baocao:index"), {"year": 2026, "quarter": quarter})
        assert page.status_code == 200
        expected[quarter] = {agency for agency, _report in page.context["units"]}
        rows = {row.key: row.counts[3] for row in page.context["table"].rows}
        assert (
            sum(rows.values())
            == page.context["table"].total.counts[3]
            == _figures(None, quarter_period(2026, quarter))[3]
        )
    assert merger.old in expected[2] and merger.new not in expected[2]
    assert merger.new in expected[3] and merger.old not in expected[3]


# --- the issue's merger, replayed at its size ---------------------------------------------


def test_the_issues_merger_of_137_dossiers_replayed_through_the_operation(db):
    """Issue 18: the old ward held 137 dossiers, 72 in progress of which 58 overdue; the new
    ward's quarterly report showed zeros and its staff saw nothing."""
    old = AgencyFactory(name="Ủy ban nhân dân phường Cũ", code="000.31.01.H98")
    new = AgencyFactory(name="Ủy ban nhân dân phường Mới", code="000.31.02.H98", valid_from=EFFECTIVE)
    case = CaseFactory(procedure__competent_agency=old, processing_time=5, documents=[], fees=[])
    reception = UserFactory(agency=old, roles=[Role.RECEPTION])
    leader = leader_of(old, "lanhdao_cu")
    plan = (
        [(Status.RETURNED, local(2026, 4, 6, 9))] * 65
        + [(Status.RECEIVED, local(2026, 4, 13, 9))] * 58  # due 20/04: overdue by the end of Q2
        + [(Status.RECEIVED, local(2026, 6, 11, 9))] * 14  # due 18/06: within its deadline on 14/06
    )
    for status, received in plan:
        DossierFactory(
            case=case,
            receiving_agency=old,
            received_by=reception,
            received_at=received,
            status=status,
            actor=leader,
        )
    decision = Reorganisation.objects.create(
        decision_number="1656/NQ-UBTVQH15",
        decision_date=dt.date(2026, 6, 1),
        effective_date=EFFECTIVE,
        predecessor=old,
        main_successor=new,
    )
    old_q2, province = _figures(old, Q2), {q: _figures(None, quarter_period(2026, q)) for q in (2, 3)}
    assert (old_q2[3], old_q2[11], old_q2[13]) == (137, 72, 58)
    new_leader = UserFactory(agency=new, roles=[Role.LEADER])
    assert _figures(new, Q3)[3] == 0 and not visible_dossiers(new_leader).exists()

    assert dict(reorg.preview(reorganisation=decision).counts) == {new: 72}
    reorg.apply(reorganisation=decision, actor=UserFactory(is_superuser=True))

    # the new ward's own leader and the old ward's, moved, see all 137 (history included)
    for user in (new_leader, leader):
        assert visible_dossiers(User.objects.get(pk=user.pk)).count() == 137
    assert (
        DossierEvent.objects.filter(action=EventAction.REORGANISE, dossier__competent_agency=new).count()
        == 72
    )
    new_q3 = _figures(new, Q3)
    assert new_q3[3] == new_q3[6] == new_q3[11] == 72
    assert _figures(old, Q2) == old_q2
    assert {q: _figures(None, quarter_period(2026, q)) for q in (2, 3)} == province


def test_a_split_by_procedure_rewrites_the_catalogue_to_each_share(split):
    from tests.motcua.factories import StepFactory

    step = StepFactory(case=split.case, agency=split.district)
    split.decision.rule = SuccessionRule.BY_PROCEDURE
    split.decision.save()
    share = split.decision.shares.get(successor=split.successors[1])
    share.procedures.set([split.case.procedure])
    reorg.apply(reorganisation=split.decision, actor=split.admin)
    assert Dossier.objects.filter(competent_agency=split.successors[1]).count() == len(split.dossiers)
    split.case.procedure.refresh_from_db()
    step.refresh_from_db()
    assert split.case.procedure.competent_agency == split.successors[1]
    assert step.agency == split.successors[1]
    assert set(split.case.procedure.receiving_agencies.all()) == set(split.successors)


def test_the_old_wards_register_book_stays_readable_by_the_new_ward(client, merger):
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    client.force_login(User.objects.get(pk=merger.reception.pk))
    page = client.get(reverse("motcua:register"), {"co_quan": merger.old.pk, "nam": 2026})
    assert page.status_code == 200
    html = page.content.decode()
    assert all(dossier.code in html for dossier in merger.dossiers)


def test_a_dossier_left_behind_while_it_ran_is_moved_by_carrying_it_out_again(merger):
    """Intake takes no lock on the agency: a dossier accepted at the old counter during the
    operation stays behind (simulated here by putting one back); the preview of the carried
    out decision shows it and confirming moves it, with its one event."""
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    ended = Agency.objects.get(pk=merger.old.pk)
    Agency.objects.filter(pk=ended.pk).update(is_active=True, valid_to=None)  # as it was during the run
    behind, _pin = dossier_receive(
        procedure=merger.case.procedure,
        case=merger.case,
        agency=merger.old,
        actor=merger.reception,
        applicant=Applicant(name="Trần Thị Bình", phone="0912000111"),
        documents=papers_of(merger.case),
        competent_agency=merger.old,
    )
    Agency.objects.filter(pk=ended.pk).update(is_active=False, valid_to=ended.valid_to)
    merger.decision.refresh_from_db()
    preview = reorg.preview(reorganisation=merger.decision)
    assert preview.problems == [] and preview.counts == [(merger.new, 1)]
    assert any("còn 1 hồ sơ" in warning for warning in preview.warnings), preview.warnings
    first = merger.decision.applied_at
    reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    behind.refresh_from_db()
    assert behind.competent_agency == merger.new
    merger.decision.refresh_from_db()
    assert merger.decision.applied_at == first and merger.decision.summary["dossiers"] == 6
    with pytest.raises(reorg.ReorganisationError, match="không còn hồ sơ"):
        reorg.apply(reorganisation=merger.decision, actor=merger.admin)


def test_signed_in_staff_work_for_the_successor_on_their_next_request(
    client, merger, django_capture_on_commit_callbacks
):
    """Accounts are cached between requests (thutuc/accounts/access.py); the operation moves
    them with QuerySet.update(), which sends no signal, and drops their cached copies on
    commit: the next page already knows the new agency, and a closed account is signed out."""
    from django.contrib.auth import get_user
    from django.test import RequestFactory

    client.force_login(merger.reception)
    assert client.get(reverse("motcua:staff_home")).status_code == 200  # cached now
    request = RequestFactory().get("/")
    request.session = client.session
    assert get_user(request).agency_id == merger.old.pk
    with django_capture_on_commit_callbacks(execute=True):
        reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    assert get_user(request).agency_id == merger.new.pk


def test_a_closed_account_is_signed_out_at_once(client, merger, django_capture_on_commit_callbacks):
    merger.decision.staff_policy = StaffPolicy.CLOSE
    merger.decision.save()
    client.force_login(merger.reception)
    assert client.get(reverse("motcua:staff_home")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        reorg.apply(reorganisation=merger.decision, actor=merger.admin)
    assert client.get(reverse("motcua:staff_home")).status_code == 302
