"""Sample catalogue (~30 procedures commonly handled at one-stop centres), loaded through
the same Excel import as an admin's file. The data is in fixtures/catalogue_demo.json: a
list of rows keyed by the Excel column headers (list values = one line per item)."""

from __future__ import annotations

import json
from pathlib import Path

import tablib
from django.conf import settings

from .excel import COLUMNS
from .resources import CatalogueLoadResource

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "catalogue_demo.json"


def demo_dataset(path: Path = FIXTURE) -> tablib.Dataset:
    rows = json.loads(path.read_text(encoding="utf-8"))
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append(["\n".join(v) if isinstance(v, list) else v for v in (row[c] for c in COLUMNS)])
    return dataset


def seed_catalogue(stdout=None) -> None:
    """Idempotent: a second run reports every row as unchanged."""
    result = CatalogueLoadResource().import_data(demo_dataset(), dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        problems = [f"dòng {row.number + 1}: {row.error_dict}" for row in result.invalid_rows]
        problems += [f"dòng {n + 1}: {errs[0].error}" for n, errs in result.row_errors()]
        raise RuntimeError("Không nạp được danh mục mẫu: " + "; ".join(problems))
    if stdout is not None:
        totals = result.totals
        stdout.write(
            f"Danh mục thủ tục mẫu: {totals['new']} mới, {totals['update']} cập nhật, "
            f"{totals['skip']} không đổi"
        )
