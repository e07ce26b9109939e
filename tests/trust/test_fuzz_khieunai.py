"""Hostile input to the khieunai forms: public submission and tracking, staff entry, every
staff action, the hotline fast entry and the citizen-reception register."""

import time

import pytest
from django.core import signing
from hypothesis import given

from khieunai import antispam
from khieunai.models import CitizenReception, Feedback, FeedbackEvent, HotlineCall
from khieunai.views.staff import ACTIONS as STAFF_ACTIONS
from tests.khieunai.factories import counter_feedback_form, hotline_form, reception_form, submit_feedback

from .fuzz import check_change
from .fuzz_strategies import examples, mutation

MODELS = [Feedback, FeedbackEvent, HotlineCall, CitizenReception]


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    # Many submissions from one test address: the per-IP limits are tested elsewhere.
    settings.RATE_LIMITS = {name: (10**6, window) for name, (_limit, window) in settings.RATE_LIMITS.items()}
    cache.clear()
    yield
    cache.clear()


def aged_token() -> str:
    """The signed "form shown at" token the page embeds, shown a minute ago (older than
    the minimum fill time), made exactly the way antispam.form_token() makes it."""
    return signing.dumps({"t": time.time() - 60}, salt=antispam.TOKEN_SALT)


def _submitted(response, before, after):
    assert after["khieunai.Feedback"] == before["khieunai.Feedback"] + 1
    feedback = Feedback.objects.order_by("-pk").first()
    assert feedback.events.exists(), "a feedback is saved with its first history event"


# the fields of a feedback, on the citizens' form and on the staff's entry alike
FEEDBACK = {
    "title": "text",
    "content": "text",
    "submitter_name": "text",
    "submitter_id_number": "text",
    "submitter_phone": "text",
    "submitter_email": "text",
    "submitter_address": "text",
    "related_dossier_code": "text",
    "is_second_instance": "bool",
    "publish_answer": "bool",
}

PUBLIC = {
    "kind": "choice",
    "agency": "id",
    **FEEDBACK,
    "consent": "bool",
    "email_receipt": "bool",
    "website": "honeypot",
    "form_token": "hidden",
}


def test_public_submit(province, client):
    from thutuc.models import Agency

    justice = Agency.objects.get(code="000.00.11.H99")

    @examples(50)
    @given(change=mutation(PUBLIC))
    def run(change):
        base = {
            "kind": "complaint",
            "agency": str(justice.pk),
            "title": "Chậm giải quyết hồ sơ",
            "content": "Hồ sơ của tôi quá hạn ba ngày.",
            "submitter_name": "Nguyễn Văn An",
            "submitter_address": "Số 3 phố Hàng Bè",
            "submitter_phone": "0912000111",
            "consent": "on",
            "form_token": aged_token(),
        }
        check_change(client, "/phan-anh/", base, change, kinds=PUBLIC, models=MODELS, on_success=_submitted)

    run()


def test_public_token_problems_are_vietnamese(province, client):
    for token in [
        "",
        "x",
        signing.dumps({"t": "abc"}, salt=antispam.TOKEN_SALT),
        signing.dumps([1], salt="x"),
    ]:
        response = client.post(
            "/phan-anh/", {"kind": "feedback", "title": "a", "content": "b", "form_token": token}
        )
        assert response.status_code == 200 and Feedback.objects.count() == 0
        assert "Phiên nhập đã hết hạn" in response.content.decode() or response.context["form"].errors


TRACK = {"code": "text", "pin": "text"}


@examples(40)
@given(change=mutation(TRACK))
def test_public_track(province, client, change):
    lookup = {"code": "PA-2026-000001", "pin": "ABCDEF"}
    check_change(client, "/phan-anh/tra-cuu/", lookup, change, kinds=TRACK, models=MODELS)


STAFF_CREATE = {"kind": "choice", "channel": "choice", "received_at": "date", **FEEDBACK}


def test_staff_create(province, client):
    from thutuc.models import User

    client.force_login(User.objects.get(username="tiepnhan"))

    @examples(40)
    @given(change=mutation(STAFF_CREATE))
    def run(change):
        base = counter_feedback_form()
        check_change(
            client,
            "/khieu-nai/vao-so/",
            base,
            change,
            kinds=STAFF_CREATE,
            models=MODELS,
            on_success=_submitted,
        )

    run()


