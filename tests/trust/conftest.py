"""Fixtures of the trust tests (hardening, audit, permissions). Their helpers and data live
in plain modules beside: hardening.py, perms_world.py, fuzz.py, failure.py, a11y.py."""

from pathlib import Path

import pytest
from django.db import transaction
from django.test.utils import override_settings

from tests.khieunai.factories import submit_feedback


@pytest.fixture
def intake_case(province, client):
    """A new procedure received at the demo one-stop centre; `client` signed in as its
    reception officer (tiepnhan)."""
    from tests.motcua.factories import CaseFactory
    from thutuc.models import Agency, User

    case = CaseFactory()
    case.procedure.receiving_agencies.add(Agency.objects.get(code="000.00.06.H99"))
    client.force_login(User.objects.get(username="tiepnhan"))
    return case


@pytest.fixture
def private_media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- hardening ---------------------------------------------------------------------------------


@pytest.fixture
def pii(province, private_media, fresh_cache):
    """A returned dossier (the rating form shows) and a published, answered feedback with
    an attachment, both with the distinctive personal data of tests/trust/hardening.py."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khieunai import services as feedback_services
    from khieunai.models import TriageClass
    from motcua.models import Status
    from tests.motcua.factories import CaseFactory, DossierFactory
    from thutuc.models import Agency, User

    from . import hardening as data

    justice = Agency.objects.get(code="000.00.11.H99")
    leader = User.objects.get(username="lanhdao")
    case = CaseFactory(procedure__name="Đăng ký khai sinh", procedure__code="1.009999")
    dossier = DossierFactory(
        receiving_agency=justice,
        case=case,
        status=Status.RETURNED,
        over_tet=True,
        applicant_name=data.NAME,
        applicant_id_number=data.ID_NUMBER,
        applicant_phone=data.PHONE,
        applicant_email=data.EMAIL,
        applicant_address=data.ADDRESS,
    )
    upload = SimpleUploadedFile("don-thu.pdf", data.PDF_BYTES, "application/pdf")
    feedback = submit_feedback(
        justice,
        submitter_name=data.FEEDBACK_NAME,
        submitter_id_number=data.FEEDBACK_ID_NUMBER,
        submitter_phone=data.FEEDBACK_PHONE,
        submitter_email=data.FEEDBACK_EMAIL,
        submitter_address=data.FEEDBACK_ADDRESS,
        publish_answer=True,
        attachments=[(upload, "application/pdf")],
    )
    pin = feedback.pin
    feedback_services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=leader)
    feedback_services.feedback_answer(feedback=feedback, answer="Đã bổ sung mức lệ phí.", actor=leader)
    feedback_services.feedback_publish(
        feedback=feedback, public_title="Niêm yết mức lệ phí tại bộ phận một cửa", actor=leader
    )
    return data.World(
        dossier=dossier,
        dossier_pin=dossier.pin,
        feedback=feedback,
        feedback_pin=pin,
        attachment=feedback.attachments.get(),
        procedure=case.procedure,
    )


# --- audit -------------------------------------------------------------------------------------


@pytest.fixture
def audit(world, fresh_cache):
    """A dossier handed to the unit (history: received + transferred), a denunciation
    triaged by the leader of Sở Tư pháp (history: received + accepted) and the
    department's quarterly report sent by that leader (history: create + submit)."""
    from types import SimpleNamespace

    from baocao import services as reports
    from khieunai import services
    from khieunai.models import FeedbackKind, TriageClass
    from thutuc.models import User

    dossier = world.dossier(processing=True, assignee=world.specialist)
    feedback = submit_feedback(
        world.department,
        kind=FeedbackKind.DENUNCIATION,
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


# --- the permission matrix -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def perms_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two worlds of tests/trust/perms_world.py, created once for the module inside a
    transaction rolled back at its end."""
    from .perms_world import build

    media = tmp_path_factory.mktemp("perms-media")
    overrides = override_settings(
        MEDIA_ROOT=str(media),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        CELERY_TASK_ALWAYS_EAGER=True,
    )
    with django_db_blocker.unblock():
        overrides.enable()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build()
            world.media = media  # where its files are (each test points MEDIA_ROOT back here)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()


@pytest.fixture
def perms_media(settings, perms_world):
    """The files of the module's world: tests/conftest.py gives every test its own empty
    MEDIA_ROOT, where the attachments and exports saved once for the module are missing."""
    settings.MEDIA_ROOT = str(perms_world.media)
