"""The dossier, feedback and report histories cannot be edited or deleted — not through
the model, the QuerySet, the admin (any role, superuser included), a role's permissions,
nor raw SQL on PostgreSQL, nor by deleting what they hang on — while the normal workflow
keeps appending to them."""

import importlib

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from baocao.models import ReportEvent
from core.models import AppendOnlyError
from khieunai.models import FeedbackEvent
from motcua.models import DossierEvent, EventAction
from motcua.services import transitions as t
from tests.motcua.factories import papers
from thutuc.accounts.roles import append_only_models, role_permissions, sync_role_permissions
from thutuc.models import AccessLog

from .perms_world import ROLE_USERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

# (history, its foreign key to what it records, its free-text field)
HISTORIES = [
    (DossierEvent, "dossier", "note"),
    (FeedbackEvent, "feedback", "note"),
    (ReportEvent, "report", "comment"),
]
HISTORY_MODELS = pytest.mark.parametrize(
    "model", [h[0] for h in HISTORIES], ids=[parent for _model, parent, _text in HISTORIES]
)
TEXT = {model: text for model, _parent, text in HISTORIES}


def _snapshot(model):
    return sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))


def _first_event(audit, model):
    parent = {model: parent for model, parent, _text in HISTORIES}[model]
    return model.objects.filter(**{parent: getattr(audit, parent)}).first()


# --- the model API ------------------------------------------------------------------------------


@HISTORY_MODELS
def test_model_and_queryset_refuse_every_rewrite_with_a_clear_message(audit, model):
    before = _snapshot(model)
    assert len(before) >= 2
    event = _first_event(audit, model)
    text = TEXT[model]
    setattr(event, text, "sửa lịch sử")
    attempts = {
        "save": lambda: event.save(),
        "save(update_fields)": lambda: event.save(update_fields=[text]),
        "delete": lambda: event.delete(),
        "queryset.update": lambda: model.objects.filter(pk=event.pk).update(**{text: "x"}),
        "queryset.delete": lambda: model.objects.all().delete(),
        "bulk_update": lambda: model.objects.bulk_update([event], [text]),
        "update_or_create": lambda: model.objects.update_or_create(pk=event.pk, defaults={text: "x"}),
    }
    for name, attempt in attempts.items():
        with pytest.raises(AppendOnlyError, match="chỉ được ghi thêm, không được") as refused:
            attempt()
        assert isinstance(refused.value, PermissionDenied), name  # a view reaching it answers 403
    assert _snapshot(model) == before


def _counts():
    return [model.objects.count() for model, _parent, _text in HISTORIES]


def test_deleting_a_dossier_a_feedback_or_a_report_is_refused_and_keeps_the_history(audit):
    counts = _counts()
    for parent in (audit.dossier, audit.feedback, audit.report):
        with pytest.raises(ProtectedError):
            parent.delete()
    assert _counts() == counts


def test_deleting_an_agency_or_an_actor_the_histories_name_is_refused(audit):
    """What a history row hangs on beyond its parent: the agency of the dossier, feedback and
    report (and a chain of cascades from it), the officer who acted."""
    counts = _counts()
    for victim in (audit.world.department, audit.world.leader, audit.world.reception):
        with pytest.raises(ProtectedError):
            victim.delete()
    assert _counts() == counts


def _detachable_columns() -> dict[str, set[str]]:
    """The nullable references the PostgreSQL trigger lets ON DELETE SET NULL clear."""
    migration = importlib.import_module("motcua.migrations.0010_access_log")
    return {table: set(columns) for table, columns in migration.TABLES}


@pytest.mark.parametrize("dotted", append_only_models())
def test_no_delete_can_cascade_into_an_append_only_table(dotted):
    """No delete anywhere removes a history row: every reference of an append-only model is
    PROTECT, or SET_NULL on a nullable column the trigger lets clear (the row only detaches).
    Without a CASCADE edge into the table, no chain of cascades can reach it."""
    from django.apps import apps
    from django.db import models

    model = apps.get_model(dotted)
    detachable = _detachable_columns().get(model._meta.db_table, set())
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        on_delete = field.remote_field.on_delete
        if on_delete is models.SET_NULL:
            assert field.null and field.column in detachable, field
        else:
            assert on_delete is models.PROTECT, field


def test_the_workflow_still_appends_events(audit):
    here = audit.world
    before = list(DossierEvent.objects.filter(dossier=audit.dossier).values_list("pk", "action"))
    dossier = t.dossier_request_supplement(
        dossier=audit.dossier, actor=here.specialist, items=papers("Tờ khai"), reason="Thiếu chữ ký"
    ).dossier
    t.dossier_receive_supplement(dossier=dossier, actor=here.reception)
    after = list(DossierEvent.objects.filter(dossier=audit.dossier).values_list("pk", "action"))
    assert after[: len(before)] == before  # the old rows are untouched
    assert [a for _pk, a in after[len(before) :]] == [
        EventAction.REQUEST_SUPPLEMENT,
        EventAction.RECEIVE_SUPPLEMENT,
    ]


# --- roles and permissions ----------------------------------------------------------------------


def test_no_role_holds_and_no_permission_exists_to_add_change_or_delete_a_history():
    forbidden = {
        f"{dotted.split('.')[0]}.{verb}_{dotted.split('.')[1]}"
        for dotted in append_only_models()
        for verb in ("add", "change", "delete")
    }
    assert {"khieunai.feedbackevent", "motcua.dossierevent", "thutuc.accesslog", "baocao.reportevent"} <= set(
        append_only_models()
    )
    for role, perms in role_permissions().items():
        assert not forbidden & set(perms), role
    for model in (DossierEvent, FeedbackEvent, ReportEvent, AccessLog):
        codenames = set(
            Permission.objects.filter(content_type=ContentType.objects.get_for_model(model)).values_list(
                "codename", flat=True
            )
        )
        assert codenames == {f"view_{model._meta.model_name}"}


