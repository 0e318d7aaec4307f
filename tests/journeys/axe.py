"""axe-core audits (WCAG 2.0, 2.1 and 2.2, levels A and AA) for the browser tests."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = (1280, 390)
# Every rule of those tags still runs on every node; only the violations come back in full.
# Without resultTypes axe also serialises every node that passed (thousands on an admin
# change page) and Playwright carries them all to Python: most of an audit's time.
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
_axe = Axe()


def violations(page):
    """axe's violations on the page as it is now."""
    return _axe.run(page, options=OPTIONS).response["violations"]


def audit(page, path, expected_status=200):
    """Open the page at each width and return axe's violations, described for a reader."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(path)
        assert response.status == expected_status, f"{path}: {response.status}"
        for violation in violations(page):
            targets = [node["target"] for node in violation["nodes"][:5]]
            problems.append(
                f"{path} at {width}px: {violation['id']}: {violation['help']} {targets}"
            )
    return problems
