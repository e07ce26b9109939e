"""The one workflow frame (core/workflow.py) and the three workflows that run through it:
dossiers, feedback and complaints, quarterly reports."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from baocao import services as reports
from core.workflow import TransitionError
from khieunai import services as feedback_services
from khieunai.models import EVENT_LABELS, TriageClass
from motcua.models import DossierEvent, EventAction, Status
from motcua.services import transitions as t
from tests.factories import UserFactory
from tests.khieunai.factories import submit_feedback
from thutuc.accounts.roles import Role
from thutuc.models import User

pytestmark = pytest.mark.django_db

WORKFLOWS = {"dossier": t.DOSSIER, "feedback": feedback_services.WORKFLOW, "report": reports.WORKFLOW}


# --- the tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_each_table_names_real_statuses_rights_and_history_actions(name):
    workflow = WORKFLOWS[name]
    statuses = {value for value, _label in workflow.model._meta.get_field("status").flatchoices}
    assert workflow.event_model._meta.get_field(workflow.parent).related_model is workflow.model
    for transition in workflow.transitions.values():
        assert transition.sources and transition.sources <= statuses, transition
        assert transition.targets <= statuses, transition
        assert str(transition.label).strip(), transition
        # a transition without a right is the portal's own (the daily closing of a dossier whose
        # supplement did not come, NĐ 118/2025 Điều 19 khoản 5): no member of staff may run it
        assert transition.rights or transition.action in getattr(t, "SYSTEM_ACTIONS", ()), transition
        if name == "dossier":
            assert transition.rights <= set(t.ROLE_SCOPE), transition
            assert transition.action in EventAction.values
            continue
        for dotted in transition.rights:
            app_label, codename = dotted.split(".")
            assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
        if name == "feedback" and transition.action != "triage":  # triage: accepted/refused/forwarded
            assert transition.event in EVENT_LABELS, transition


# --- the frame ------------------------------------------------------------------------------------


def _dossier(world):  # noqa: F811
    return world.dossier(processing=True)


def _history(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).values_list("pk", flat=True))


def _assert_refused_and_rolled_back(world, action, status, refusal, record):
    """A block inside `perform(action)` sets `status` and records with `record(change)`:
    it is refused (`refusal`) and the dossier keeps its status and its history."""
    dossier = _dossier(world)
    before = _history(dossier)
    with (
        pytest.raises(RuntimeError, match=refusal),
        t.DOSSIER.perform(dossier, action, actor=world.leader) as change,
    ):
        change.obj.status = status
        change.obj.save(update_fields=["status"])
        record(change)
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and _history(dossier) == before


def test_a_status_change_outside_the_table_is_refused_and_rolled_back(world):  # noqa: F811
    _assert_refused_and_rolled_back(
        world, EventAction.APPROVE, Status.RETURNED, "not in the table", lambda change: change.record()
    )


@pytest.mark.parametrize("events", [0, 2])
def test_a_transition_writes_exactly_one_event(world, events):  # noqa: F811
    def record(change):
        for _ in range(events):
            change.record(note="Lệ phí")

    _assert_refused_and_rolled_back(
        world, EventAction.REQUEST_PAYMENT, Status.WAITING_PAYMENT, "one event", record
    )


def test_a_models_own_validation_error_comes_out_as_the_one_error_type(world):  # noqa: F811
    dossier = _dossier(world)
    with (
        pytest.raises(TransitionError) as refused,
        t.DOSSIER.perform(dossier, EventAction.REQUEST_PAYMENT, actor=world.leader),
    ):
        raise ValidationError({"note": "Ghi chú quá dài."})
    assert refused.value.message_dict == {"note": ["Ghi chú quá dài."]}
    assert not refused.value.forbidden and str(refused.value) == "Ghi chú quá dài."


def test_warnings_are_collected_on_the_row_and_do_not_block(world):  # noqa: F811
    dossier = _dossier(world)
    with t.DOSSIER.perform(dossier, EventAction.APOLOGISE, actor=world.leader) as change:
        change.warn("Cảnh báo thứ nhất.")
        change.warn("Cảnh báo thứ hai.")
        event = change.record(note="Xin lỗi")  # the status does not change: the table says so
    assert change.obj.transition_warnings == ["Cảnh báo thứ nhất.", "Cảnh báo thứ hai."]
    assert (event.action, event.status_before, event.status_after) == (
        EventAction.APOLOGISE,
        Status.PROCESSING,
        Status.PROCESSING,
    )
    assert event.at == change.at and event.actor == world.leader


# --- one error type for the three workflows ------------------------------------------------------


@pytest.fixture
def cases(world):  # noqa: F811
    """For each workflow: a wrong-status attempt and a no-right attempt (services called as
    the pages call them), and how to read the row's state and its history."""
    outsider = UserFactory(agency=world.other_department, roles=[Role.LEADER])
    home_affairs = User.objects.get(username="sonoivu")

    returned = world.dossier(status=Status.RETURNED)
    processing = _dossier(world)

    feedback = submit_feedback(
        world.department, title="Thái độ tiếp dân", content="Cán bộ trả lời thiếu tôn trọng."
    )

    draft = reports.report_create(agency=world.department, year=2025, quarter=4, actor=world.leader)

    def state(obj):
        fresh = type(obj).objects.get(pk=obj.pk)
        return fresh.status, fresh.events.count()

    return {
        "dossier": SimpleNamespace(
            wrong_status=(returned, lambda: t.dossier_approve(dossier=returned, actor=world.leader)),
            no_right=(processing, lambda: t.dossier_approve(dossier=processing, actor=outsider)),
            status_message="đang ở trạng thái “Đã trả kết quả”",
            state=state,
        ),
        "feedback": SimpleNamespace(
            wrong_status=(
                feedback,
                lambda: feedback_services.feedback_close(feedback=feedback, actor=world.leader),
            ),
            no_right=(
                feedback,
                lambda: feedback_services.feedback_triage(
                    feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=outsider
                ),
            ),
            status_message="khi trạng thái là “Mới tiếp nhận”",
            state=state,
        ),
        "report": SimpleNamespace(
            wrong_status=(draft, lambda: reports.report_accept(report=draft, actor=home_affairs)),
            no_right=(draft, lambda: reports.report_submit(report=draft, actor=outsider)),
            status_message="khi báo cáo ở trạng thái “Đang soạn”",
            state=state,
        ),
    }


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
@pytest.mark.parametrize("refusal", ["wrong_status", "no_right"])
def test_every_refusal_is_a_transition_error_with_a_vietnamese_message_and_writes_nothing(
    cases, name, refusal
):
    case = cases[name]
    obj, attempt = getattr(case, refusal)
    before = case.state(obj)
    with pytest.raises(TransitionError) as refused:
        attempt()
    if refusal == "wrong_status":
        assert case.status_message in str(refused.value) and not refused.value.forbidden
    else:
        assert "không có quyền" in str(refused.value) and refused.value.forbidden
    assert case.state(obj) == before
