"""Real Chromium (Debian's binary) driven by Playwright against the live test server."""

import os
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    # No skip when Chromium is missing: CI and `make test` install it, and a silent skip
    # would hide the browser tests.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="el-GR")
    local = urlsplit(live_server.url).netloc

    # Anything not served by the test server (e.g. map tiles) is refused, never fetched.
    def only_local(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base = live_server.url
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def demo(transactional_db, django_db_serialized_rollback):
    call_command("seed_demo", verbosity=0)
