"""axe-core audits (WCAG 2.0, 2.1 and 2.2, levels A and AA) for the browser tests."""

import json

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = (1280, 390)
# Every rule of those tags still runs on every node; only the violations come back in full.
# Without resultTypes axe also serialises every node that passed (thousands on an admin
# change page) and Playwright carries them all to Python: most of an audit's time.
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
AXE_SCRIPT = Axe().axe_script
RUN = f"axe.run({json.dumps(OPTIONS)})"


def violations(page):
    """axe's violations on the page as it is now. axe (570 KB of script) is put into each
    document once, not before every run as axe-playwright-python's Axe.run does."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    return page.evaluate(RUN)["violations"]


def audit(page, path, expected_status=200):
    """Open the page and return axe's violations at each width, described for a reader.

    The page is loaded once and resized between audits: the server sends the same HTML at
    every width and no script of ours reads the width, so what changes is what CSS media
    queries change, and a resized page has those applied as a freshly loaded one would."""
    problems = []
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    response = page.goto(path)
    assert response.status == expected_status, f"{path}: {response.status}"
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for violation in violations(page):
            targets = [node["target"] for node in violation["nodes"][:5]]
            problems.append(
                f"{path} at {width}px: {violation['id']}: {violation['help']} {targets}"
            )
    return problems
