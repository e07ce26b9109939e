"""A quarterly report returned or accepted by Sở Nội vụ: the reporting unit is told, in the
notification centre (with a link to the report) and by e-mail (issue 13 §2)."""

import pytest
from django.core import mail
from django.urls import reverse

from baocao import services
from motcua.alerts import kinds
from motcua.models import Notification, NotificationChannel
from tests.factories import UserFactory
from thutuc.accounts.roles import Role

pytestmark = pytest.mark.django_db


def told(user, kind):
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP, kind=kind)


def test_the_unit_hears_of_a_return_and_of_the_acceptance(
    stp, users, client, django_capture_on_commit_callbacks
):
    leader, home_affairs = users["lanhdao"], users["sonoivu"]
    deputy = UserFactory(agency=stp, roles=[Role.LEADER])
    report = services.report_create(agency=stp, year=2026, quarter=1, actor=leader)
    report = services.report_submit(report=report, actor=leader)
    # sending tells Sở Nội vụ (issue 20), not the unit
    assert told(home_affairs, kinds.REPORT_SUBMITTED).count() == 1
    assert (
        not Notification.objects.filter(recipient__isnull=False).exclude(kind=kinds.REPORT_SUBMITTED).exists()
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_return(report=report, comment="Bổ sung nguyên nhân", actor=home_affairs)
    [note] = told(leader, kinds.REPORT_RETURNED)
    assert "quý 1/2026" in note.subject and "Bổ sung nguyên nhân" in note.body
    assert note.reference == f"report:{report.pk}"
    assert told(deputy, kinds.REPORT_RETURNED).count() == 1
    assert not told(home_affairs, kinds.REPORT_RETURNED).exists()  # not the one who acted
    assert any(m.to == [leader.email] and f"/bao-cao/quy/{report.pk}/" in m.body for m in mail.outbox)

    report = services.report_submit(report=report, actor=leader)
    services.report_accept(report=report, actor=home_affairs)
    assert told(leader, kinds.REPORT_ACCEPTED).count() == 1

    client.force_login(leader)
    html = client.get(reverse("motcua:notifications")).content.decode()
    assert f'href="{reverse("baocao:report_detail", args=[report.pk])}"' in html
