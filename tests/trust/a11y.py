"""Accessibility checks in the browser: the vendored axe-core, run inside the page.

axe is injected with `page.evaluate(source)`, i.e. through the DevTools protocol: a
Content-Security-Policy without inline scripts (the portal's) cannot block it, and nothing
is downloaded at test time (no npm, no CDN).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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

    def open_and_send_empty(self, url: str, button: str, label: str) -> None:
        """Open `url`, check it as "`label`: empty form", then send the form untouched past
        the browser's own checks: the server's errors are on the page next."""
        self.page.goto(url)
        self.check(f"{label}: empty form")
        self.no_browser_validation()
        self.page.get_by_role("button", name=button).click()

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


_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', id: el.id || '',
          value: el.value || '', text: (el.innerText || '').trim().slice(0, 80), label: label.trim(),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
            ? s.outlineWidth + ' ' + s.outlineStyle : '',
          shadow: s.boxShadow !== 'none' ? s.boxShadow : '',
          covered: (() => {  // what is drawn at the element's centre once scrolled into view
            const r = el.getBoundingClientRect();
            const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return top && top !== el && !el.contains(top) && !(el.labels && [...el.labels].includes(top))
              ? top.tagName.toLowerCase() + '.' + top.className : '';
          })()};
}"""


class Keyboard:
    """Presses keys, counts them, and checks the focus after each one."""

    def __init__(self, page):
        self.page = page
        self.presses = 0  # keys pressed: Tab, Shift+Tab, Enter, Space, arrows
        self.typed = 0  # characters typed into fields
        self.stops: list[str] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(_FOCUS)

    def assert_focus_visible(self) -> dict:
        focus = self.focused()
        assert focus is not None, f"nothing has the focus after {self.stops[-3:]}"
        assert focus["outline"] or focus["shadow"], f"focus not visible on {focus}"
        assert not focus["covered"], f"the focused element is hidden under {focus['covered']}: {focus}"
        return focus

    def press(self, key: str, *, check: bool = True) -> None:
        self.page.keyboard.press(key)
        self.presses += 1
        if check:
            focus = self.assert_focus_visible()
            self.stops.append(f"{key}->{focus['tag']}#{focus['id'] or focus['text'][:30]}")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.typed += len(text)

    def tab_to(self, matches, *, limit: int = 40, back: bool = False) -> dict:
        """Tab (or Shift+Tab) until the focused element matches; fails after `limit` presses."""
        for _ in range(limit):
            self.press("Shift+Tab" if back else "Tab")
            focus = self.focused()
            if matches(focus):
                return focus
        raise AssertionError(f"never reached the element with Tab: {self.stops[-limit:]}")


def by_id(element_id):
    return lambda focus: focus["id"] == element_id


def by_text(pattern):
    return lambda focus: re.search(pattern, focus["text"]) is not None
