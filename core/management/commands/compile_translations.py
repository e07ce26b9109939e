"""Compile the portal's translation catalogues (locale/*/LC_MESSAGES/*.po → .mo) in pure
Python (polib), so that neither the embedded run nor CI needs GNU gettext's msgfmt, which
Django's own `compilemessages` calls. `make run` runs it; the compiled .mo files are also
committed, and tests/test_translations.py fails when one is older than its .po."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    return sorted(po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po"))


def compiled(po_path: Path) -> bytes:
    """The .mo bytes of a catalogue (fuzzy and untranslated entries left out, as msgfmt does)."""
    import tempfile

    import polib

    catalogue = polib.pofile(str(po_path))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "out.mo"
        catalogue.save_as_mofile(str(target))
        return target.read_bytes()


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (pure Python; no msgfmt needed)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="fail if a committed .mo is out of date")

    def handle(self, *args, check=False, **options):
        stale = []
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            content = compiled(po_path)
            if mo_path.exists() and mo_path.read_bytes() == content:
                continue
            if check:
                stale.append(str(mo_path))
                continue
            mo_path.write_bytes(content)
            self.stdout.write(f"compiled {mo_path}")
        if stale:
            raise CommandError("out of date, run `manage.py compile_translations`: " + ", ".join(stale))
