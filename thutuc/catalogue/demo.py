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
    """The rows of a fixture as an import dataset; a column a row leaves out is blank."""
    return rows_dataset(json.loads(path.read_text(encoding="utf-8")))


def rows_dataset(rows: list[dict]) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in rows:
        dataset.append(
            ["\n".join(v) if isinstance(v, list) else v for v in (row.get(c, "") for c in COLUMNS)]
        )
    return dataset


def seed_catalogue(stdout=None) -> None:
    """Idempotent: a second run reports every row as unchanged."""
    result = CatalogueLoadResource().import_data(demo_dataset(), dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        problems = [f"dòng {row.number + 1}: {row.error_dict}" for row in result.invalid_rows]
        problems += [f"dòng {n + 1}: {errs[0].error}" for n, errs in result.row_errors()]
        raise RuntimeError("Không nạp được danh mục mẫu: " + "; ".join(problems))
    attached = attach_demo_templates()
    if stdout is not None:
        totals = result.totals
        stdout.write(
            f"Danh mục thủ tục mẫu: {totals['new']} mới, {totals['update']} cập nhật, "
            f"{totals['skip']} không đổi; mẫu đơn, tờ khai gắn thêm: {attached}"
        )


def attach_demo_templates() -> int:
    """Attach the generated sample forms (form_templates.DEMO_TEMPLATES) to the sample
    papers that have none yet. Idempotent; returns how many were attached."""
    from django.core.files.base import ContentFile
    from django.utils.text import slugify

    from core.text import fold

    from ..models import ProcedureDocument
    from .form_templates import DEMO_TEMPLATES, render

    # A sample paper gets the template whose title its name begins with ("Tờ khai đăng ký
    # khai sinh theo mẫu (nếu …)" -> "Tờ khai đăng ký khai sinh"): real names run on.
    by_title = {fold(form.title): form for form in DEMO_TEMPLATES.values()}
    attached = 0
    rendered: dict[str, bytes] = {}
    documents = ProcedureDocument.objects.filter(template="", case__procedure__is_sample=True)
    for document in documents.iterator():
        name = fold(document.name).lstrip("-+*• ").strip()
        form = next((form for title, form in by_title.items() if name.startswith(title)), None)
        if form is None:
            continue
        if form.title not in rendered:
            rendered[form.title] = render(form)
        filename = f"{slugify(fold(form.title))}.{form.extension}"
        document.template.save(filename, ContentFile(rendered[form.title]), save=False)
        document.save(update_fields=["template"])
        attached += 1
    return attached
