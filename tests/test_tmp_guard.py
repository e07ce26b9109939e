"""Tests write only under their own tmp_path (issue 13 §0): the runtime guard of
tests/tmp_guard.py and a scan of the test sources for fixed shared paths."""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from . import tmp_guard
from .conftest import ROOT, SYSTEM_TMP


def test_the_session_temporary_directory_is_pytests_own(tmp_path_factory):
    base = str(tmp_path_factory.getbasetemp())
    assert tempfile.gettempdir().startswith(base)
    assert os.environ["TMPDIR"].startswith(base)
    with tempfile.NamedTemporaryFile() as handle:
        assert handle.name.startswith(base)


def test_a_write_into_a_shared_temporary_folder_fails_the_test():
    target = SYSTEM_TMP / "motcua-guard-probe" / "page.png"
    with pytest.raises(tmp_guard.WroteOutsideTmpPath, match="motcua-guard-probe"):
        os.makedirs(target.parent)
    with pytest.raises(tmp_guard.WroteOutsideTmpPath):
        open(SYSTEM_TMP / "motcua-guard-probe.txt", "w")  # noqa: SIM115
    assert not (SYSTEM_TMP / "motcua-guard-probe.txt").exists()


def test_a_subprocess_told_to_write_into_a_shared_temporary_folder_fails_the_test():
    # what the report browser test did: pdftoppm ... /tmp/<folder>/browser
    with pytest.raises(tmp_guard.WroteOutsideTmpPath):
        probe = SYSTEM_TMP / "baocao_look" / "browser"
        subprocess.run([sys.executable, "-c", "pass", str(probe)], check=True)
    with pytest.raises(tmp_guard.WroteOutsideTmpPath):
        subprocess.run([sys.executable, "-c", "pass", f"--output={SYSTEM_TMP / 'x.pdf'}"], check=True)


def test_a_write_into_the_checkout_fails_the_test(monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(tmp_guard.WroteOutsideTmpPath):
        open(ROOT / "media" / "probe.txt", "w")  # noqa: SIM115
    with pytest.raises(tmp_guard.WroteOutsideTmpPath):
        open("probe-in-cwd.txt", "w")  # noqa: SIM115


def test_writes_under_tmp_path_and_reads_anywhere_pass(tmp_path, settings):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "ok.txt").write_text("ok")
    subprocess.run([sys.executable, "-c", "pass", str(tmp_path / "out")], check=True)
    assert (ROOT / "manage.py").read_text().startswith("#!")
    assert str(settings.MEDIA_ROOT).startswith(str(tmp_path))


def test_shared_tmp_dir_is_a_fresh_allowed_folder_outside_pytests_own(shared_tmp_dir, tmp_path_factory):
    assert shared_tmp_dir.parent == SYSTEM_TMP
    assert not str(shared_tmp_dir).startswith(str(tmp_path_factory.getbasetemp()))
    (shared_tmp_dir / "data").mkdir()
    (shared_tmp_dir / "data" / "pw").write_text("x")
    assert list(shared_tmp_dir.iterdir()) == [shared_tmp_dir / "data"]


# A quoted absolute path into a folder shared by the machine or its users.
FIXED_PATH = re.compile(r"""["'](?:/tmp|/var/tmp|/dev/shm|/root|/home)(?:/|["'])""")


def test_no_test_names_a_fixed_shared_folder():
    offenders = []
    for path in sorted(Path(ROOT / "tests").rglob("*.py")):
        if path.name == "tmp_guard.py":  # it names the shared roots it guards
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if FIXED_PATH.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    "line, flagged",
    [
        # "~" stands for "/" so that this file does not trip its own scan
        ('subprocess.run(["pdftoppm", pdf, "~tmp~baocao_look~browser"])', True),
        ("open('~var~tmp~x.txt', 'w')", True),
        ('Path("~root~.cache~x")', True),
        ('cwd="~tmp"', True),
        ('"..~..~..~..~tmp~hardening-evil.pdf"', False),
        ("tmp_path ~ 'tmp' ~ 'x'", False),
    ],
)
def test_the_fixed_path_scan_itself(line, flagged):
    assert bool(FIXED_PATH.search(line.replace("~", "/"))) is flagged
