"""Accessibility checks in the browser tests: axe-core (web/package.json devDependencies, installed by
scripts/install) injected into the page; a screen passes with no serious or critical violation."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.support.servers import IN_CI

AXE = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now: ``rule: target …`` lines."""
    if not AXE.exists():
        message = "axe-core is not installed (scripts/install runs npm ci in web/)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    }""")
    return [f"{v['id']} ({v['impact']}): {', '.join(v['targets'])}" for v in found if v["impact"] in BLOCKING]


def assert_accessible(page: Page, screen: str) -> None:
    problems = serious_violations(page)
    assert not problems, f"{screen}: axe-core found serious/critical violations: {problems}"
