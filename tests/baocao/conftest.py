import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baocao.periods import quarter_period
from motcua.models import Channel, PaperPurpose, RatingValue, Status
from motcua.payments import get_backend
from motcua.payments.service import payment_confirm, payment_start
from motcua.services import fees, papers
from motcua.services.dossier_papers import dossier_scan_add
from motcua.services.results import result_attach
from tests.motcua.citizen_helpers import pdf
from tests.timeutil import local
from thutuc.models.catalogue import OnlineLevel

from .factories import AgencyFactory, DossierFactory, RatingFactory


@pytest.fixture
def q1():
    """Q1/2026: 15/12/2025 → 14/03/2026."""
    return quarter_period(2026, 1)


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Ủy ban nhân dân xã Kiểm Thử")


@pytest.fixture
def stp(province):
    """Sở Tư pháp of the demo province (the demo leader `lanhdao` works there)."""
    from thutuc.models import Agency

    return Agency.objects.get(code="000.00.11.H99")


@pytest.fixture
def users(province):
    from thutuc.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def trung_son(province):
    from thutuc.models import Agency

    return Agency.objects.get(code="000.17.22.H99")


RESULT_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def january(trung_son, stp):
    """For the service index and the public dashboard (January 2026): five dossiers of
    phường Trung Sơn (received and resolved there) and one of Sở Tư pháp."""

    def dossier(name, **kwargs):
        kwargs.setdefault("case__procedure__online_level", OnlineLevel.NONE)
        return DossierFactory(
            applicant_name=name,
            receiving_agency=trung_son,
            case__procedure__competent_agency=trung_son,
            **kwargs,
        )

    made = {
        # received 05/01 09:00, due 12/01 (5 working days); online, finished early, rated
        "online early": dossier(
            "online early",
            channel=Channel.ONLINE,
            case__procedure__online_level=OnlineLevel.FULL,
            status=Status.RETURNED,
            received_at=local(2026, 1, 5, 9),
            finished_at=local(2026, 1, 8, 9),
        ),
        # at the counter for an online-capable procedure, finished late, no apology
        "counter late": dossier(
            "counter late",
            case__procedure__online_level=OnlineLevel.PARTIAL,
            status=Status.RETURNED,
            received_at=local(2026, 1, 5, 9),
            finished_at=local(2026, 1, 20, 9),
        ),
        # still processing at the end of January, past its statutory date, with an apology
        "pending apologised": dossier(
            "pending apologised",
            status=Status.PROCESSING,
            received_at=local(2026, 1, 5, 9),
            apology_days=2,
        ),
        # carried over from December, finished early in January
        "carried early": dossier(
            "carried early",
            status=Status.RETURNED,
            received_at=local(2025, 12, 26, 9),
            finished_at=local(2026, 1, 2, 9),
        ),
        # received in February: not counted in January
        "february": dossier("february", status=Status.PROCESSING, received_at=local(2026, 2, 2, 9)),
    }
    RatingFactory(dossier=made["online early"], value=RatingValue.VERY_SATISFIED)
    RatingFactory(dossier=made["counter late"], value=RatingValue.DISSATISFIED)
    RatingFactory(dossier=made["carried early"], value=RatingValue.SATISFIED)
    # another agency's dossier, finished late in January: never in Trung Sơn's figures
    made["other agency"] = DossierFactory(
        applicant_name="other agency",
        receiving_agency=stp,
        case__procedure__competent_agency=stp,
        status=Status.RETURNED,
        received_at=local(2026, 1, 5, 9),
        finished_at=local(2026, 1, 20, 9),
    )
    return made


def _pay_online(dossier):
    order = payment_start(dossier=dossier)
    assert payment_confirm(params=get_backend().pay(reference=order.reference, amount=order.amount)).recorded


@pytest.fixture
def issue19(january, stp):
    """Issue 19's records on the January dossiers, written by its services."""
    online, counter, pending = january["online early"], january["counter late"], january["pending apologised"]
    _pay_online(online)
    _pay_online(january["other agency"])  # another agency's: never in Trung Sơn's figures
    balance = fees.ledger_of(counter).balance
    fees.fee_record_payment(
        dossier=counter, amount=balance, method="cash", receipt_number="BL-01", actor=counter.received_by
    )
    scanned = dossier_scan_add(
        dossier=online,
        actor=online.received_by,
        uploads=[papers.Upload(pdf(), "Tờ khai")],
        purpose=PaperPurpose.INTAKE_SCAN,
    )[0]
    # the citizen attaches that paper again to a later filing, accepted as "pending apologised"
    papers.reuse(
        scanned,
        name="Tờ khai",
        procedure_document_id=None,
        purpose=PaperPurpose.FILED_ONLINE,
        dossier=pending,
    )
    dossier_scan_add(
        dossier=counter,
        actor=counter.received_by,
        uploads=[papers.Upload(pdf("ket-qua.pdf"), "Kết quả")],
        purpose=PaperPurpose.RESULT_SCAN,
    )
    result_attach(
        dossier=online,
        actor=online.received_by,
        number="12/GCN",
        issued_on=timezone.localdate(),
        upload=SimpleUploadedFile("kq.pdf", RESULT_PDF, content_type="application/pdf"),
    )
    # February's dossier, scanned and paid online: not in January
    february = january["february"]
    dossier_scan_add(
        dossier=february,
        actor=february.received_by,
        uploads=[papers.Upload(pdf(), "Tờ khai")],
        purpose=PaperPurpose.INTAKE_SCAN,
    )
    _pay_online(february)
    return january


# Monday 02/03/2026 09:00, in Q1/2026 (15/12/2025 → 14/03/2026)
MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture
def steps_world(world):
    """Two dossiers of the centre, routed Phòng Hành chính tư pháp (Trần Văn Đức) → Sở Tư pháp:
    `finished`: the unit's step (due Wednesday 09:00) ends late on Wednesday 11:00, the
    leader's (due Thursday 11:00) early on Wednesday 13:00, approved; `stuck`: still in the
    unit's step, long past its deadline."""
    from motcua.services import transitions as t

    finished = world.dossier(received_at=MONDAY, applicant_name="Nguyễn Văn Một")
    t.dossier_transfer(
        dossier=finished, actor=world.reception, step=world.steps[0], recipient=world.specialist, now=MONDAY
    )
    t.dossier_transfer(
        dossier=finished,
        actor=world.specialist,
        step=world.steps[1],
        now=MONDAY + dt.timedelta(days=2, hours=2),
    )
    t.dossier_approve(dossier=finished, actor=world.leader, now=MONDAY + dt.timedelta(days=2, hours=4))
    stuck = world.dossier(received_at=MONDAY, applicant_name="Nguyễn Văn Hai")
    t.dossier_transfer(
        dossier=stuck, actor=world.reception, step=world.steps[0], recipient=world.specialist, now=MONDAY
    )
    finished.refresh_from_db()
    stuck.refresh_from_db()
    world.finished, world.stuck = finished, stuck
    return world
