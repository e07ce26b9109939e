"""Accessibility checks in the browser: the vendored axe-core, run inside the page.

axe is injected with `page.evaluate(source)`, i.e. through the DevTools protocol: a
Content-Security-Policy without inline scripts (the portal's) cannot block it, and nothing
is downloaded at test time (no npm, no CDN).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from thutuc.demo import DEMO_PASSWORD

AXE_FILE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1.min.js"
# AXE_TAGS=wcag2a,wcag2aa,wcag21a,wcag21aa,best-practice surveys more rules (docs/trust-a11y.md)
WCAG_TAGS = os.environ.get("AXE_TAGS", "wcag2a,wcag2aa,wcag21a,wcag21aa").split(",")
BLOCKING = {"serious", "critical"}

_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                              summary: n.failureSummary}))
  }));
}"""


def _axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


def axe_violations(page, tags: list[str] = WCAG_TAGS) -> list[dict]:
    """The violations of rules with these tags (WCAG 2.1 A/AA by default) that axe finds
    on the page as it is now."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(_RUN, tags)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} node(s)) {v['helpUrl']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page, label: str = "") -> list[dict]:
    """Zero serious or critical violations; the failure message lists all of them,
    the minor and moderate ones too. Returns the (non-blocking) violations found."""
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {label or page.url}:\n{describe(violations)}"
    return violations


class Audit:
    """Runs axe on each page state, keeps what it found, fails once at the end, so one
    failure lists every page's violations (minor and moderate ones included)."""

    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[dict]] = {}

    def check(self, label: str) -> None:
        self.found[label] = axe_violations(self.page)

    def no_browser_validation(self) -> None:
        # the browser's own "required" check would stop the post before the server's errors
        self.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")

    def assert_clean(self) -> None:
        report = "\n\n".join(f"== {label}\n{describe(v)}" for label, v in self.found.items() if v)
        blocking = {
            label: ids
            for label, violations in self.found.items()
            if (ids := [v["id"] for v in violations if v["impact"] in BLOCKING])
        }
        assert not blocking, f"serious/critical axe violations: {blocking}\n\n{report}"
        if report:  # visible with pytest -s (and in the documentation of what remains)
            print(f"minor/moderate axe findings:\n{report}")


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/")


@pytest.fixture
def a11y_clear_cache():
    from django.core.cache import cache

    cache.clear()  # the lookups are rate limited per address
    yield
    cache.clear()
