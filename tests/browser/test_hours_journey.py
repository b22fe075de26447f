"""An NGO editor on a phone enters a helpline's hours as people say them: Monday to Friday
09:00–17:00 in one row, Saturday 10:00–14:00 in a row she adds, with and without
JavaScript; once the City approves it, the page says open Monday to Friday."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from accmr.core.actions import review_entries
from accmr.core.models import Status
from services.models import Service

from .conftest import open_page
from .pages import log_in_to_dashboard

pytestmark = pytest.mark.browser
WIDTH = 390
WEEKDAYS = ["Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή"]


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone(request, browser, live_server):
    """A phone-sized page, with or without the portal's scripts."""
    with open_page(browser, live_server, width=WIDTH, height=844, scripts=request.param) as page:
        yield page


def fits_and_axe_finds_nothing(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def period(page, number: int, days: list[str], opens: str, closes: str):
    row = page.get_by_role("group", name=f"Διάστημα λειτουργίας {number}")
    for day in days:
        row.get_by_label(day, exact=True).check()
    row.get_by_label("Ανοίγει").fill(opens)
    row.get_by_label("Κλείνει").fill(closes)
    return row


def test_an_editor_enters_weekday_hours_in_one_row_and_adds_saturday(phone, demo):
    page = phone
    log_in_to_dashboard(page, "editor@somali-community.example.org")
    page.get_by_role("link", name="Προσθήκη υπηρεσίας").click()

    page.get_by_label("Όνομα (ελληνικά)").fill("Γραμμή βοήθειας για γυναίκες")
    page.get_by_label("Περιγραφή (ελληνικά)").fill("Τηλεφωνική στήριξη Δευτέρα–Παρασκευή.")
    page.get_by_label(re.compile("Μαθήματα ελληνικής γλώσσας$")).check()
    page.locator("select[name=location_type]").select_option("virtual")
    page.locator("select[name=hours]").select_option("regular")
    expect(page.get_by_role("group", name=re.compile("^Διάστημα λειτουργίας"))).to_have_count(1)
    period(page, 1, WEEKDAYS, "09:00", "17:00")
    fits_and_axe_finds_nothing(page)

    page.get_by_role("button", name=re.compile(r"^Προσθήκη γραμμής\s*: Ωράριο$")).click()
    added = page.get_by_role("group", name="Διάστημα λειτουργίας 2")
    expect(added.get_by_label("Δευτέρα", exact=True)).to_be_focused()  # the keyboard is there
    # Without JavaScript the form came back from the server: nothing typed is lost.
    expect(page.get_by_label("Όνομα (ελληνικά)")).to_have_value("Γραμμή βοήθειας για γυναίκες")
    first = page.get_by_role("group", name="Διάστημα λειτουργίας 1")
    for day in WEEKDAYS:
        expect(first.get_by_label(day, exact=True)).to_be_checked()
    expect(first.get_by_label("Κλείνει")).to_have_value("17:00")
    expect(page.locator(".error-summary")).to_have_count(0)
    period(page, 2, ["Σάββατο"], "10:00", "14:00")
    fits_and_axe_finds_nothing(page)

    page.get_by_role("button", name="Υποβολή για έλεγχο").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    service = Service.objects.get(name_el="Γραμμή βοήθειας για γυναίκες")
    assert service.status == Status.PENDING
    assert sorted(service.schedules.values_list("byday", flat=True)) == ["MO,TU,WE,TH,FR", "SA"]
    moderator = get_user_model().objects.get(email="moderator@accmr.example.org")
    review_entries(Service.objects.filter(pk=service.pk), status=Status.PUBLISHED, by=moderator)

    page.goto(page.base + service.get_absolute_url())
    week = page.locator("table.week tr")
    expect(week).to_have_count(7)
    for i, day in enumerate(WEEKDAYS):
        expect(week.nth(i)).to_contain_text(day)
        expect(week.nth(i).locator("td")).to_have_text("09:00–17:00")
    expect(week.nth(5).locator("td")).to_have_text("10:00–14:00")
    expect(week.nth(6).locator("td")).to_have_text("Κλειστό")
    fits_and_axe_finds_nothing(page)
