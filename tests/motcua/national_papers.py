"""Real paper lists from the national TTHC database (the shared records described in
`shared/data/national-catalogue/README.md`), for the printed forms' fit tests.

The records' `thanh_phan_ho_so` is a flattened table: a section's title, the header
"Tên giấy tờMẫu đơn, tờ khaiSố lượng", then each paper's description, its form template's
file name (if any) and its count ("1 bản chính", "0 bản chính,1 bản sao"), run together. A
section is one case of the procedure: the list a dossier of that case is received with."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CANDIDATES = [
    Path(os.environ["NATIONAL_CATALOGUE_DIR"]) if os.environ.get("NATIONAL_CATALOGUE_DIR") else None,
    ROOT.parent / "shared" / "data" / "national-catalogue",
    ROOT.parent.parent / "shared" / "data" / "national-catalogue",
]
HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
COUNT = re.compile(r"(\d+\s*bản\s*(?:chính|sao|gốc)(?:\s*,\s*\d+\s*bản\s*(?:chính|sao|gốc))*)")
TEMPLATE_FILE = re.compile(r"[^.;:()]*?\.(?:docx?|pdf|xlsx?|rtf)", re.IGNORECASE)


@dataclass(frozen=True)
class Paper:
    name: str
    originals: int
    copies: int


def catalogue_dir() -> Path | None:
    return next((path for path in CANDIDATES if path is not None and path.is_dir()), None)


def _counts(text: str) -> tuple[int, int]:
    originals = sum(int(n) for n in re.findall(r"(\d+)\s*bản\s*(?:chính|gốc)", text))
    copies = sum(int(n) for n in re.findall(r"(\d+)\s*bản\s*sao", text))
    return originals, copies


def sections(text: str) -> list[list[Paper]]:
    """The paper lists of a record's `thanh_phan_ho_so`, one per section (case)."""
    found = []
    for section in (text or "").split(HEADER)[1:]:
        parts = COUNT.split(section)
        papers = []
        for index in range(0, len(parts) - 1, 2):
            name = " ".join(TEMPLATE_FILE.sub("", parts[index]).split()).strip(" -+*:;")
            if name:
                papers.append(Paper(name, *_counts(parts[index + 1])))
        if papers:
            found.append(papers)
    return found


def longest_list() -> tuple[str, list[Paper]]:
    """(procedure code, papers) of the real case with the most papers, ties broken by the
    longest text: the worst a receipt has to print."""
    directory = catalogue_dir()
    best: tuple[tuple[int, int], str, list[Paper]] | None = None
    for path in sorted(directory.glob("*/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        for papers in sections(record.get("thanh_phan_ho_so", "")):
            key = (len(papers), sum(len(p.name) for p in papers))
            if best is None or key > best[0]:
                best = (key, record.get("ma_thu_tuc", path.stem), papers)
    return best[1], best[2]
