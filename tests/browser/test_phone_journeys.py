"""A visitor on a phone (390 px): the results and a service's contacts come first, the\nfilters open as a sheet that keeps focus, this week's activities in Arabic are a few taps\naway; axe finds nothing, the sheet open or not."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accmr.core.models import Status
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActivityType, District, Language
from activities.models import Activity, Session
from services.models import Service

pytestmark = pytest.mark.browser


def test_a_phone_shows_how_to_reach_a_service_first_and_goes_back_to_the_results(page, demo):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + "/en/services/?district=6&q=greek")
    page.locator(".card h3 a, .card a").first.click()
    card = page.locator(".referral-card")
    # The contact block is on the first screen, above the description.
    assert card.bounding_box()["y"] < 844
    assert card.bounding_box()["y"] < page.locator("#about-title").bounding_box()["y"]
    back = page.locator(".back-to-results")
    expect(back).to_have_text("Back to results")
    back.click()
    expect(page).to_have_url(re.compile(r"/en/services/\?district=6&q=greek$"))
    # Reached directly, the link is the plain list.
    page.goto(page.base + Service.objects.published().first().get_absolute_url())
    expect(page.locator(".back-to-results")).to_have_attribute("href", "/services/")


LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


def in_view(locator, height=844):
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < height - 40


@pytest.mark.parametrize(
    ("prefix", "category", "toggle", "district", "free", "apply", "course"),
    [
        (
            "",
            "Εκπαίδευση & μάθηση",
            "Φίλτρα (1 ενεργό)",
            "6η Δημοτική Κοινότητα",
            "Δωρεάν",
            "Εφαρμογή φίλτρων",
            "Μαθήματα ελληνικών για ενήλικες στην Κυψέλη",
        ),
        (
            "/en",
            "Education & learning",
            "Filters (1 active)",
            "6th Municipal District",
            "Free",
            "Apply filters",
            "Greek lessons for adults in Kypseli",
        ),
    ],
)
def test_a_phone_keeps_the_results_first_while_filtering(
    page, demo, prefix, category, toggle, district, free, apply, course
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + prefix + "/")
    page.get_by_role("link", name=re.compile(category)).click()
    page.wait_for_load_state("networkidle")
    # Arriving with a filter on: results on the first screen, the panel folded, no shift.
    first = page.locator(".card").first
    assert in_view(first)
    expect(page.locator("#filter-panel")).to_be_hidden()
    assert page.evaluate(LAYOUT_SHIFT) < 0.1

    page.get_by_role("button", name=toggle).click()
    panel = page.locator("#filter-panel")
    expect(panel).to_be_visible()
    expect(page.locator("#filters-title")).to_be_focused()  # the sheet is where one is now
    inside = "document.getElementById('filter-panel').contains(document.activeElement)"
    page.keyboard.press("Shift+Tab")  # round the sheet, never to the page behind it
    assert page.evaluate(inside)
    page.keyboard.press("Tab")
    assert page.evaluate(inside)
    assert page.evaluate("getComputedStyle(document.body).overflow") == "hidden"
    page.get_by_label(re.compile(district)).check()
    expect(page).to_have_url(re.compile(r"district=6"))
    page.get_by_label(free, exact=True).check()
    expect(page).to_have_url(re.compile(r"cost=free"))
    count = page.locator(".result-count")
    expect(panel.locator(".sheet-count")).to_have_text(count.inner_text())
    page.get_by_role("button", name=apply).click()

    # Back on the results, which start on the first screen; focus is on "Filters (3 active)".
    expect(panel).to_be_hidden()
    expect(page.locator(".filters-toggle")).to_be_focused()
    expect(page.locator(".filters-toggle")).to_contain_text("3")
    assert page.evaluate("scrollY") == 0
    assert in_view(page.locator(".card").first)
    expect(page.locator(".card h3").filter(has_text=course)).to_have_count(1)
    expect(count).to_contain_text(str(page.locator(".card").count()))


def an_arabic_activity_going_on_now():
    """An activity in Arabic in the 6th district, on now: "this week" at any hour of any day
    (the demo's own sessions are all over by Sunday night, or by 20:00 on some days)."""
    now = timezone.now()
    going_on = Activity.objects.create(
        organisation=Organisation.objects.get(slug="kem"),
        title_el="Καφενείο συζήτησης τώρα",
        title_en="Conversation café now",
        activity_type=ActivityType.objects.get(slug="meeting-forum"),
        district=District.objects.get(slug="6"),
        status=Status.PUBLISHED,
        published_at=now,
    )
    going_on.languages.set(Language.objects.filter(slug="ar"))
    Session.objects.create(
        activity=going_on,
        starts=now - timedelta(hours=1),
        ends=now + timedelta(hours=2),
        district=District.objects.get(slug="6"),
    )


@pytest.mark.parametrize(
    ("prefix", "toggle", "week", "district", "group", "arabic", "apply"),
    [
        (
            "",
            "Φίλτρα",
            "Αυτή την εβδομάδα",
            "6η Δημοτική Κοινότητα",
            "Γλώσσα",
            "Αραβικά",
            "Εφαρμογή φίλτρων",
        ),
        (
            "/en",
            "Filters",
            "This week",
            "6th Municipal District",
            "Language",
            "Arabic",
            "Apply filters",
        ),
    ],
)
def test_this_weeks_activities_in_the_6th_district_in_arabic_on_a_phone(
    page, demo, prefix, toggle, week, district, group, arabic, apply
):
    an_arabic_activity_going_on_now()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + prefix + "/activities/")
    page.get_by_role("button", name=re.compile(toggle)).click()
    page.get_by_label(week, exact=True).check()
    page.get_by_label(re.compile(district)).check()
    page.locator("#filter-panel summary", has_text=group).click()
    page.get_by_label(re.compile(arabic)).first.check()
    page.get_by_role("button", name=apply).click()
    expect(page).to_have_url(re.compile(r"when=week.*district=6.*language=ar"))
    first = page.locator(".card h4 a").first
    assert first.bounding_box()["y"] < 844  # the results are on the first screen
    assert Axe().run(page).violations_count == 0
    first.click()
    slug = page.url.rstrip("/").rsplit("/", 1)[-1]
    found = Activity.objects.get(slug=slug)
    assert found.languages.filter(slug="ar").exists()
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    with page.expect_download() as download:
        page.locator("a[href$='calendar.ics']").click()
    cal = Calendar.from_ical(Path(download.value.path()).read_bytes())
    assert len(cal.walk("VEVENT")) == found.sessions.count()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("sheet", [False, True])
def test_axe_finds_no_violation_on_a_phone(page, demo, prefix, sheet):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + prefix + "/services/?category=education&cost=free")
    page.wait_for_load_state("networkidle")
    if sheet:
        page.locator(".filters-toggle").click()
        expect(page.locator("#filter-panel")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
