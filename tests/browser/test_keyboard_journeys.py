"""A visitor on the keyboard: the organisation filter is a type-ahead, a ticked filter keeps\nthe focus and the new count is heard, and a skip link jumps over the filters."""

import re

import pytest
from playwright.sync_api import expect

from services.models import Service

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("prefix", "typed", "organisation"),
    [
        ("", "κέντρο ένταξης μετ", "Δήμος Αθηναίων – Κέντρο Ένταξης Μεταναστών (ΚΕΜ)"),
        ("/en", "migrant integration centre", "City of Athens – Migrant Integration Centre (KEM)"),
    ],
)
def test_the_organisation_filter_is_a_keyboard_type_ahead(page, demo, prefix, typed, organisation):
    page.goto(page.base + prefix + "/services/")
    box = page.get_by_role("combobox")
    box.press_sequentially(typed)
    option = page.locator(".typeahead-list").get_by_role("option", name=organisation)
    expect(option).to_be_visible()
    expect(page.locator(".typeahead-list").get_by_role("option")).to_have_count(1)
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    box.press("Enter")  # picks it and applies the filter
    expect(page).to_have_url(re.compile(r"organisation=kem\b"))
    expect(page.get_by_role("combobox")).to_have_value(organisation)
    names = page.locator(".card .meta").all_inner_texts()
    assert names and all(text.startswith(organisation) for text in names)
    # Escape closes the suggestions without choosing anything.
    box = page.get_by_role("combobox")
    box.fill("")
    box.press_sequentially(typed[:4])
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    box.press("ArrowDown")  # reopens what was suggested, right under the box
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    below, top = box.bounding_box(), listbox.bounding_box()
    assert abs(top["y"] - (below["y"] + below["height"])) < 4
    expect(page.locator(".typeahead-list").get_by_role("option").first).to_have_attribute(
        "aria-selected", "true"
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_a_keyboard_user_ticking_a_filter_keeps_focus_and_hears_the_count(page, demo, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(page.base + "/en/services/")
    if width < 900:
        page.get_by_role("button", name="Filters").click()
    before = page.locator(".result-count").inner_text()
    free = page.get_by_label("Free", exact=True)
    free.focus()
    page.keyboard.press("Space")
    # The results change in place: same document, focus kept, the live region says so.
    expect(page).to_have_url(re.compile(r"cost=free"))
    expect(free).to_be_focused()
    expect(free).to_be_checked()
    status = page.locator(".result-count")
    expect(status).to_have_attribute("role", "status")
    expect(status).not_to_have_text(before)
    free_count = Service.objects.published().filter(cost="free").count()
    expect(status).to_have_text(f"{free_count} services found")
    expect(
        page.get_by_role("group", name="Cost").locator("xpath=..").locator("summary")
    ).to_contain_text("1 chosen")
    # Unticking brings the whole list back, still without moving focus.
    page.keyboard.press("Space")
    expect(status).to_have_text(before)
    expect(free).to_be_focused()


def test_a_skip_link_jumps_over_the_filters_to_the_results(page, demo):
    page.goto(page.base + "/en/services/?cost=free")
    page.get_by_label("Search by word").focus()
    page.keyboard.press("Shift+Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is in the results, not the panel
    assert page.evaluate("document.activeElement.closest('#results') !== null")
