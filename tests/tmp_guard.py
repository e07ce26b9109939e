"""A test writes only under pytest's own temporary directory (issue 13 §0).

A browser test once rendered a PDF into `/tmp/baocao_look/`, a folder that existed only on
the machine where the test was written: on a fresh machine `make test` failed, while CI stayed
green because its machine kept the folder. This guard makes that class of fault fail at once,
on every machine:

- the process's temporary directory (`tempfile`, `TMPDIR` inherited by every subprocess:
  Chromium, pdftoppm, Celery workers) is moved under pytest's base temporary directory, so
  what libraries write "to /tmp" lands in the session's own folder;
- an audit hook (PEP 578) refuses, with an error naming the path, any file opened for writing
  and any directory created in a shared temporary folder (`/tmp`, `/var/tmp`, `/dev/shm`), in
  the checkout (`media/`, `.hypothesis/`, ...; bytecode caches aside) or in `$HOME`, and any
  subprocess argument naming a shared temporary folder, outside that base directory.

A test that must hand a directory to another user (a PostgreSQL cluster run as `postgres`
cannot enter pytest's 0700 folder) asks for the `shared_tmp_dir` fixture, which makes a
fresh folder, allows it for the duration of the test and removes it afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SHARED_TMP_ROOTS = ("/tmp", "/var/tmp", "/dev/shm")
CHECKOUT = str(Path(__file__).resolve().parent.parent)

_state: dict = {"allowed": (), "active": False, "violations": [], "write_roots": SHARED_TMP_ROOTS}


class WroteOutsideTmpPath(RuntimeError):
    pass


def _under(path: str, roots) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _check(path, roots=SHARED_TMP_ROOTS) -> None:
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        return
    if not path.startswith("/"):
        path = os.path.join(os.getcwd(), path)
    path = os.path.normpath(path)
    if "__pycache__" in path or not _under(path, roots) or _under(path, _state["allowed"]):
        return
    if os.environ.get("TMP_GUARD") == "log":
        _state["violations"].append(path)
        return
    raise WroteOutsideTmpPath(
        f"a test used {path!r}, outside pytest's temporary directory: write under tmp_path "
        "(tests/tmp_guard.py)"
    )


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _hook(event: str, args) -> None:
    if not _state["active"]:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int):
            return
        writing = (mode and any(c in mode for c in "wax+")) or (not mode and flags & _WRITE_FLAGS)
        if writing:
            _check(path, _state["write_roots"])
    elif event == "os.mkdir":
        _check(args[0], _state["write_roots"])
    elif event in ("os.rename", "os.symlink", "shutil.copytree", "shutil.move"):
        _check(args[1], _state["write_roots"])
    elif event == "subprocess.Popen":
        _executable, argv, cwd, _env = args
        if isinstance(argv, (str, bytes)):
            argv = [argv]
        for arg in list(argv or []) + ([cwd] if cwd else []):
            if isinstance(arg, os.PathLike):
                arg = os.fspath(arg)
            if isinstance(arg, (str, bytes)):
                text = os.fsdecode(arg) if isinstance(arg, bytes) else arg
                # `--option=/tmp/x` as well as `/tmp/x`
                _check(text.split("=", 1)[1] if text.startswith("-") and "=" in text else text)


_installed = False


def install(basetemp: Path) -> Path:
    """Point every temporary directory at `basetemp` and start refusing writes elsewhere."""
    global _installed
    base = str(basetemp.resolve())
    own = basetemp / "tempdir"
    own.mkdir(exist_ok=True)
    tempfile.tempdir = str(own)
    for name in ("TMPDIR", "TEMP", "TMP"):
        os.environ[name] = str(own)
    _state["allowed"] = (base, str(basetemp))
    if basetemp.parent.name.startswith("pytest-of-"):
        # pytest's own housekeeping: locks and the removal of old numbered folders
        _state["allowed"] += (str(basetemp.parent.resolve()),)
    home = os.path.expanduser("~")
    _state["write_roots"] = SHARED_TMP_ROOTS + (CHECKOUT,) + ((home,) if home not in ("/", "") else ())
    _state["active"] = True
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    return own


def allow(path: Path) -> None:
    _state["allowed"] = (*_state["allowed"], str(path))


def forbid(path: Path) -> None:
    _state["allowed"] = tuple(p for p in _state["allowed"] if p != str(path))


def violations() -> list[str]:
    return list(_state["violations"])


class suspended:
    """Lets the `shared_tmp_dir` fixture create and remove its own folder."""

    def __enter__(self):
        self._was = _state["active"]
        _state["active"] = False

    def __exit__(self, *exc):
        _state["active"] = self._was
