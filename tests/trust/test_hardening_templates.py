"""Every HTML template works under the CSP: no inline <script>, no on<event>= handler, no
style= attribute or <style> element, no javascript: URL. PDF templates are rendered by
WeasyPrint on the server and are not covered by the browser's CSP."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]

TAG = re.compile(r"<[a-zA-Z][^<>]*>", re.S)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"""=\s*["']?\s*javascript:""", re.I)


def html_templates():
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*.html")):
            relative = path.relative_to(folder)
            if "pdf" in relative.parts[:-1]:
                continue  # server-side PDF (WeasyPrint)
            yield path


def violations(text: str) -> list[str]:
    found = [f"inline script: {m.group(0)[:60]}" for m in INLINE_SCRIPT.finditer(text)]
    found += [f"<style> element: {m.group(0)}" for m in STYLE_ELEMENT.finditer(text)]
    for tag in TAG.finditer(text):
        source = tag.group(0)
        if EVENT_HANDLER.search(source):
            found.append(f"event handler: {source[:80]}")
        if STYLE_ATTRIBUTE.search(source):
            found.append(f"style attribute: {source[:80]}")
        if JS_URL.search(source):
            found.append(f"javascript: URL: {source[:80]}")
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<button type="button" onclick="window.print()">In</button>',
        '<body onload="go()">',
        '<td style="white-space: pre-line">x</td>',
        "<style>.a{color:red}</style>",
        '<a href="javascript:void(0)">x</a>',
        '<input\n  type="text"\n  onchange="x()">',
    ],
)
def test_the_scan_finds_each_kind_of_inline_code(snippet):
    assert violations(snippet), snippet


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/intake-form.js' %}\" defer></script>",
        '<button type="button" data-print>In</button>',
        "<p>Công dân nộp hồ sơ online=trực tuyến; style=gọn</p>",
        '<td class="pre-line">x</td>',
    ],
)
def test_the_scan_accepts_external_scripts_and_classes(snippet):
    assert violations(snippet) == []


def test_no_html_template_has_inline_code_or_style():
    templates = list(html_templates())
    assert len(templates) > 50  # the scan really reads the project's templates
    problems = {
        str(path.relative_to(ROOT)): found for path in templates if (found := violations(path.read_text()))
    }
    assert problems == {}


def test_the_moved_scripts_exist_and_are_deferred():
    for template, script in [
        ("templates/motcua/intake/form.html", "js/intake-form.js"),
        ("templates/motcua/intake/search.html", "js/intake-search.js"),
        ("templates/khieunai/hotline/day.html", "js/hotline-day.js"),
        ("templates/khieunai/staff/notice.html", "js/print.js"),
    ]:
        text = (ROOT / template).read_text()
        assert re.search(rf"<script src=\"{{% static '{re.escape(script)}' %}}\" defer></script>", text), (
            template
        )
        assert (ROOT / "static" / script).is_file()
