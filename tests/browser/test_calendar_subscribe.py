"""Subscribing to the filtered activities in a real browser: a webcal link and an address
to copy that keep the list's filters, on a phone and a desktop, with and without JavaScript."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from accmr.core.models import Status
from accmr.taxonomy.models import ActivityType, District, Language
from activities.models import Activity, Session
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def activities(committed_db):
    """Two activities in Kypseli (one of them in Arabic) and one elsewhere."""
    workshop = ActivityType.objects.get(slug="workshop")
    made = {}
    for title, district, arabic in [
        ("Κυψέλη στα αραβικά", "6", True),
        ("Κυψέλη στα ελληνικά", "6", False),
        ("Πλάκα", "1", True),
    ]:
        entry = Activity.objects.create(
            organisation=OrganisationFactory(),
            title_el=title,
            title_en=title,
            activity_type=workshop,
            district=District.objects.get(slug=district),
            status=Status.PUBLISHED,
        )
        if arabic:
            entry.languages.add(Language.objects.get(slug="ar"))
        starts = timezone.now() + timedelta(days=3)
        Session.objects.create(activity=entry, starts=starts, ends=starts + timedelta(hours=2))
        made[title] = entry
    return made


def open_feed(page):
    """The feed block this width shows (above the list on a desktop, below on a phone)."""
    block = page.locator("details.calendar-feed:visible")
    expect(block).to_have_count(1)
    block.locator("summary").click()
    expect(block.locator(".feed-address")).to_be_visible()
    return block


@pytest.mark.parametrize(
    ("width", "prefix", "summary", "arabic", "copied"),
    [
        (
            390,
            "",
            "Προσθέστε αυτές τις δράσεις στο ημερολόγιό σας",
            "Αραβικά",
            "Η διεύθυνση αντιγράφηκε",
        ),
        (1280, "/en", "Add these activities to your calendar", "Arabic", "Address copied"),
    ],
)
def test_the_webcal_link_and_the_address_keep_the_lists_filters(
    page, activities, width, prefix, summary, arabic, copied
):
    page.set_viewport_size({"width": width, "height": 844})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base)
    host = urlsplit(page.base).netloc
    page.goto(f"{page.base}{prefix}/activities/?district=6")
    block = open_feed(page)
    expect(block.locator("summary")).to_have_text(summary)
    feed = f"{prefix}/activities/calendar.ics?district=6"
    expect(block.locator("a.feed-subscribe")).to_have_attribute("href", f"webcal://{host}{feed}")
    expect(block.locator(".feed-address")).to_have_value(f"{page.base}{feed}")

    # Another filter, applied in place: the feed follows it.
    if width < 600:
        page.locator(".filters-toggle").click()
    page.locator("#filter-panel summary", has_text=re.compile("^(Γλώσσα|Language)")).click()
    page.get_by_label(re.compile(f"^{arabic}")).check()
    expect(page).to_have_url(re.compile(r"district=6&language=ar"))
    if width < 600:
        page.locator(".apply").click()
    expect(page.locator(".card h4 a")).to_have_count(1)
    block = open_feed(page)
    feed = f"{prefix}/activities/calendar.ics?district=6&language=ar"
    expect(block.locator("a.feed-subscribe")).to_have_attribute("href", f"webcal://{host}{feed}")
    address = block.locator(".feed-address")
    expect(address).to_have_value(f"{page.base}{feed}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    block.get_by_role("button").click()  # swapped in by the filters, and still wired
    expect(block.locator(".copy-status")).to_have_text(copied)
    assert page.evaluate("navigator.clipboard.readText()") == f"{page.base}{feed}"
    calendar = page.request.get(f"{page.base}{feed}")
    assert calendar.ok and calendar.headers["content-type"].startswith("text/calendar")
    text = calendar.text()
    assert text.count("BEGIN:VEVENT") == 1 and "Κυψέλη στα αραβικά" in text


def test_without_javascript_the_address_is_there_to_select(browser, live_server, activities):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="el-GR", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/activities/?district=6&language=ar")
        block = page.locator("details.calendar-feed:visible")
        block.locator("summary").click()  # a <details>: no script needed
        address = block.locator(".feed-address")
        expected = f"{live_server.url}/activities/calendar.ics?district=6&language=ar"
        expect(address).to_have_value(expected)
        expect(address).to_have_attribute("readonly", "")
        expect(block.get_by_role("button")).to_be_hidden()  # it would do nothing
        address.select_text()
        assert page.evaluate(
            "window.getSelection().toString() || document.activeElement.value"
        ) == (expected)
        host = urlsplit(live_server.url).netloc
        expect(block.locator("a.feed-subscribe")).to_have_attribute(
            "href", f"webcal://{host}/activities/calendar.ics?district=6&language=ar"
        )
    finally:
        context.close()
