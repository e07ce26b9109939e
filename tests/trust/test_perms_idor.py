"""IDOR checks the matrix cannot express as one status: list exports, filters naming
another agency's rows, the leak check's own positive control, and the admin's user pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .perms_world import MARKER
from .test_perms_matrix import _text_of

pytestmark = pytest.mark.django_db

UNIT_LEVEL = ("tiepnhan", "chuyenvien", "lanhdao", "giamdoc")


def _stats(world, agency, **extra):
    return {"kind": "quarter", "year": 2026, "quarter": 1, "grouping": "field", "role": "competent"} | {
        "agency": agency.pk,
        **extra,
    }


def _pages(world):
    """Pages that list rows, with the query that could pull in the other agency's."""
    commune_procedure = world.cases["other"].procedure
    return {
        "staff home, unit list filtered on the other agency's procedure": (
            reverse("motcua:staff_home"),
            {"ds": "don-vi", "thu-tuc": commune_procedure.pk},
        ),
        "feedback list": (reverse("khieunai:staff_list"), {}),
        "feedback list as Excel": (reverse("khieunai:staff_list"), {"xuat": "xlsx"}),
        "feedback Excel searched for the marker": (
            reverse("khieunai:staff_list"),
            {"q": MARKER, "xuat": "xlsx"},
        ),
        "hotline day": (reverse("khieunai:hotline"), {}),
        "hotline Excel": (reverse("khieunai:hotline_export"), {}),
        "reception register": (reverse("khieunai:reception"), {}),
        "reception register as Excel": (reverse("khieunai:reception"), {"xuat": "xlsx"}),
        "notification centre": (reverse("motcua:notifications"), {}),
    }


@pytest.mark.parametrize("role", UNIT_LEVEL)
def test_lists_and_exports_never_show_another_agencys_rows(client, perms_world, role):
    client.force_login(perms_world.users[role])
    for label, (url, query) in _pages(perms_world).items():
        response = client.get(url, query)
        if response.status_code == 403:
            continue  # the matrix says who may open it
        assert response.status_code == 200, label
        text = _text_of(response)
        assert not [secret for secret in perms_world.secrets if secret in text], label


def test_the_leak_check_sees_the_marker_where_it_is_allowed(client, perms_world):
    """Positive control: Sở Nội vụ sees every agency, so the marker is on its pages — the
    check above would fail on a real leak."""
    client.force_login(perms_world.users["sonoivu"])
    for label, (url, query) in _pages(perms_world).items():
        if "notification" in label or "staff home" in label:
            continue  # personal / worklist pages
        response = client.get(url, query)
        assert response.status_code == 200, label
        assert MARKER in _text_of(response), label


@pytest.mark.parametrize("role", ["lanhdao", "giamdoc"])
def test_drill_down_of_own_agency_with_another_agencys_key_lists_nothing_of_it(client, perms_world, role):
    """The drill-down's `key` (a unit or field id) only narrows the user's own scope."""
    client.force_login(perms_world.users[role])
    own = perms_world.justice if role == "lanhdao" else perms_world.centre
    other_field = perms_world.cases["other"].procedure.field_id
    for grouping, key in (("unit", perms_world.commune.pk), ("field", other_field)):
        for fmt in ({}, {"format": "xlsx"}):
            query = _stats(perms_world, own, grouping=grouping, col=3, key=key) | fmt
            response = client.get(reverse("baocao:drill_down"), query)
            assert response.status_code == 200
            text = _text_of(response)
            assert not [secret for secret in perms_world.secrets if secret in text], (grouping, fmt)


def test_drill_down_lists_the_other_agency_for_home_affairs(client, perms_world):
    client.force_login(perms_world.users["sonoivu"])
    for fmt in ({}, {"format": "xlsx"}):
        query = _stats(perms_world, perms_world.commune, col=3) | fmt
        response = client.get(reverse("baocao:drill_down"), query)
        assert response.status_code == 200
        assert perms_world.dossiers["other"].processing.code in _text_of(response)


@pytest.mark.parametrize("role", UNIT_LEVEL)
def test_unit_officer_cannot_export_the_province_table(client, perms_world, role):
    """Without an agency the statistics are the whole province's: only Sở Nội vụ."""
    from baocao.models import ReportExport

    client.force_login(perms_world.users[role])
    before = ReportExport.objects.count()
    query = _stats(perms_world, perms_world.centre)
    query.pop("agency")
    response = client.post(reverse("baocao:statistics_export", kwargs={"fmt": "xlsx"}), query)
    assert response.status_code in (403, 404)
    assert ReportExport.objects.count() == before


# --- the admin's user pages -----------------------------------------------------------------------


@pytest.fixture
def superuser(perms_world):
    from thutuc.models import User

    return User.objects.create_superuser("quantrivien", "root@example.vn", "mat-khau-rat-dai-2026")


