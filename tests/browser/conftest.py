"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against a live test server."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests import factories

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Playwright's synchronous API runs an event loop in this thread; the ORM calls of the test itself are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian's chromium package).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_world(live_server):
    """The catalogue and the world of the other tests, in the live server's (transactional) database."""
    call_command("load_framework", verbosity=0)
    return factories.World.build()


@pytest.fixture
def sign_in(browser, live_server):
    contexts = []

    def sign_in_as(username, viewport=None, start="/reviews/", **options):
        """A signed-in page: the home page is where signing in leads; the journeys start from `start`."""
        viewport = viewport or {"width": 1280, "height": 900}
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.locator("main").get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        if start != "/":
            page.goto(start)
        return page

    yield sign_in_as
    for context in contexts:
        context.close()


AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """What axe-core finds serious or critical on the page (signed in with bypass_csp=True: the site's Content
    Security Policy rightly refuses the script the test injects)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
