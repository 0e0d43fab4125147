"""axe-core (vendored beside this file, MIT) run in a Playwright page: what a browser test asserts is empty."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "axe.min.js"


def serious_axe_violations(page) -> list[dict]:  # noqa: ANN001 - a Playwright page
    """axe's serious and critical violations on the page as it is now (id, impact, the first few targets)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]
