"""Fixtures of the audit tests (imported by tests/trust/test_audit_*.py)."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tests.motcua.fixtures_processing import world  # noqa: F401  (the processing world)

# The demo users by the role the audit tests give them (tests/conftest.py `province`).
ROLE_USERS = ["tiepnhan", "chuyenvien", "lanhdao", "giamdoc", "sonoivu", "quantri"]


@pytest.fixture(autouse=True)
def _private_media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def audit(world):  # noqa: F811
    """A dossier handed to the unit (history: received + transferred), a denunciation
    triaged by the leader of Sở Tư pháp (history: received + accepted) and the
    department's quarterly report sent by that leader (history: create + submit)."""
    from baocao import services as reports
    from khieunai import services
    from khieunai.models import FeedbackKind, TriageClass
    from motcua.services import transitions as t
    from thutuc.models import User

    dossier = t.dossier_transfer(
        dossier=world.dossier(), actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    feedback = services.feedback_submit(
        kind=FeedbackKind.DENUNCIATION,
        channel="online",
        agency=world.department,
        title="Cán bộ nhận tiền",
        content="Một cán bộ đòi tiền để làm nhanh hồ sơ.",
        submitter_name="Hoàng Thị Mai",
        submitter_id_number="001190000123",
        submitter_address="Số 5 phố Hàng Bè",
        submitter_phone="0912000222",
    )
    services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=world.leader)
    feedback.refresh_from_db()
    report = reports.report_create(agency=world.department, year=2025, quarter=4, actor=world.leader)
    report = reports.report_submit(report=report, actor=world.leader)
    users = {u.username: u for u in User.objects.select_related("agency")}
    return SimpleNamespace(world=world, dossier=dossier, feedback=feedback, report=report, users=users)


@pytest.fixture
def superuser(db):
    from tests.factories import UserFactory

    return UserFactory(username="root", is_staff=True, is_superuser=True)
