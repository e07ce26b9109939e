"""The demo dossiers: every status, through the services, idempotent, worklists filled."""

import io

import pytest
from django.utils import timezone

from motcua import demo
from motcua.models import Apology, Dossier, DossierEvent, IntakeAttempt, Notification, Outcome, Rating, Status
from motcua.selectors_processing import worklist_queryset
from thutuc.calendar_store import get_calendar
from thutuc.models import Agency, User
from thutuc.models.catalogue import StepRole

from .factories import CaseFactory, StepFactory

pytestmark = pytest.mark.django_db

SEEDED_STATUSES = [s for s in Status if s not in (Status.SUBMITTED_ONLINE, Status.NOT_ACCEPTED)]


@pytest.fixture
def catalogue(province):
    department = Agency.objects.get(code="000.00.11.H99")
    unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
    cases = []
    for name, days in (
        ("Đăng ký khai sinh", 3),
        ("Cấp phiếu lý lịch tư pháp", 10),
        ("Chứng thực bản sao", 2),
    ):
        case = CaseFactory(procedure__name=name, procedure__competent_agency=department, processing_time=days)
        StepFactory(case=case, order=1, agency=unit, role=StepRole.SPECIALIST, allotted_time=1)
        StepFactory(case=case, order=2, agency=None, role=StepRole.LEADER, name="Phê duyệt", allotted_time=1)
        cases.append(case)
    return cases


def test_without_procedures_nothing_is_seeded(province):
    out = io.StringIO()
    demo.seed(stdout=out)
    assert Dossier.objects.count() == 0
    assert "Chưa có thủ tục hành chính" in out.getvalue()


