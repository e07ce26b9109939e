"""The admin (/quan-tri/) is Vietnamese throughout (issue 13 §5), django-import-export's and
django-axes' screens included, and the compiled catalogues match their sources."""

import re

import pytest
from django.core.management import call_command

# English the admin showed before the catalogue was completed (Django 5.2's newer strings,
# import-export, axes, permission names).
ENGLISH = [
    "Skip to main content",
    "Toggle theme",
    "Toggle navigation",
    "Filter navigation items",
    "Show counts",
    "Hide counts",
    "Select all objects on this page",
    "Select this object for an action",
    "Model name",
    "Add link",
    "Change or view list link",
    "This importer will import",
    "File to import",
    ">Import<",
    "Import |",
    "Can add ",
    "Can change ",
    "Can view ",
    "Access attempts",
    "Access logs",
    "Attempt Time",
    'alt="Search"',
    "View selected",
    "After you’ve created a user",
    ">Axes<",
]


def test_committed_catalogues_are_compiled():
    call_command("compile_translations", check=True)


@pytest.mark.parametrize(
    "url",
    [
        "/quan-tri/",
        "/quan-tri/thutuc/procedure/",
        "/quan-tri/thutuc/procedure/import/",
        "/quan-tri/thutuc/agency/",
        "/quan-tri/thutuc/agency/add/",
        "/quan-tri/thutuc/user/add/",
        "/quan-tri/auth/group/",
        "/quan-tri/auth/group/add/",
        "/quan-tri/axes/accessattempt/",
        "/quan-tri/axes/accesslog/",
    ],
)
def test_admin_pages_are_vietnamese(client, province, url):
    from thutuc.models import User

    client.force_login(User.objects.create_superuser("quantri_goc", "goc@example.vn", "x"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    found = [phrase for phrase in ENGLISH if phrase in html]
    assert not found, f"{url}: {found}"
    assert re.search(r"<html[^>]*lang=\"vi\"", html)


def test_import_page_speaks_vietnamese(client, province):
    from thutuc.models import User

    client.force_login(User.objects.get(username="quantri"))
    html = client.get("/quan-tri/thutuc/procedure/import/").content.decode()
    assert "Các cột sẽ được nhập" in html and "Tệp Excel cần nhập" in html and "Định dạng" in html


def test_group_permissions_named_in_vietnamese(client, province):
    from django.contrib.auth.models import Permission

    from thutuc.accounts.admin_permissions import permission_label

    add_dossier = Permission.objects.get(codename="add_dossier")
    assert permission_label(add_dossier) == "Hồ sơ một cửa | hồ sơ | Thêm hồ sơ"
