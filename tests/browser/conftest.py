"""Real Chromium (Debian's binary) driven by Playwright against the live test server."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
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


SNAPSHOT = "demo_snapshot"  # a schema of the test database holding the first seed's rows
_snapshot = {}  # this worker's copy: the tables in it, and the seed's upload directories


@pytest.fixture
def demo(committed_db, settings):
    """The demo data, committed so the live server's own connection sees it.

    On PostgreSQL the first seed of a worker is kept (its rows in a schema of their own,
    its uploads on disk) and copied back for every later test: ~0.3 s instead of a ~3 s
    seed, which every browser test paid. The copy is the seed's own output, so a test sees
    exactly what seed_demo builds; elsewhere each test seeds."""
    if connection.vendor != "postgresql":
        call_command("seed_demo", verbosity=0)
    elif not _snapshot:
        call_command("seed_demo", verbosity=0)
        _take_snapshot(settings)
    else:
        _restore_snapshot(settings)


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True))


def _take_snapshot(settings) -> None:
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE; CREATE SCHEMA {SNAPSHOT}")
        for table in tables:
            cursor.execute(f'CREATE TABLE {SNAPSHOT}."{table}" AS TABLE public."{table}"')
    private = settings.STORAGES["private"]["OPTIONS"]["location"]
    _snapshot.update(tables=tables, media=Path(settings.MEDIA_ROOT), private=Path(private))


def _restore_snapshot(settings) -> None:
    tables = _snapshot["tables"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in tables) + " CASCADE")
        for table in tables:
            cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {SNAPSHOT}."{table}"')
        models = [
            m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables
        ]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    private = settings.STORAGES["private"]["OPTIONS"]["location"]
    for source, target in [
        (_snapshot["media"], settings.MEDIA_ROOT),
        (_snapshot["private"], private),
    ]:
        if source.exists():
            shutil.copytree(source, target, dirs_exist_ok=True)
