"""Hand-offs notify whoever has the work now (issue 13 §2): the unit or officer a dossier is
transferred to, the counter when a result is ready to return, the handler when a
supplement arrives — in the notification centre (with a link) and by e-mail; the list
marks read and unread; whoever acted keeps reading the dossier; "Hồ sơ tôi đã xử lý"."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from motcua.alerts import kinds
from motcua.models import Notification, NotificationChannel, Status
from motcua.services import transitions as t
from tests.factories import UserFactory
from tests.motcua.factories_processing import papers
from thutuc.accounts.roles import Role

pytestmark = pytest.mark.django_db
HOME = reverse("motcua:staff_home")


def in_app(user, kind=None):
    rows = Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP)
    return rows.filter(kind=kind) if kind else rows


def detail(dossier):
    return reverse("motcua:dossier_detail", args=[dossier.code])


def test_a_transfer_to_an_officer_tells_that_officer_in_app_and_by_mail(
    world, django_capture_on_commit_callbacks
):
    dossier = world.dossier()
    with django_capture_on_commit_callbacks(execute=True):
        t.dossier_transfer(
            dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
        )
    [note] = in_app(world.specialist)
    assert note.kind == kinds.HANDOFF_ASSIGN and note.dossier_id == dossier.pk
    assert dossier.code in note.subject and "Nguyễn Thị Hồng Nhung" in note.body
    assert not in_app(world.reception).exists()  # never told about one's own action
    [message] = [m for m in mail.outbox if m.to == [world.specialist.email]]
    assert dossier.code in message.subject and detail(dossier) in message.body


def test_a_transfer_to_a_unit_tells_its_specialists_and_leaders(world):
    dossier = world.dossier()
    dossier = t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    colleague = UserFactory(agency=world.department, roles=[Role.SPECIALIST], email="")
    outsider = UserFactory(agency=world.other_department, roles=[Role.LEADER])
    t.dossier_transfer(dossier=dossier, actor=world.specialist, step=world.steps[1])  # to Sở Tư pháp
    assert in_app(world.leader, kinds.HANDOFF_TRANSFER).count() == 1
    assert in_app(colleague, kinds.HANDOFF_TRANSFER).count() == 1  # no e-mail address: in-app only
    assert not Notification.objects.filter(recipient=colleague, channel=NotificationChannel.EMAIL).exists()
    assert not in_app(outsider).exists()


def test_the_counter_hears_when_a_result_is_ready_to_return(world):
    dossier = world.dossier()
    dossier = t.dossier_transfer(dossier=dossier, actor=world.reception, step=world.steps[1])
    other_counter = UserFactory(agency=world.other_department, roles=[Role.RECEPTION])
    t.dossier_approve(dossier=dossier, actor=world.leader)
    [note] = in_app(world.reception, kinds.RESULT_TO_RETURN)
    assert dossier.code in note.subject and "giải quyết" in note.body
    assert not in_app(other_counter).exists()


@pytest.mark.parametrize("end", ["refuse", "stop", "withdraw"])
def test_the_counter_hears_of_every_end_of_processing(world, end):
    dossier = t.dossier_transfer(dossier=world.dossier(), actor=world.reception, step=world.steps[1])
    reason = {"reason": "Không đủ điều kiện"}
    extra = {"legal_basis": "Điều 12 Luật Hộ tịch"} if end == "stop" else {}
    getattr(t, f"dossier_{end}")(dossier=dossier, actor=world.leader, **reason, **extra)
    assert in_app(world.reception, kinds.RESULT_TO_RETURN).count() == 1


def test_the_handler_hears_when_the_supplement_arrives(world):
    dossier = t.dossier_transfer(
        dossier=world.dossier(), actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    request = t.dossier_request_supplement(
        dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
    )
    t.dossier_receive_supplement(dossier=request.dossier, actor=world.reception)
    [note] = in_app(world.specialist, kinds.SUPPLEMENT_RECEIVED)
    assert note.dossier_id == dossier.pk


def test_the_unit_hears_of_a_supplement_when_nobody_is_assigned(world):
    dossier = t.dossier_transfer(dossier=world.dossier(), actor=world.reception, step=world.steps[1])
    request = t.dossier_request_supplement(
        dossier=dossier, actor=world.leader, items=papers("Tờ khai"), reason="Thiếu"
    )
    t.dossier_receive_supplement(dossier=request.dossier, actor=world.leader)  # the asker received it himself
    colleague = UserFactory(agency=world.department, roles=[Role.SPECIALIST])
    assert not in_app(world.leader, kinds.SUPPLEMENT_RECEIVED).exists()
    # one supplement request per dossier (NĐ 118/2025 Điều 19 khoản 5): another dossier
    other = t.dossier_transfer(dossier=world.dossier(), actor=world.reception, step=world.steps[1])
    request = t.dossier_request_supplement(
        dossier=other, actor=world.leader, items=papers("Ảnh"), reason="Mờ"
    )
    t.dossier_receive_supplement(dossier=request.dossier, actor=world.reception)
    assert in_app(world.leader, kinds.SUPPLEMENT_RECEIVED).count() == 1
    assert not in_app(colleague, kinds.SUPPLEMENT_RECEIVED).exists()  # the handler was known


def test_a_refused_transition_tells_nobody(world):
    dossier = world.dossier(status=Status.RETURNED)
    with pytest.raises(t.TransitionError):
        t.dossier_transfer(
            dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
        )
    assert not Notification.objects.filter(recipient__isnull=False).exists()


def test_the_centre_links_the_dossier_marks_read_and_counts_in_the_header(world, client):
    dossier = world.dossier()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    client.force_login(world.specialist)
    html = client.get(reverse("motcua:notifications")).content.decode()
    assert f'href="{detail(dossier)}"' in html
    assert "Chưa đọc" in html and "Đánh dấu đã đọc" in html
    assert 'data-testid="unread-alerts">1<' in html
    [note] = in_app(world.specialist)
    response = client.post(
        reverse("motcua:notification_read", args=[note.pk]), {"next": reverse("motcua:notifications")}
    )
    assert response.status_code == 302
    html = client.get(reverse("motcua:notifications")).content.decode()
    assert 'data-testid="unread-alerts">0<' in html and '<span class="read-state read">Đã đọc</span>' in html


def test_whoever_acted_keeps_reading_the_dossier_and_its_control_sheet(world, client):
    dossier = t.dossier_transfer(
        dossier=world.dossier(), actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    client.force_login(world.specialist)
    response = client.post(
        reverse("motcua:dossier_action", args=[dossier.code, "transfer"]),
        {"transfer-step": world.steps[1].pk, "transfer-note": "Trình lãnh đạo"},
    )
    # the redirect after handing it on lands on the dossier, not on a 404
    assert response.status_code == 302 and response.url == detail(dossier)
    page = client.get(response.url)
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    assert page.context["action_forms"] == []
    assert client.get(reverse("motcua:dossier_control_sheet", args=[dossier.code])).status_code == 200
    # and still nothing to do: a POST is refused
    refused = client.post(reverse("motcua:dossier_action", args=[dossier.code, "approve"]), {})
    assert refused.status_code == 409
    # a colleague of his unit who never touched it does not see it
    client.force_login(UserFactory(agency=world.unit, roles=[Role.SPECIALIST]))
    assert client.get(detail(dossier)).status_code == 404


def test_my_processed_dossiers_list_whatever_their_state_latest_action_first(
    world, client, django_assert_max_num_queries
):
    now = timezone.now()
    first = t.dossier_transfer(
        dossier=world.dossier(received_at=now - dt.timedelta(days=3)),
        actor=world.reception,
        step=world.steps[0],
        recipient=world.specialist,
    )
    second = t.dossier_transfer(
        dossier=world.dossier(received_at=now - dt.timedelta(days=2)),
        actor=world.reception,
        step=world.steps[0],
        recipient=world.specialist,
    )
    t.dossier_request_supplement(
        dossier=second, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
    )
    t.dossier_transfer(dossier=first, actor=world.specialist, step=world.steps[1])  # now at the department
    untouched = world.dossier(status=Status.PROCESSING, current_unit=world.unit)
    client.force_login(world.specialist)
    with django_assert_max_num_queries(12):
        response = client.get(HOME, {"ds": "da-xu-ly"})
    codes = [d.code for d in response.context["page"].object_list]
    assert codes == [first.code, second.code] and untouched.code not in codes
    html = response.content.decode()
    assert f'href="{detail(first)}"' in html  # a link, although the dossier left his unit
    assert [d.code for d in client.get(HOME, {"ds": "da-xu-ly", "loc": "cho-bo-sung"}).context["page"]] == [
        second.code
    ]
