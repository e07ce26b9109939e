"""Issue 15 moved two models between apps without touching their tables: FormSubmission
(motcua → core) and AccessLog (motcua → thutuc). A database migrated on the code before the
move keeps its rows, and the moved content types keep their permission rows and the groups
holding them (the leaders' role holds the access log's "view": motcua.view_accesslog becomes
thutuc.view_accesslog, the same row). Runs on SQLite and PostgreSQL."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("motcua", "0013_staff_search"),
    ("thutuc", "0007_catalogue_import_job"),
    ("core", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_migrating_a_database_from_before_the_move_keeps_rows_and_permissions():
    latest = latest_targets()
    try:
        old = migrate(BEFORE_THE_MOVE)
        ContentType = old.get_model("contenttypes", "ContentType")
        Permission = old.get_model("auth", "Permission")
        Group = old.get_model("auth", "Group")
        # the content types as the code before the move had them
        assert ContentType.objects.filter(app_label="motcua", model="accesslog").exists()
        assert ContentType.objects.filter(app_label="motcua", model="formsubmission").exists()
        # (django-axes has an "accesslog" of its own: it stays where it is)
        ours = ["motcua", "thutuc", "core"]
        before = ContentType.objects.filter(app_label__in=ours, model__in=["accesslog", "formsubmission"])
        assert set(before.values_list("app_label", flat=True)) == {"motcua"}

        User = old.get_model("thutuc", "User")
        Agency = old.get_model("thutuc", "Agency")
        agency = Agency.objects.create(code="000.00.06.H99", name="Trung tâm", level="centre")
        user = User.objects.create(username="lanhdao-test", agency=agency)
        token = uuid.uuid4()
        submission = old.get_model("motcua", "FormSubmission").objects.create(
            token=token, user=user, path="/mot-cua/ho-so/X/thao-tac/assign/", redirect_to="/mot-cua/ho-so/X/"
        )
        log = old.get_model("motcua", "AccessLog").objects.create(
            user=user,
            username=user.username,
            action="view",
            object_type="motcua.dossier",
            object_ref="000.00.06.H99-260101-0001",
            agency=agency,
            path="/mot-cua/ho-so/X/",
        )
        view_log = Permission.objects.get(content_type__app_label="motcua", codename="view_accesslog")
        leaders = Group.objects.get(name="Lãnh đạo đơn vị")
        assert leaders.permissions.filter(pk=view_log.pk).exists()
        user.user_permissions.add(view_log)

        new = migrate(latest)
    finally:
        migrate(latest)

    from django.contrib.auth.models import Group as CurrentGroup
    from django.contrib.auth.models import Permission as CurrentPermission

    from core.models import FormSubmission
    from thutuc.models import AccessLog
    from thutuc.models import User as CurrentUser

    assert FormSubmission.objects.get(token=token).pk == submission.pk
    assert FormSubmission.objects.get(token=token).redirect_to == "/mot-cua/ho-so/X/"
    assert AccessLog.objects.get().pk == log.pk and AccessLog.objects.get().agency_id == agency.pk
    moved = CurrentPermission.objects.get(pk=view_log.pk)
    assert (moved.content_type.app_label, moved.codename) == ("thutuc", "view_accesslog")
    assert CurrentGroup.objects.get(name="Lãnh đạo đơn vị").permissions.filter(pk=moved.pk).exists()
    assert CurrentUser.objects.get(pk=user.pk).has_perm("thutuc.view_accesslog")
    ContentTypeNew = new.get_model("contenttypes", "ContentType")
    labels = ContentTypeNew.objects.filter(app_label__in=ours, model__in=["accesslog", "formsubmission"])
    expected = [("core", "formsubmission"), ("thutuc", "accesslog")]
    assert sorted(labels.values_list("app_label", "model")) == expected
    assert ContentTypeNew.objects.filter(app_label="axes", model="accesslog").exists()
