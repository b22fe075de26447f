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


# Each chart's <text> as drawn: the font size it renders at (its computed size times the
# SVG's scale, its box's width over its viewBox's) and its box on the page.
TEXTS = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(text => {
    const box = text.getBoundingClientRect();
    return {text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * scale,
            box: [box.left, box.top, box.right, box.bottom]};
  });
}"""


def overlapping(texts, slack=0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes intersect by more than `slack` px both ways."""

    def meet(a, b):
        return all(a[lo] < b[hi] - slack and b[lo] < a[hi] - slack for lo, hi in ((0, 2), (1, 3)))

    return [
        (a["text"], b["text"])
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if meet(a["box"], b["box"])
    ]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_phone_no_chart_text_is_under_12px_or_on_another(page, demo, prefix):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + prefix + "/stats/")
    charts = page.locator("svg.chart-svg")
    assert charts.count() == 8
    for n in range(charts.count()):
        chart = charts.nth(n)
        name = chart.get_attribute("aria-labelledby")
        texts = chart.evaluate(TEXTS)
        assert texts, name
        small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 12]
        assert not small, (name, small)
        assert not overlapping(texts), name
        frame = chart.bounding_box()
        right, bottom = frame["x"] + frame["width"] + 0.5, frame["y"] + frame["height"] + 0.5
        outside = [
            t["text"]
            for t in texts
            if t["box"][0] < frame["x"] - 0.5 or t["box"][2] > right or t["box"][3] > bottom
        ]
        assert not outside, (name, outside)  # nothing cut off at the edge


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_support_charts_labels_never_overlap(page, demo, prefix):
    for width, media in ((390, "screen"), (1366, "screen"), (1366, "print"), (390, "print")):
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(media=media)
        page.goto(page.base + prefix + "/stats/")
        chart = page.locator("svg[aria-labelledby=support-by-type-title]")
        texts = chart.evaluate(TEXTS)
        labels = {t["text"] for t in texts}
        assert {"Τεχνογνωσία", "Know-how"} & labels, labels
        assert not overlapping(texts), (width, media, overlapping(texts))


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_desktop_the_three_headline_charts_sit_side_by_side_in_the_first_screen(
    page, demo, prefix
):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(page.base + prefix + "/stats/")
    boxes = [
        page.locator(f"svg[aria-labelledby={key}-title]").bounding_box()
        for key in ("services-by-category", "services-by-district", "services-by-actor-type")
    ]
    tops = [box["y"] for box in boxes]
    assert max(tops) - min(tops) < 2, tops  # level, in one row
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert left["x"] + left["width"] <= right["x"], boxes  # side by side, in this order
    assert all(box["y"] + box["height"] <= 900 for box in boxes), boxes  # all in the first screen
    assert page.evaluate("document.documentElement.scrollHeight") < 7000
    # The other charts come after them and the filters.
    filters = page.locator("#stats-filters").bounding_box()
    coverage = page.locator("svg[aria-labelledby=coverage-title]").bounding_box()
    assert max(b["y"] + b["height"] for b in boxes) < filters["y"] < coverage["y"]
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
