"""Real Chromium (Debian's binary) driven by Playwright against the live test server."""

import os
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests
# make around it are still synchronous, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
STATIC_BACKEND = "django.contrib.staticfiles.storage.StaticFilesStorage"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def unhashed_static_files():
    """The live server finds static files by their source names, not the manifest's hashed ones."""
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BACKEND}}
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(scope="session")
def browser():
    # No skip when Chromium is missing: CI and `make test` install it, and a silent skip
    # would hide the browser tests.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def open_page(browser, live_server, *, width=1280, height=900, scripts=True):
    """A page of a new context that reaches only the test server (map tiles and any other
    host are refused, never fetched) and fails its test on a script error. Without
    `scripts` the portal's scripts are blocked, as for a visitor whose scripts did not
    load; JavaScript itself stays on, for the test's own measuring and axe."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="el-GR")
    local = urlsplit(live_server.url).netloc

    def allowed(sent) -> bool:
        return urlsplit(sent.url).netloc == local and (scripts or sent.resource_type != "script")

    context.route(
        "**/*", lambda route: route.continue_() if allowed(route.request) else route.abort()
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base = live_server.url
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def page(browser, live_server):
    with open_page(browser, live_server) as page:
        yield page


@pytest.fixture
def demo(committed_db):
    """The demo data, committed so the live server's own connection sees it."""
    call_command("seed_demo", verbosity=0)
