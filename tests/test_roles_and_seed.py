import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from thutuc.accounts.roles import Role, role_permissions
from thutuc.models import Agency, User


@pytest.mark.django_db
def test_migrations_create_every_role_with_its_permissions():
    table = role_permissions()
    for role in Role:
        group = Group.objects.get(name=str(role))
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        # every declared permission exists (a typo or a moved model's old label would be
        # silently skipped by the sync) and nothing else is granted
        assert granted == set(table[role]), role
        assert granted, f"{role} has no permission"
    admin_perms = {p.codename for p in Group.objects.get(name=str(Role.CATALOGUE_ADMIN)).permissions.all()}
    assert {"add_agency", "change_agency", "delete_agency"} <= admin_perms
    reception_perms = {p.codename for p in Group.objects.get(name=str(Role.RECEPTION)).permissions.all()}
    assert "delete_agency" not in reception_perms


def test_each_app_declares_its_own_permissions_and_the_role_table_assembles_them():
    """Issue 15: no app lists another app's permissions; the role table is the union of the
    apps' `permissions.py` (the roles' admin pages are the accounts', hence auth.view_group)."""
    from importlib import import_module

    from django.apps import apps

    declaring = {}
    for app_config in apps.get_app_configs():
        try:
            module = import_module(f"{app_config.name}.permissions")
        except ModuleNotFoundError:
            continue
        declaring[app_config.label] = module.ROLE_PERMISSIONS
        allowed = {app_config.label, "auth"} if app_config.label == "thutuc" else {app_config.label}
        for role, perms in module.ROLE_PERMISSIONS.items():
            assert {perm.split(".", 1)[0] for perm in perms} <= allowed, (app_config.label, role)
    assert set(declaring) == {"thutuc", "motcua", "khieunai", "baocao"}
    table = role_permissions()
    for role in Role:
        declared_for_role = [perm for declared in declaring.values() for perm in declared.get(role, [])]
        assert sorted(table[role]) == sorted(declared_for_role)
    assert "baocao.review_quarterlyreport" in table[Role.HOME_AFFAIRS]
    assert "thutuc.view_accesslog" in table[Role.LEADER] and "motcua.add_dossier" in table[Role.RECEPTION]


def test_a_permission_declared_for_an_unknown_role_is_refused(monkeypatch):
    import khieunai.permissions

    monkeypatch.setattr(khieunai.permissions, "ROLE_PERMISSIONS", {"Thủ quỹ": ["khieunai.view_feedback"]})
    with pytest.raises(ValueError, match="Thủ quỹ"):
        role_permissions()


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    first = (Agency.objects.count(), User.objects.count())
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert (Agency.objects.count(), User.objects.count()) == first
    assert first[0] >= 8
    for username in ("tiepnhan", "chuyenvien", "lanhdao", "sonoivu", "quantri"):
        assert username in out
        assert User.objects.get(username=username).groups.count() == 1
    assert Agency.objects.filter(is_home_affairs=True).count() == 1
    for agency in Agency.objects.exclude(code=None):
        agency.full_clean()  # every sample identifier has the official format


@pytest.mark.django_db
def test_seed_demo_apps_thutuc_loads_only_the_province_staff_and_catalogue(capsys):
    """`seed_demo --apps thutuc` (the production smoke): logins, agencies, catalogue and
    calendar in seconds, no sample dossier, feedback or report, and no deadline scan."""
    from khieunai.models import Feedback
    from motcua.models import AlertScanState, Dossier, Notification
    from thutuc.models import Procedure

    call_command("seed_demo", "--apps", "thutuc")
    assert User.objects.get(username="tiepnhan").check_password("motcua@2026")
    assert Procedure.objects.filter(is_active=True).count() >= 30
    assert not Dossier.objects.exists() and not Feedback.objects.exists()
    assert not Notification.objects.exists() and not AlertScanState.objects.exists()
    assert "Cảnh báo hạn xử lý" not in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("seed_demo", "--apps", "nothing")


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["000.00.06.H56", "000.17.22.H56", "000.00.04.G14"])
def test_agency_code_format_accepted(code):
    Agency(code=code, name="Cơ quan thử", level="commune").full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["H56", "000.00.06.h56", "00.00.06.H56", "000.00.06.H5", "000-00-06-H56"])
def test_agency_code_format_rejected_in_vietnamese(code):
    with pytest.raises(ValidationError) as excinfo:
        Agency(code=code, name="Cơ quan thử", level="commune").full_clean()
    assert "Mã định danh phải có dạng" in str(excinfo.value)


@pytest.mark.django_db
def test_agency_without_code_cannot_receive_dossiers():
    assert not Agency(name="Phòng Tư pháp", level="unit").can_receive_dossiers
    assert Agency(code="000.00.06.H56", name="Trung tâm", level="centre").can_receive_dossiers


def test_home_page_lists_hotlines(client, province):
    html = client.get("/").content.decode()
    assert "Đường dây nóng" in html
    assert "1900 8286" in html
