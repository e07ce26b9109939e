import pytest

from motcua.alerts import kinds
from motcua.alerts.scan import scan_deadlines
from motcua.models import Notification, NotificationChannel
from tests.timeutil import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerted(alert_world):
    for hour in (9, 10):
        alert_world.dossier(due_at=local(2026, 11, 19, hour, 0), assignee=alert_world.specialist)
    scan_deadlines(now=local(2026, 11, 20, 10, 0))
    return alert_world


def test_list_shows_own_alerts_with_count_in_header(client, alerted):
    client.force_login(alerted.specialist)
    html = client.get("/mot-cua/thong-bao/").content.decode()
    assert html.count("Hồ sơ quá hạn:") == 2
    assert 'data-testid="unread-alerts">2<' in html
    client.force_login(alerted.stranger)
    html = client.get("/mot-cua/thong-bao/").content.decode()
    assert "Không có thông báo." in html
    assert 'data-testid="unread-alerts">0<' in html


def test_mark_one_and_all_read(client, alerted):
    user = alerted.specialist
    client.force_login(user)
    first = Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP).first()
    assert client.post(f"/mot-cua/thong-bao/{first.pk}/da-doc/").status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-testid="unread-alerts">1<' in client.get("/mot-cua/thong-bao/").content.decode()
    client.post("/mot-cua/thong-bao/da-doc-tat-ca/")
    assert not Notification.objects.filter(
        recipient=user, channel=NotificationChannel.IN_APP, read_at__isnull=True, kind=kinds.OVERDUE
    ).exists()


def test_cannot_mark_someone_elses_notification(client, alerted):
    theirs = Notification.objects.filter(recipient=alerted.leader).first()
    client.force_login(alerted.specialist)
    assert client.post(f"/mot-cua/thong-bao/{theirs.pk}/da-doc/").status_code == 404
    assert client.get(f"/mot-cua/thong-bao/{theirs.pk}/da-doc/").status_code == 405
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_list_queries_do_not_grow_with_rows(client, alerted, django_assert_max_num_queries):
    client.force_login(alerted.leader)
    with django_assert_max_num_queries(9):
        assert client.get("/mot-cua/thong-bao/").status_code == 200


def test_anonymous_is_sent_to_login(client, db):
    assert client.get("/mot-cua/thong-bao/").status_code == 302


def test_header_count_stops_at_99_plus(client, alerted):
    """The header counts at most 100 unread alerts (a leader may have thousands)."""
    specialist = alerted.specialist
    Notification.objects.bulk_create(
        Notification(
            channel=NotificationChannel.IN_APP,
            kind=kinds.OVERDUE,
            recipient=specialist,
            subject=f"Hồ sơ quá hạn: {i}",
            body="",
            dedupe_key=f"test-{i}",
        )
        for i in range(97)
    )
    client.force_login(specialist)
    assert 'data-testid="unread-alerts">99<' in client.get("/mot-cua/thong-bao/").content.decode()
    Notification.objects.create(
        channel=NotificationChannel.IN_APP, kind=kinds.OVERDUE, recipient=specialist, subject="x", body=""
    )
    assert 'data-testid="unread-alerts">99+<' in client.get("/mot-cua/thong-bao/").content.decode()
