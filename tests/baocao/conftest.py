import datetime as dt

import pytest

from baocao.periods import quarter_period
from motcua.models import Channel, RatingValue, Status
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
