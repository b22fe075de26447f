"""An NGO editor on a phone enters an activity on two irregular dates: she adds a second
session row, types its end before its start, is told which session is wrong, mends it
and saves; with and without the portal's scripts."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from activities.models import Activity

from .conftest import open_page
from .pages import log_in_to_dashboard

pytestmark = pytest.mark.browser
WIDTH = 390


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(request, browser, live_server):
    with open_page(browser, live_server, width=WIDTH, height=844, scripts=request.param) as page:
        page.scripts = request.param
        yield page


def session(page, number: int, starts: str, ends: str):
    row = page.get_by_role("group", name=f"Συνάντηση {number}")
    row.get_by_label("Αρχίζει").fill(starts)
    row.get_by_label("Τελειώνει").fill(ends)


def test_an_editor_adds_a_second_session_mends_its_mistake_and_saves(phone, demo):
    page = phone
    log_in_to_dashboard(page, "editor@somali-community.example.org")
    page.goto(page.base + "/dashboard/activities/new/")

    page.get_by_label("Τίτλος (ελληνικά)").fill("Εργαστήρι ραπτικής")
    page.locator("select[name=activity_type]").select_option(index=1)
    expect(page.get_by_role("group", name=re.compile("^Συνάντηση"))).to_have_count(1)
    session(page, 1, "2027-03-10T18:00", "2027-03-10T20:00")
    page.get_by_role("button", name=re.compile(r"^Προσθήκη γραμμής\s*: Συναντήσεις$")).click()
    second = page.get_by_role("group", name="Συνάντηση 2")
    expect(second.get_by_label("Αρχίζει")).to_be_focused()  # the keyboard is there
    expect(page.get_by_label("Τίτλος (ελληνικά)")).to_have_value("Εργαστήρι ραπτικής")
    session(page, 2, "2027-03-24T18:00", "2027-03-24T17:00")  # ends before it starts

    page.get_by_role("button", name="Υποβολή για έλεγχο").click()
    summary = page.locator(".error-summary")
    if page.scripts:  # the portal's script moves the keyboard to the summary
        expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        "Συνάντηση 2 · Τελειώνει: Μια συνάντηση πρέπει να τελειώνει αφού αρχίσει."
    )
    expect(summary).not_to_contain_text("Συνάντηση 1 ·")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    summary.get_by_role("link").first.click()
    expect(page.get_by_role("group", name="Συνάντηση 2").get_by_label("Τελειώνει")).to_be_focused()
    session(page, 2, "2027-03-24T18:00", "2027-03-24T20:00")
    page.get_by_role("button", name="Υποβολή για έλεγχο").click()
    # The summary's link left its #field in the address; the redirect keeps it.
    expect(page).to_have_url(re.compile(r"/dashboard/(#[\w-]+)?$"))
    activity = Activity.objects.get(title_el="Εργαστήρι ραπτικής")
    starts = [s.starts.isoformat() for s in activity.sessions.order_by("starts")]
    assert [s[:16] for s in starts] == ["2027-03-10T16:00", "2027-03-24T16:00"]  # UTC