def test_seed_every_status_through_the_services_then_idempotent(
    catalogue, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    demo.seed(stdout=out, count=100)
    dossiers = Dossier.objects.all()
    assert dossiers.count() == 100
    by_status = {s: dossiers.filter(status=s).count() for s in SEEDED_STATUSES}
    assert all(n > 0 for n in by_status.values()), by_status
    assert dossiers.filter(outcome=Outcome.REFUSED).exists()
    # real codes, register numbers, events and deadlines from the services
    # the code is built on the competent agency's identifier (NĐ 118/2025 Điều 28 khoản 2
    # điểm a; the demo's procedures are not inter-agency ones)
    with_agencies = list(dossiers.select_related("receiving_agency", "competent_agency"))
    assert all(d.code.startswith(d.competent_agency.code + "-") for d in with_agencies)
    # the catalogue's fee (8.000 đồng each) paid at the counter at intake: the fee ledger
    from motcua.models import FeeEntry, FeeEntryKind

    paid = FeeEntry.objects.filter(kind=FeeEntryKind.PAYMENT)
    assert paid.count() == 100 and {p.amount for p in paid} == {8000}
    assert {p.method for p in paid} == {"cash", "transfer"}
    assert any(d.receiving_agency != d.competent_agency for d in with_agencies)
    assert dossiers.values("receiving_agency", "register_year", "register_number").distinct().count() == 100
    assert DossierEvent.objects.filter(action="receive").count() == 100
    # routed as the UI does: the counter hands each dossier on to the routing step's
    # officer, the specialist hands it to the leader's step before the decision
    handed = dossiers.exclude(status=Status.RECEIVED)
    assert set(DossierEvent.objects.filter(action="transfer").values_list("dossier", flat=True)) == set(
        handed.values_list("pk", flat=True)
    )
    decided = DossierEvent.objects.filter(action__in=["approve", "refuse"]).select_related("dossier")
    assert decided.exists()
    for event in decided:
        to_leader = DossierEvent.objects.filter(
            dossier=event.dossier, action="transfer", step__role=StepRole.LEADER, at__lte=event.at
        )
        assert to_leader.filter(recipient=event.actor).exists(), event.dossier.code
    # each counter's register numbers follow the order of receipt
    for agency_id in dossiers.values_list("receiving_agency", flat=True).distinct():
        book = list(dossiers.filter(receiving_agency=agency_id).order_by("register_year", "register_number"))
        for before, after in zip(book, book[1:], strict=False):
            if before.register_year == after.register_year:
                assert before.received_at <= after.received_at, (before.code, after.code)
    # two quarters back, nothing in the future
    now = timezone.now()
    assert dossiers.filter(received_at__gt=now).count() == 0
    assert dossiers.filter(received_at__lt=now - timezone.timedelta(days=150)).exists()
    # returned early, on time and late, with apologies; overdue and due soon now
    returned = dossiers.filter(status=Status.RETURNED)
    finished_early = [d for d in returned if d.finished_at.date() < d.original_due_at.date()]
    finished_late = [d for d in returned if d.finished_at.date() > d.original_due_at.date()]
    assert finished_early and finished_late
    assert Apology.objects.exists()
    running = dossiers.filter(status__in=[Status.RECEIVED, Status.PROCESSING, Status.WAITING_PAYMENT])
    assert running.filter(due_at__lt=now).exists()
    assert running.filter(due_at__gt=now, due_at__lt=now + timezone.timedelta(days=4)).exists()
    # ratings on most returned dossiers, mostly satisfied
    assert Rating.objects.count() > returned.count() / 2
    assert (
        Rating.objects.exclude(value="dissatisfied").count()
        > Rating.objects.filter(value="dissatisfied").count()
    )
    assert IntakeAttempt.objects.count() > 0
    # the applicants' messages exist but are not sent out to invented people
    assert Notification.objects.filter(kind="accepted").exists()
    assert not Notification.objects.filter(dossier__isnull=False, sent_at__isnull=True).exists()
    text = out.getvalue()
    assert "Hồ sơ mẫu: 100 hồ sơ" in text and "Đã trả kết quả" in text

    # the worklists of the demo officers are filled
    users = {u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien", "lanhdao"])}
    assert worklist_queryset(users["tiepnhan"], "cho-tra").exists()
    local = timezone.localtime(now)
    if get_calendar(users["tiepnhan"].agency).is_working_day(local.date()) and local.hour >= 8:
        assert worklist_queryset(users["tiepnhan"], "hom-nay").exists()  # today's intake
    assert worklist_queryset(users["chuyenvien"], "cua-toi").exists()
    assert worklist_queryset(users["lanhdao"], "cua-toi").exists()  # waiting for the signature
    assert worklist_queryset(users["lanhdao"], "don-vi").exists()

    # a second run adds nothing
    counts = (Dossier.objects.count(), DossierEvent.objects.count(), IntakeAttempt.objects.count())
    again = io.StringIO()
    demo.seed(stdout=again, count=100)
    assert (Dossier.objects.count(), DossierEvent.objects.count(), IntakeAttempt.objects.count()) == counts
    assert "đã có sẵn" in again.getvalue()


def test_no_officer_starts_with_a_crowded_bell(province):
    """The sample's older alerts are recorded as read: at most UNREAD_KEPT stay unread."""
    from motcua.models import NotificationChannel

    officer = User.objects.get(username="chuyenvien")
    for number in range(demo.UNREAD_KEPT + 30):
        Notification.objects.create(
            channel=NotificationChannel.IN_APP,
            kind="overdue",
            recipient=officer,
            subject=f"Cảnh báo {number}",
            body="Hồ sơ quá hạn",
        )
    other = User.objects.get(username="lanhdao")
    Notification.objects.create(
        channel=NotificationChannel.IN_APP, kind="x", recipient=other, subject="a", body="b"
    )
    assert demo.settle_alerts() == 30
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.filter(recipient=officer).count() == demo.UNREAD_KEPT
    assert unread.filter(recipient=other).count() == 1
    newest = Notification.objects.filter(recipient=officer).order_by("-pk").first()
    assert newest.read_at is None


def test_every_agency_that_receives_or_processes_has_staff(province):
    from thutuc import demo as province_demo
    from thutuc.accounts.roles import user_roles

    province_demo.seed_catalogue()
    province_demo.seed_staff()
    needed = province_demo.needed_staff()
    assert len(needed) > 10
    for role, agency in needed:
        assert any(role in user_roles(u) for u in User.objects.filter(agency=agency, is_active=True)), (
            role,
            agency.name,
        )
    # README logins keep their jobs: the justice department's specialist and leader
    assert ("Chuyên viên xử lý", "Phòng Hành chính tư pháp") in {(str(r), a.name) for r, a in needed}
