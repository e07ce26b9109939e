# ruff: noqa: F811  (the `world` fixture is imported, then requested by name)
"""Hostile input to every dossier action form (/mot-cua/ho-so/<code>/thao-tac/<action>/),
the rating recorded on the citizen's behalf and the receipt reissue."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.forms_processing import ACTION_FORMS
from motcua.models import Apology, Dossier, DossierEvent, Rating, ResultDelivery, SupplementRequest
from motcua.services import transitions as t
from tests.motcua.factories_processing import papers
from tests.motcua.fixtures_processing import world  # noqa: F401  (fixture)

from .conftest_fuzz import check_post
from .fuzz_strategies import examples, hostile_value, mutation

MODELS = [Dossier, DossierEvent, SupplementRequest, Apology, Rating]

# action → (status the dossier is brought to, who acts, valid values, field kinds)
ACTIONS = {
    "transfer": ("received", "reception", {"step": "STEP"}, {"step": "id", "unit": "id", "recipient": "id"}),
    "receive_transfer": ("processing", "specialist", {"note": ""}, {"note": "text"}),
    "change_competent": (
        "received",
        "reception",
        {"competent_agency": "OTHER_DEPARTMENT", "reason": "Sai thẩm quyền"},
        {"competent_agency": "id", "reason": "text"},
    ),
    "request_supplement": (
        "processing",
        "specialist",
        {"extra_1": "Tờ khai", "extra_1_originals": "1", "reason": "Thiếu giấy tờ"},
        {"extra_1": "text", "extra_1_originals": "number", "extra_2_photocopies": "number", "reason": "text"},
    ),
    "receive_supplement": ("waiting_supplement", "reception", {"note": "Đã nhận"}, {"note": "text"}),
    "request_payment": ("processing", "specialist", {"amount": "50000", "note": ""}, {"amount": "number"}),
    "receive_payment": (
        "waiting_payment",
        "reception",
        {"receipt_number": "BL-01"},
        {"receipt_number": "text"},
    ),
    "approve": ("processing", "leader", {"note": "Đồng ý"}, {"note": "text"}),
    "refuse": ("processing", "leader", {"reason": "Không đủ điều kiện"}, {"reason": "text"}),
    "stop": (
        "processing",
        "leader",
        {"reason": "Cơ quan khác giải quyết", "legal_basis": "Điều 19 Nghị định 118/2025/NĐ-CP"},
        {"reason": "text", "legal_basis": "text"},
    ),
    "withdraw": (
        "processing",
        "leader",
        {"reason": "Người nộp đề nghị rút", "fees_to_refund": "0"},
        {"reason": "text", "fees_to_refund": "number", "refund_note": "text"},
    ),
    "apologise": (
        "processing",
        "leader",
        {"reason": "Chờ xác minh", "new_due_at": "2030-03-05T09:00"},
        {"reason": "text", "new_due_at": "date"},
    ),
    "return_result": (
        "result_ready",
        "reception",
        {"collected_by_name": "Nguyễn Văn An", "originals_returned": "on", "note": ""},
        {
            "collected_by_name": "text",
            "originals_returned": "bool",
            "note": "text",
            "postal_tracking_number": "text",
        },
    ),
}


def test_every_action_form_is_fuzzed():
    assert set(ACTIONS) == set(ACTION_FORMS)


def bring_to(world, status: str, **kwargs) -> Dossier:
    """A dossier of `world` in `status`, reached through the services."""
    dossier = world.dossier(**kwargs)
    if status == "received":
        return dossier
    dossier = t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    if status == "waiting_supplement":
        dossier = t.dossier_request_supplement(
            dossier=dossier, actor=world.specialist, items=papers("Tờ khai"), reason="Thiếu"
        )
    elif status == "waiting_payment":
        dossier = t.dossier_request_payment(dossier=dossier, actor=world.specialist)
    elif status == "result_ready":
        dossier = t.dossier_approve(dossier=dossier, actor=world.leader)
    return Dossier.objects.get(pk=getattr(dossier, "dossier", dossier).pk)  # some return the request


def snapshot(dossier):
    def _state():
        fresh = Dossier.objects.get(pk=dossier.pk)
        return (fresh.status, fresh.current_unit_id, fresh.assignee_id, fresh.due_at, fresh.events.count())

    return _state


def succeeded(action, dossier):
    def _check(response, before, after):
        fresh = Dossier.objects.get(pk=dossier.pk)
        target = t.TRANSITIONS[action].target
        if target is not None:
            assert fresh.status == target
        elif action == "apologise":
            assert Apology.objects.filter(dossier=fresh).exists()
        assert fresh.events.filter(action=action).exists()
        assert after["motcua.DossierEvent"] == before["motcua.DossierEvent"] + 1

    return _check


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("delivery", [ResultDelivery.COUNTER, ResultDelivery.POST])
def test_action_forms_survive_hostile_values(world, client, action, delivery):
    status, who, valid, kinds = ACTIONS[action]
    if delivery == ResultDelivery.POST and action != "return_result":
        pytest.skip("only the return form depends on the delivery")
    client.force_login(getattr(world, who))
    placeholders = {"STEP": str(world.steps[0].pk), "OTHER_DEPARTMENT": str(world.other_department.pk)}
    valid = {k: placeholders.get(v, v) for k, v in valid.items()}
    if delivery == ResultDelivery.POST:
        valid = {"postal_tracking_number": "EV123456789VN", "note": ""}

    @examples(20)
    @given(change=mutation(kinds))
    def run(change):
        extra = (
            {"result_delivery": delivery, "delivery_address": "Số 1 phố Huế"} if delivery == "post" else {}
        )
        dossier = bring_to(world, status, **extra)
        data = {f"{action}-{k}": v for k, v in {**valid, **change}.items() if v is not None}
        check_post(
            client,
            f"/mot-cua/ho-so/{dossier.code}/thao-tac/{action}/",
            data,
            kinds={f"{action}-{k}": v for k, v in kinds.items()},
            models=MODELS,
            state=snapshot(dossier),
            on_success=succeeded(action, dossier),
        )

    run()


@examples(30)
@given(action=st.one_of(st.sampled_from(["", "xoa", "APPROVE", "approve-1"]), hostile_value("text")))
def test_unknown_actions_are_404(world, client, action):
    client.force_login(world.leader)
    dossier = bring_to(world, "processing")
    response = client.post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/{action}/", {"note": "x"})
    assert response.status_code == 404 or action in ACTIONS


RATING_KINDS = {"value": "choice", "comment": "text"}


def test_rating_on_behalf_survives_hostile_values(world, client):
    client.force_login(world.reception)

    @examples(30)
    @given(change=mutation(RATING_KINDS))
    def run(change):
        dossier = bring_to(world, "result_ready")
        t.dossier_return_result(dossier=dossier, actor=world.reception, collected_by_name="An")

        def saved(response, before, after):
            rating = Rating.objects.get(dossier=dossier)
            assert rating.recorded_by == world.reception
            assert after["motcua.Rating"] == before["motcua.Rating"] + 1

        data = {k: v for k, v in {"value": "satisfied", "comment": "Tốt", **change}.items() if v is not None}
        check_post(
            client,
            f"/mot-cua/ho-so/{dossier.code}/danh-gia/",
            data,
            kinds=RATING_KINDS,
            models=MODELS,
            state=snapshot(dossier),
            on_success=saved,
        )

    run()


@examples(25)
@given(
    data=st.dictionaries(st.sampled_from(["pin", "code", "csrfmiddlewaretoken", "x"]), hostile_value("text"))
)
def test_receipt_reissue_ignores_any_body(world, client, data):
    client.force_login(world.reception)
    dossier = world.dossier()
    before = Dossier.objects.get(pk=dossier.pk).pin_hash
    response = client.post(f"/mot-cua/ho-so/{dossier.code}/cap-lai-ma-tra-cuu/", data)
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).pin_hash != before
    assert client.post("/mot-cua/ho-so/KHONG-CO/cap-lai-ma-tra-cuu/", data).status_code == 404
