"""The demo dossiers: every status, through the services, idempotent, worklists filled."""

import io

import pytest
from django.utils import timezone

from motcua import demo
from motcua.models import Apology, Dossier, DossierEvent, IntakeAttempt, Notification, Outcome, Rating, Status
from motcua.selectors_processing import worklist_queryset
from thutuc.calendar import get_calendar
from thutuc.models import Agency, User
from thutuc.models.catalogue import StepRole

from .factories import CaseFactory
from .factories_processing import StepFactory

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
    assert all(
        d.code.startswith(d.receiving_agency.code + "-") for d in dossiers.select_related("receiving_agency")
    )
    assert dossiers.values("receiving_agency", "register_year", "register_number").distinct().count() == 100
    assert DossierEvent.objects.filter(action="receive").count() == 100
    assert (
        DossierEvent.objects.filter(action="transfer").count()
        == dossiers.exclude(status=Status.RECEIVED).count()
    )
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
    assert worklist_queryset(users["lanhdao"], "don-vi").exists()

    # a second run adds nothing
    counts = (Dossier.objects.count(), DossierEvent.objects.count(), IntakeAttempt.objects.count())
    again = io.StringIO()
    demo.seed(stdout=again, count=100)
    assert (Dossier.objects.count(), DossierEvent.objects.count(), IntakeAttempt.objects.count()) == counts
    assert "đã có sẵn" in again.getvalue()
