"""The apps depend one way (issue 15): baocao → khieunai → motcua → thutuc → core.

Every module of an app (models, views, migrations, commands, templatetags; imports inside
functions too) is parsed; none may import an app above its own. `core`, the shared plumbing,
thus imports no domain app, and its models point at no domain model (only at the user, through
AUTH_USER_MODEL). The development-only `bench` app sits above them all and nothing imports it.
The project's settings, root URLs and Celery app live in `motcua/` but only name the higher
apps as strings (INSTALLED_APPS, include("khieunai.urls"), task names), never import them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "thutuc", "motcua", "khieunai", "baocao", "bench"]


def imported_packages(path: Path, package: str) -> set[tuple[str, int]]:
    """(top-level package, line) of every import in the file, relative imports resolved
    against `package` (the file's dotted package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update((alias.name.split(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                found.add((base[0], node.lineno))
            elif node.module:
                found.add((node.module.split(".")[0], node.lineno))
    return found


def upward_imports(app: str, root: Path = ROOT) -> list[str]:
    """ "file:line imports X" for each import of an app above `app`."""
    above = set(LAYERS[LAYERS.index(app) + 1 :])
    problems = []
    for path in sorted((root / app).rglob("*.py")):
        relative = path.relative_to(root)
        package = ".".join(relative.with_suffix("").parts[:-1])
        for imported, line in sorted(imported_packages(path, package)):
            if imported in above:
                problems.append(f"{relative}:{line} imports {imported}")
    return problems


@pytest.mark.parametrize("app", LAYERS)
def test_no_app_imports_an_app_above_it(app):
    assert upward_imports(app) == []


def test_the_check_sees_an_upward_import(tmp_path):
    (tmp_path / "core" / "sub").mkdir(parents=True)
    (tmp_path / "core" / "sub" / "helper.py").write_text(
        "def f():\n    from motcua.models import Dossier\n    from ..ratelimit import hit\n"
    )
    (tmp_path / "thutuc").mkdir()
    (tmp_path / "thutuc" / "roles.py").write_text("from core import pins\nimport khieunai.models as k\n")
    assert upward_imports("core", tmp_path) == ["core/sub/helper.py:2 imports motcua"]
    assert upward_imports("thutuc", tmp_path) == ["thutuc/roles.py:2 imports khieunai"]


def test_core_models_point_at_no_domain_model():
    from django.apps import apps
    from django.conf import settings

    domain = {"thutuc", "motcua", "khieunai", "baocao"}
    user_model = settings.AUTH_USER_MODEL.lower()
    for model in apps.get_app_config("core").get_models():
        for field in model._meta.get_fields():
            related = field.related_model
            if related is None or field.auto_created and not field.concrete:
                continue
            if related._meta.label_lower == user_model:
                continue  # the swappable user, as django.contrib.admin's LogEntry has it
            assert related._meta.app_label not in domain, f"{model.__name__}.{field.name}"