def test_the_role_sync_removes_a_stale_change_or_delete_permission(province):
    from django.contrib.auth.models import Group

    from thutuc.accounts.roles import Role

    content_type = ContentType.objects.get_for_model(DossierEvent)
    stale = Permission.objects.create(codename="change_dossierevent", name="x", content_type=content_type)
    Group.objects.get(name=str(Role.LEADER)).permissions.add(stale)
    sync_role_permissions()
    assert not Permission.objects.filter(content_type=content_type, codename="change_dossierevent").exists()


# --- the admin ----------------------------------------------------------------------------------


def _admin_urls(model, pk):
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    return {
        "changelist": reverse(f"{name}_changelist"),
        "add": reverse(f"{name}_add"),
        "change": reverse(f"{name}_change", args=[pk]),
        "delete": reverse(f"{name}_delete", args=[pk]),
        "history": reverse(f"{name}_history", args=[pk]),
    }


@HISTORY_MODELS
@pytest.mark.parametrize("username", [*ROLE_USERS, "root"])
def test_the_admin_refuses_every_role_and_the_superuser_to_edit_or_delete(
    audit, superuser, client, model, username
):
    user = audit.users.get(username) or superuser
    if username == "quantri":
        assert user.is_staff  # the catalogue admin reaches the admin site
    client.force_login(user)
    before = _snapshot(model)
    event = _first_event(audit, model)
    urls = _admin_urls(model, event.pk)
    text = TEXT[model]
    posts = {
        "change": {text: "sửa lịch sử", "_save": "1"},
        "delete": {"post": "yes"},
        "add": {text: "giả mạo"},
        "changelist": {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    }
    answers = {name: client.get(url).status_code for name, url in urls.items()}
    posted = {name: client.post(urls[name], data).status_code for name, data in posts.items()}
    if not user.is_staff:
        # not a member of the admin site at all: every page sends to the admin login
        assert set(answers.values()) == {302} and set(posted.values()) == {302}
    elif not user.is_superuser:
        assert set(answers.values()) == {403} and set(posted.values()) == {403}
    else:
        # the superuser reads the history and nothing else
        assert answers == {"changelist": 200, "add": 403, "change": 200, "delete": 403, "history": 200}
        assert posted["change"] == posted["delete"] == posted["add"] == 403
        page = client.get(urls["change"]).content.decode()
        assert 'name="_save"' not in page and f'name="{text}"' not in page  # read-only
        listing = client.get(urls["changelist"]).content.decode()
        assert "delete_selected" not in listing  # no bulk delete action offered
    assert _snapshot(model) == before


# --- PostgreSQL: even raw SQL cannot rewrite history ---------------------------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only (SQLite: model layer)"
)


@postgresql_only
@pytest.mark.parametrize(
    "table", ["motcua_dossierevent", "khieunai_feedbackevent", "baocao_reportevent", "motcua_accesslog"]
)
def test_raw_sql_update_and_delete_are_refused_by_the_trigger(audit, client, table):
    client.force_login(audit.world.specialist)
    client.get(reverse("motcua:dossier_detail", args=[audit.dossier.code]))  # one access-log row
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        (count,) = cursor.fetchone()
    assert count >= 1
    for statement in (f"UPDATE {table} SET at = at - interval '1 day'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only history cannot be edited or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone() == (count,)


@postgresql_only
def test_a_deleted_catalogue_step_leaves_the_history_and_a_deleted_account_only_detaches(audit, client):
    """The history names the dossier's own frozen copy of the step (its case version, issue
    17): deleting the catalogue's steps touches no event. The one UPDATE the trigger lets
    through: ON DELETE SET NULL of a nullable reference (an account)."""
    from tests.factories import UserFactory
    from thutuc.accounts.roles import Role
    from thutuc.models import ProcedureStep

    event = DossierEvent.objects.get(dossier=audit.dossier, action=EventAction.TRANSFER)
    assert event.step_id is not None
    before = {f.attname: getattr(event, f.attname) for f in DossierEvent._meta.concrete_fields}
    deleted, _by_model = ProcedureStep.objects.filter(case_id=audit.dossier.case_id).delete()
    assert deleted >= 1
    event.refresh_from_db()
    assert {f.attname: getattr(event, f.attname) for f in DossierEvent._meta.concrete_fields} == before

    visitor = UserFactory(agency=audit.world.department, roles=[Role.LEADER])
    client.force_login(visitor)
    client.get(reverse("motcua:dossier_detail", args=[audit.dossier.code]))
    client.logout()
    visitor.delete()
    row = AccessLog.objects.get()
    assert row.user_id is None and row.username == visitor.username
    # but a rewrite hidden in the same statement as the detachment is refused
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE motcua_accesslog SET agency_id = NULL, username = 'someone'")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_still_be_torn_down(world):  # noqa: F811
    """TRUNCATE (the teardown of transactional tests, restores) is not refused: this test
    leaves history rows behind and the flush after it must succeed."""
    dossier = world.dossier()
    before = DossierEvent.objects.filter(dossier=dossier).count()
    t.dossier_transfer(
        dossier=dossier, actor=world.reception, step=world.steps[0], recipient=world.specialist
    )
    assert DossierEvent.objects.filter(dossier=dossier).count() == before + 1