# slug → (name, status the feedback is brought to, valid data, kinds)
ACTION_CASES = {
    "phan-loai": (
        "triage",
        "received",
        {"triage": "within", "note": ""},
        {
            "triage": "choice",
            "forwarded_agency": "id",
            "forwarded_to": "text",
            "note": "text",
            "is_complex": "bool",
            "is_remote_area": "bool",
            "is_second_instance": "bool",
        },
    ),
    "phan-cong": ("assign", "received", {"assignee": "SPECIALIST"}, {"assignee": "id", "note": "text"}),
    "tra-loi": ("answer", "in_progress", {"answer": "Đã xử lý"}, {"answer": "text"}),
    "ket-thuc": ("close", "answered", {"note": ""}, {"note": "text"}),
    "cong-khai": ("publish", "answered", {"public_title": "Về thái độ tiếp dân"}, {"public_title": "text"}),
    "lien-ket": ("link", "received", {"dossier_code": ""}, {"dossier_code": "text", "related_officer": "id"}),
}


def test_every_staff_action_is_fuzzed():
    assert set(ACTION_CASES) == set(STAFF_ACTIONS)


@pytest.mark.parametrize("slug", sorted(ACTION_CASES))
def test_staff_actions(province, client, slug):
    from khieunai import services
    from thutuc.models import Agency, User

    name, status, valid, kinds = ACTION_CASES[slug]
    leader = User.objects.get(username="lanhdao")
    specialist = User.objects.get(username="chuyenvien")
    justice = Agency.objects.get(code="000.00.11.H99")
    client.force_login(leader)
    valid = {k: (str(specialist.pk) if v == "SPECIALIST" else v) for k, v in valid.items()}

    def fresh():
        feedback = submit_feedback(
            justice, title="Thái độ tiếp dân", content="Cán bộ hẹn lại nhiều lần.", publish_answer=True
        )
        if status in ("in_progress", "answered"):
            services.feedback_triage(feedback=feedback, triage="within", actor=leader, note="")
        if status == "answered":
            services.feedback_answer(
                feedback=Feedback.objects.get(pk=feedback.pk), answer="Đã xử lý", actor=leader
            )
        return Feedback.objects.get(pk=feedback.pk)

    @examples(20)
    @given(change=mutation(kinds))
    def run(change):
        feedback = fresh()

        def state():
            f = Feedback.objects.get(pk=feedback.pk)
            return (f.status, f.assignee_id, f.answer, f.published_at, f.public_title, f.events.count())

        def done(response, before, after):
            assert after["khieunai.FeedbackEvent"] > before["khieunai.FeedbackEvent"]

        check_change(
            client,
            f"/khieu-nai/{feedback.code}/{slug}/",
            valid,
            change,
            kinds=kinds,
            prefix=name,
            models=MODELS,
            state=state,
            on_success=done,
        )

    run()


HOTLINE = {
    "started_at": "date",
    "caller_phone": "text",
    "caller_name": "text",
    "topic": "text",
    "dossier_code": "text",
    "summary": "text",
    "duration": "number",
    "outcome": "choice",
    "transferred_to": "text",
    "line": "text",
}


RECEPTION = {
    "received_on": "date",
    "citizen_name": "text",
    "citizen_id_number": "text",
    "address": "text",
    "people_count": "number",
    "content": "text",
    "prior_handling": "text",
    "request": "text",
    "outcome": "text",
    "open_kind": "choice",
    "title": "text",
    "phone": "text",
}


# register → (who keeps it, its entry form's address, valid entry, kinds, rows a save adds);
# a reception entry opens no feedback by itself (a call turned into feedback does).
REGISTERS = {
    "hotline": ("chuyenvien", "/duong-day-nong/", hotline_form, HOTLINE, {"khieunai.HotlineCall": 1}),
    "citizen-reception": (
        "tiepnhan",
        "/tiep-cong-dan/them/",
        reception_form,
        RECEPTION,
        {"khieunai.CitizenReception": 1, "khieunai.Feedback": 0},
    ),
}


@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_register_entry(province, client, register):
    from thutuc.models import User

    username, url, form, kinds, adds = REGISTERS[register]
    client.force_login(User.objects.get(username=username))

    def saved(response, before, after):
        assert {label: after[label] - before[label] for label in adds} == adds

    @examples(50)
    @given(change=mutation(kinds))
    def run(change):
        check_change(client, url, form(), change, kinds=kinds, models=MODELS, on_success=saved)

    run()
