"""AccessLog (the access log of personal data) moves here from the dossier app: it belongs
with the staff accounts (thutuc/accounts/audit.py).

State only: the table motcua_accesslog, its rows, indexes and PostgreSQL append-only trigger
(motcua 0010) stay as they are (the model keeps db_table). The content type is relabelled
motcua → thutuc, so that its "view" permission row and the groups holding it (the leaders'
role) follow the model: the permission is now thutuc.view_accesslog."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(old_label, new_label, model):
    def relabel(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        moved = ContentType.objects.using(db).filter(app_label=old_label, model=model)
        if not moved.exists():
            return  # a new database: post_migrate creates the content type under the new label
        # one left by an earlier run under the new label holds nothing the old one does not
        ContentType.objects.using(db).filter(app_label=new_label, model=model).delete()
        moved.update(app_label=new_label)

    return relabel


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("thutuc", "0007_catalogue_import_job"),
        ("motcua", "0013_staff_search"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="thời điểm")),
                        ("username", models.CharField(max_length=150, verbose_name="tên đăng nhập")),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("view", "Xem hồ sơ đầy đủ"),
                                    ("print", "In phiếu"),
                                    ("export", "Xuất dữ liệu"),
                                    ("download", "Tải tệp"),
                                    ("search", "Tìm hồ sơ theo thông tin cá nhân"),
                                ],
                                max_length=16,
                                verbose_name="thao tác",
                            ),
                        ),
                        ("object_type", models.CharField(max_length=64, verbose_name="loại dữ liệu")),
                        ("object_ref", models.CharField(blank=True, max_length=64, verbose_name="mã")),
                        ("label", models.CharField(blank=True, max_length=255, verbose_name="mô tả")),
                        ("row_count", models.PositiveIntegerField(blank=True, null=True, verbose_name="số dòng")),
                        ("path", models.CharField(max_length=500, verbose_name="đường dẫn")),
                        ("client_address", models.CharField(blank=True, max_length=64, verbose_name="địa chỉ máy")),
                        (
                            "agency",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="thutuc.agency",
                                verbose_name="cơ quan quản lý dữ liệu",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="cán bộ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "nhật ký truy cập dữ liệu cá nhân",
                        "verbose_name_plural": "nhật ký truy cập dữ liệu cá nhân",
                        "db_table": "motcua_accesslog",
                        "ordering": ["-at", "-pk"],
                        "abstract": False,
                        "default_permissions": ("view",),
                        "indexes": [
                            models.Index(fields=["at"], name="accesslog_at"),
                            models.Index(fields=["agency", "at"], name="accesslog_agency_at"),
                            models.Index(fields=["user", "at"], name="accesslog_user_at"),
                            models.Index(fields=["object_ref"], name="accesslog_object_ref"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            relabel_content_type("motcua", "thutuc", "accesslog"),
            relabel_content_type("thutuc", "motcua", "accesslog"),
            elidable=False,
        ),
    ]
