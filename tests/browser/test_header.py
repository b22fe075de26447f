"""The header in a real browser: the same two rows on every page of a desktop, a compact menu
on a phone that opens by keyboard and without JavaScript, and a dashboard that fits a phone."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accmr.members.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
TOP_LEVEL = [
    "/",
    "/services/",
    "/activities/",
    "/toolbox/",
    "/support/",
    "/members/",
    "/stats/",
    "/pages/about/",
    "/pages/guide/",
    "/accounts/login/",
]
LINKS = ".main-nav a, .account-nav a, .account-nav button"
# An editor of two organisations, who sees the organisation switcher.
TWO_ORGANISATIONS = "editor@legal-borders.example.org"


def log_in(page, prefix, username=TWO_ORGANISATIONS):
    page.goto(page.base + prefix + "/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(page.base + prefix + "/dashboard/")


def boxes(page, selector):
    return [box for box in (item.bounding_box() for item in page.locator(selector).all()) if box]


def header_layout(page):
    """The header's height and the place and size of each of its links, in pixels."""
    return {
        "height": page.locator(".site-header").bounding_box()["height"],
        "links": [
            (round(b["x"], 1), round(b["y"], 1), round(b["width"], 1)) for b in boxes(page, LINKS)
        ],
    }


def menu_expanded(page, name) -> bool:
    """What a screen reader is told of the menu button: expanded or collapsed."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    for node in tree:
        if node.get("name", {}).get("value") == name and not node.get("ignored"):
            states = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            if "expanded" in states:
                return states["expanded"]
    raise AssertionError(f"no disclosure named {name!r}")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_desktop_header_is_two_fixed_rows_on_every_top_level_page(page, demo, prefix):
    page.set_viewport_size({"width": 1366, "height": 900})
    layouts = {}
    for path in TOP_LEVEL:
        response = page.goto(page.base + prefix + path)
        assert response.headers.get("content-encoding") == "gzip", path
        layouts[path] = header_layout(page)
    log_in(page, prefix)
    for path in ["/dashboard/", "/", "/services/", "/stats/"]:
        page.goto(page.base + prefix + path)
        layouts["signed in " + path] = header_layout(page)

    signed_out, signed_in = layouts["/"], layouts["signed in /"]
    for path, layout in layouts.items():
        # Nothing moves from page to page: the active item's mark takes no room.
        assert layout == (signed_in if path.startswith("signed in") else signed_out), path
        assert layout["height"] == signed_out["height"], path
    # Title and languages on the first row; every section and the account on the second.
    brand = page.locator(".brand").bounding_box()
    languages = page.locator(".language-switcher").bounding_box()
    assert languages["y"] < brand["y"] + brand["height"] and brand["y"] < languages["y"] + 40
    for links in (signed_out["links"], signed_in["links"]):
        assert len({y for x, y, width in links}) == 1
        assert min(y for x, y, width in links) > brand["y"] + brand["height"] - 1
    expect(page.locator(".menu-toggle")).to_be_hidden()

    icon = page.request.get(page.base + "/favicon.ico")
    assert icon.ok and icon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")


@pytest.mark.parametrize(("prefix", "menu"), [("", "Μενού"), ("/en", "Menu")])
def test_a_phone_gets_a_one_row_header_whose_menu_opens_by_keyboard(page, demo, prefix, menu):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(page.base + prefix + "/services/")
    row = page.locator(".header-row").bounding_box()
    toggle = page.locator("summary.menu-toggle")
    brand = page.locator(".brand").bounding_box()
    for part in (brand, page.locator(".language-switcher").bounding_box(), toggle.bounding_box()):
        assert part["y"] >= row["y"] and part["y"] + part["height"] <= row["y"] + row["height"]
    assert row["height"] < 70
    expect(page.locator(".main-nav")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Axe().run(page).violations_count == 0

    # Tab from the top: skip link, title, the other language, then the menu.
    for _ in range(4):
        page.keyboard.press("Tab")
    expect(toggle).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2
    assert menu_expanded(page, menu) is False
    page.keyboard.press("Enter")
    assert menu_expanded(page, menu) is True
    links = page.locator(".main-nav a")
    expect(links).to_have_count(8)
    for box in boxes(page, LINKS):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44
    page.keyboard.press("Tab")
    expect(links.first).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(page.locator(".main-nav")).to_be_hidden()
    assert menu_expanded(page, menu) is False


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_menu_and_the_organisation_switcher_work_on_a_phone_without_javascript(
    browser, live_server, demo, prefix
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.base = live_server.url
    try:
        log_in(page, prefix)
        switcher = page.locator(".switcher")
        for part in boxes(page, ".switcher label, .switcher select, .switcher button"):
            assert part["x"] >= 0 and part["x"] + part["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        heading = page.get_by_role("heading", level=1)
        before = heading.inner_text()
        switcher.locator("select").select_option(index=1)
        switcher.get_by_role("button").click()
        expect(heading).not_to_have_text(before)

        page.locator("summary.menu-toggle").click()
        expect(page.locator(".account-nav a[aria-current=page]")).to_be_visible()
        page.locator(".main-nav a").nth(1).click()
        expect(page).to_have_url(page.base + prefix + "/activities/")
    finally:
        context.close()
