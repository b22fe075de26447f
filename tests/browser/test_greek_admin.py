"""What the admin's scripts draw speaks Greek: the many-to-many selector, the calendar and
the point picker's map, as a moderator sees them in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from accmr.core.permissions import sync_moderators_group

from ..factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "Kypseli-Fokionos-2026"

# English that Django's and Leaflet's scripts write when their catalogue lacks a string.
SCRIPTS_ENGLISH = [
    "Available",
    "Chosen",
    "Choose all",
    "Choose selected",
    "Remove all",
    "Remove selected",
    "click to clear",
    "Type into this box",
    "selected option",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Previous",
    "Next",
    "Cancel",
    "Choose a",
    "current selection",
    "Zoom in",
    "Zoom out",
    "JavaScript library",
    "Toggle theme",
    # The calendar's months and days.
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
]

# Every text node (hidden ones too: the calendar's, the selector's help) and every
# attribute a screen reader or a pointer shows.
PAGE_WORDS = """() => {
  const words = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent.closest("script, style, textarea")) words.push(walker.currentNode.nodeValue);
  }
  for (const element of document.body.querySelectorAll("*")) {
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      if (element.hasAttribute(name)) words.push(element.getAttribute(name));
    }
  }
  return words.join(" | ");
}"""


def test_a_moderator_sees_the_admins_scripts_in_greek(browser, live_server, committed_db):
    moderator = UserFactory(username="moderator", is_staff=True, password=PASSWORD)
    moderator.groups.add(sync_moderators_group())
    service = ServiceFactory(description_en="", address_en="")
    context = browser.new_context(locale="el-GR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/admin/login/")
    page.locator("input[name=username]").fill("moderator")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(live_server.url + f"/admin/services/service/{service.pk}/change/")

    # The selector of the categories, drawn by SelectFilter2.js.
    expect(page.locator("#id_categories_from_label")).to_contain_text("Διαθέσιμα:")
    expect(page.locator("#id_categories_add_all")).to_contain_text("Επιλογή όλων (")
    # The calendar of "verified on", drawn by DateTimeShortcuts.js, opened.
    page.locator("#calendarlink0").click()
    expect(page.locator("#calendarbox0 caption")).to_be_visible()
    expect(page.locator("#calendarbox0 .calendar-shortcuts")).to_contain_text("Σήμερα")
    # The point picker's zoom buttons and attribution.
    picker = page.locator(".point-picker")
    expect(picker.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Μεγέθυνση")
    expect(picker.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Σμίκρυνση")
    expect(picker.locator(".leaflet-control-attribution")).to_contain_text("Leaflet")

    words = page.evaluate(PAGE_WORDS)
    found = [e for e in SCRIPTS_ENGLISH if re.search(rf"(?<!\w){re.escape(e)}(?!\w)", words)]
    assert found == []
    context.close()