def test_catalogue_admin_cannot_take_over_a_superuser(client, perms_world, superuser):
    """quantri may not change a superuser's password or account (that would make the
    catalogue admin a superuser)."""
    client.force_login(perms_world.users["quantri"])
    password_url = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(password_url).status_code == 403
    response = client.post(
        password_url, {"password1": "mat-khau-moi-2026!", "password2": "mat-khau-moi-2026!"}
    )
    assert response.status_code == 403
    change_url = reverse("admin:thutuc_user_change", args=[superuser.pk])
    response = client.post(
        change_url,
        {"username": "quantrivien", "full_name": "X", "is_active": "", "email": "x@example.vn"},
    )
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("mat-khau-rat-dai-2026")
    assert superuser.is_active and superuser.email == "root@example.vn"
    delete_url = reverse("admin:thutuc_user_delete", args=[superuser.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403


def test_catalogue_admin_no_longer_sets_officers_passwords(client, perms_world):
    """Issue 14 §1: accounts are managed by a superuser only (test_perms_escalation.py)."""
    officer = perms_world.users["tiepnhan"]
    client.force_login(perms_world.users["quantri"])
    response = client.get(reverse("admin:auth_user_password_change", args=[officer.pk]))
    assert response.status_code == 403


# --- smaller holes around the matrix --------------------------------------------------------------


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/", "/mot-cua/"])
def test_notification_read_redirects_on_this_site_only(client, perms_world, target):
    user = perms_world.users["tiepnhan"]
    client.force_login(user)
    notification = perms_world.notifications["tiepnhan"]
    url = reverse("motcua:notification_read", kwargs={"pk": notification.pk})
    response = client.post(url, {"next": target})
    assert response.status_code == 302
    assert response.url == (target if target.startswith("/mot-cua/") else reverse("motcua:notifications"))


@pytest.fixture
def denunciation(perms_world):
    """A denunciation received at the centre, handled by Phòng Hành chính tư pháp."""
    from django.core.files.base import ContentFile

    from core.pins import hash_pin
    from khieunai.models import Feedback, FeedbackAttachment, FeedbackChannel, FeedbackKind

    item = Feedback.objects.create(
        code="TC-PERMS-1",
        kind=FeedbackKind.DENUNCIATION,
        channel=FeedbackChannel.ONLINE,
        agency=perms_world.centre,
        handling_unit=perms_world.unit,
        title="Tố cáo hành vi nhũng nhiễu",
        content="Nội dung tố cáo",
        submitter_name="Người Tố Cáo Kín",
        submitter_address="Số 9 ngõ Kín",
        received_at=perms_world.feedback["own"].received_at,
        pin_hash=hash_pin("TC-PERMS-1", "ABC234"),
    )
    attachment = FeedbackAttachment(
        feedback=item, original_name="bang-chung.pdf", content_type="application/pdf", size=16
    )
    attachment.file.save("perms-tc.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return item, attachment


# Luật Tố cáo 2018: the denouncer's identity (and files) only for the handlers — the leaders of
# the receiving agency or of the handling unit, and the assignee (none here).
DENUNCIATION = {
    "tiepnhan": 403,
    "chuyenvien": 403,
    "lanhdao": 403,
    "giamdoc": 200,  # leader of the receiving centre
    "sonoivu": 403,  # sees every agency, but is no handler
    "quantri": 404,  # no feedback permission at all
}


@pytest.mark.parametrize(("role", "status"), DENUNCIATION.items())
def test_denunciation_files_and_identity_only_for_its_handlers(
    client, perms_world, denunciation, role, status
):
    item, attachment = denunciation
    client.force_login(perms_world.users[role])
    response = client.get(reverse("khieunai:attachment", kwargs={"pk": attachment.pk}))
    assert response.status_code == status
    detail = client.get(reverse("khieunai:staff_detail", kwargs={"code": item.code}))
    if role == "quantri":
        assert detail.status_code == 403
    else:
        assert detail.status_code == 200
        assert ("Người Tố Cáo Kín" in detail.content.decode()) is (status == 200)


def test_a_commune_counter_only_takes_in_its_own_procedures(client, perms_world):
    """The one-stop centre takes every procedure (NĐ 118/2025); a commune's counter only
    those listing it (or listing no receiving agency)."""
    centre_only = perms_world.cases["own"].procedure.code
    communes = perms_world.cases["other"].procedure.code
    client.force_login(perms_world.xa_reception)
    assert client.get(reverse("motcua:intake"), {"thu_tuc": communes}).status_code == 200
    assert client.get(reverse("motcua:intake"), {"thu_tuc": centre_only}).status_code == 404
    client.force_login(perms_world.users["tiepnhan"])
    assert client.get(reverse("motcua:intake"), {"thu_tuc": communes}).status_code == 200
