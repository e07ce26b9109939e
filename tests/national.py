"""The national catalogue records (issue 17) for tests: where they are, and the converter.

The 808 records live outside the repository (../shared/data/national-catalogue/ beside the
checkout, or NATIONAL_CATALOGUE_DIR); the converter is fixtures/national/convert.py. Tests
that need the records are skipped, saying why, when the folder is absent."""

from __future__ import annotations

import importlib.util
import os
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def national_dir() -> Path | None:
    candidates = [os.environ.get("NATIONAL_CATALOGUE_DIR", "")]
    candidates += [str(parent / "shared" / "data" / "national-catalogue") for parent in ROOT.parents[:3]]
    for candidate in candidates:
        if candidate and Path(candidate, "README.md").is_file():
            return Path(candidate)
    return None


def require_national_dir() -> Path:
    folder = national_dir()
    if folder is None:
        pytest.skip("the national catalogue records are not on this machine (NATIONAL_CATALOGUE_DIR)")
    return folder


@cache
def converter():
    spec = importlib.util.spec_from_file_location(
        "national_convert", ROOT / "fixtures" / "national" / "convert.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@cache
def converted_rows(*, demo: bool = False):
    """(rows, losses) of every record, converted once per test session."""
    return converter().convert_folder(require_national_dir(), demo=demo)
