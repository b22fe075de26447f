"""The statistics page in a real browser: charts that fit a phone, named for screen
readers, filters that keep a shareable URL, and no accessibility violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("prefix", "title", "district"),
    [
        ("", "Δημοσιευμένες υπηρεσίες ανά κατηγορία", "Δημοτική κοινότητα"),
        ("/en", "Published services by category", "Municipal district"),
    ],
)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_statistics_are_readable_and_accessible(page, demo, prefix, title, district, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base + prefix + "/stats/")
    chart = page.get_by_role("img", name=title)
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] <= width and box["height"] > 100
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.locator("#id_district").select_option(index=3)
    expect(page.locator("label[for=id_district]")).to_contain_text(district)
    page.get_by_role("button", name=re.compile("Εφαρμογή|Apply")).click()
    expect(page).to_have_url(re.compile(r"district=3"))
    expect(page.get_by_role("img", name=title)).to_be_visible()
    # Print as the A4 report: the filters and downloads are left out.
    page.emulate_media(media="print")
    expect(page.locator(".stats-filters")).to_be_hidden()
    expect(page.get_by_role("img", name=title)).to_be_visible()
