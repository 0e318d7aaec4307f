"""Retake the user guide's screenshots (docs/guide/img/*.png) from a running practicekb.

    .venv/bin/python docs/guide/screenshots.py [--port 8231]

It builds a throwaway SQLite database in a temporary folder (migrate, the five seed
organizations, a staff, a trainer and an editor account), serves it with runserver on
127.0.0.1:PORT, drives Debian's Chromium with Playwright at 1280 px, and stops the server.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
IMAGES = Path(__file__).resolve().parent / "img"
PASSWORD = "guide-screenshots-only"  # noqa: S105 - a throwaway database's accounts
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
ACCOUNTS = """
from django.contrib.auth.models import Group, User
for name, group, staff in [("sam", "Staff", False), ("tess", "Trainers", False),
                           ("eddie", "Editors", True)]:
    user = User.objects.create_user(name, password={password!r}, is_staff=staff,
                                    first_name=name.title())
    user.groups.add(Group.objects.get(name=group))
"""


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def serve(env, port):
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("The server did not start.")


def sign_in(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def shoot(page, name, *, full=False, locator=None):
    path = IMAGES / f"{name}.png"
    if locator is not None:
        page.locator(locator).first.screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full)
    print("wrote", path.relative_to(ROOT))


def take(base_url):
    IMAGES.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(base_url=base_url, viewport={"width": 1280, "height": 800})
        page.goto("/")
        shoot(page, "home")
        page.goto("/organizations/virginia/")
        first = page.locator(".statement__permalink").nth(3).get_attribute("href")
        page.goto(first)
        shoot(page, "statement")
        page.goto("/search/?q=kinship")
        shoot(page, "search")
        page.goto("/compare/?org=virginia&org=maine-cfs")
        shoot(page, "compare")
        page.goto("/organizations/maine-cfs/")
        shoot(page, "print-links", locator=".page-header")
        page.goto("/organizations/maine-cfs/sheet/")
        shoot(page, "sheet")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(first)
        shoot(page, "statement-phone")
        page.set_viewport_size({"width": 1280, "height": 800})

        sign_in(page, "sam")
        page.goto(first)
        shoot(page, "tagging", locator="#themes")

        sign_in(page, "tess")
        page.goto("/organizations/maine-cfs/")
        page.locator("details.add-to-sheet summary").first.click()
        shoot(page, "add-to-sheet", locator=".statement")

        sign_in(page, "eddie")
        page.goto("/admin/principles/document/")
        page.locator("#result_list tbody th a").first.click()
        page.wait_for_load_state()
        shoot(page, "admin-document")
        page.goto("/admin/principles/statement/")
        page.locator("#result_list tbody th a").first.click()
        page.wait_for_load_state()
        text = page.locator("#id_text")
        text.fill(text.input_value().replace(".", ", always.", 1))
        page.get_by_label("Reason for this change").fill("Clarified for the guide")
        page.get_by_role("button", name="Save and continue editing").click()
        page.wait_for_load_state()
        page.get_by_role("link", name="History").click()
        page.wait_for_load_state()
        shoot(page, "admin-history")
        browser.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8231)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "practicekb.settings.dev",
            "DATABASE_URL": f"sqlite:///{folder}/guide.sqlite3",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_organizations", "-v0")
        manage(env, "shell", "-c", ACCOUNTS.format(password=PASSWORD))
        server = serve(env, options.port)
        try:
            take(f"http://127.0.0.1:{options.port}")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
