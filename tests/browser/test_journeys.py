import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from services.models import Service

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("prefix", "category", "district", "free", "course"),
    [
        (
            "",
            "Εκπαίδευση & μάθηση",
            "6η Δημοτική Κοινότητα",
            "Δωρεάν",
            "Μαθήματα ελληνικών για ενήλικες στην Κυψέλη",
        ),
        (
            "/en",
            "Education & learning",
            "6th Municipal District",
            "Free",
            "Greek lessons for adults in Kypseli",
        ),
    ],
)
def test_a_free_greek_course_in_kypseli_is_three_clicks_from_home(
    page, demo, prefix, category, district, free, course
):
    page.goto(page.base + prefix + "/")
    page.get_by_role("link", name=re.compile(category)).click()  # 1
    page.get_by_label(re.compile(district)).check()  # 2: the results update at once
    expect(page).to_have_url(re.compile(r"district=6"))
    page.get_by_label(free, exact=True).check()  # 3
    expect(page).to_have_url(re.compile(r"cost=free"))
    results = page.locator(".card h3")
    expect(results.filter(has_text=course)).to_have_count(1)
    for name in results.all_inner_texts():
        service = Service.objects.get(**{"name_en" if prefix else "name_el": name})
        assert service.district.slug == "6" and service.cost == "free"
    expect(page.locator(".result-count")).to_contain_text(str(results.count()))


def test_caseworker_filters_sees_the_map_opens_a_service_and_switches_language(page, demo):
    page.goto(page.base + "/services/?category=health")
    pinned = (
        Service.objects.published()
        .in_categories(Service.categories.field.related_model.objects.filter(slug="health"))
        .filter(latitude__isnull=False, address_confidential=False)
        .count()
    )
    markers = page.locator("#services-map path.leaflet-interactive")
    expect(markers).to_have_count(pinned)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Μεγέθυνση")
    markers.first.dispatch_event("click")
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_be_visible()
    assert popup_link.get_attribute("href").startswith("/services/")

    # Remove the filter with its chip, then narrow again with search.
    page.get_by_role("link", name=re.compile("Κατηγορία: Υγεία")).click()
    expect(page.locator(".chips")).to_have_count(0)
    page.get_by_label("Αναζήτηση με λέξη").fill("ΟΔΟΝΤΙΑΤΡΙΚΗ")
    page.get_by_role("button", name="Εφαρμογή φίλτρων").click()
    expect(page.locator(".result-count")).to_have_text("1 υπηρεσία βρέθηκε")
    page.get_by_role("link", name="Δημοτικό Οδοντιατρείο Πατησίων").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Δημοτικό Οδοντιατρείο Πατησίων")
    expect(page.locator("#service-map .leaflet-marker-icon")).to_have_count(1)
    page.get_by_role("link", name="Δημοτικά Ιατρεία Δήμου Αθηναίων").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Δημοτικά Ιατρεία Δήμου Αθηναίων")
    page.get_by_role("link", name="Δημοτικό Οδοντιατρείο Πατησίων").click()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(page.base + "/en/services/clinics-dental-patisia/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patisia Municipal Dental Clinic")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "Zoom out")


def test_language_switch_keeps_the_filters(page, demo):
    page.goto(page.base + "/services/?district=6&cost=free")
    page.get_by_role("link", name="English").click()
    # The same filters, in the one order the page cache keeps them.
    expect(page).to_have_url(page.base + "/en/services/?cost=free&district=6")
    expect(page.get_by_role("link", name=re.compile("Municipal district: 6th"))).to_be_visible()


def test_confidential_services_have_no_pin_on_the_map(page, demo):
    page.goto(page.base + "/services/?category=gender")
    confidential = Service.objects.published().filter(
        address_confidential=True, categories__parent__slug="gender"
    )
    assert confidential.exists()
    pinned = (
        Service.objects.published()
        .filter(
            categories__parent__slug="gender", address_confidential=False, latitude__isnull=False
        )
        .distinct()
        .count()
    )
    expect(page.locator("#services-map path.leaflet-interactive")).to_have_count(pinned)
    page.goto(page.base + confidential.first().get_absolute_url())
    expect(page.locator("#service-map")).to_have_count(0)


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services/",
        "/services/kem-greek-kypseli/",
        "/services/?q=zzzz",
        "/members/",
        "/members/kem/",
    ],
)
def test_axe_finds_no_accessibility_violation(page, demo, prefix, path):
    page.goto(page.base + prefix + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


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


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_printed_pages_carry_the_portal_the_date_the_address_and_the_contacts(page, demo, prefix):
    page.goto(page.base + prefix + "/services/?district=6&cost=free")
    page.emulate_media(media="print")
    header = page.locator(".print-header")
    expect(header).to_be_visible()
    expect(header).to_contain_text("/services/?cost=free&district=6")
    expect(header).to_contain_text("ACCMR")
    for hidden in (
        ".map-section",
        ".sort",
        ".exports-top",
        ".chips",
        "#filter-panel",
        ".site-header",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".results .print-only").first).to_contain_text("6")  # the filters used
    phoned = Service.objects.published().filter(district__slug="6", cost="free").exclude(phone="")
    card = page.locator(
        ".card", has_text=phoned.first().name_en if prefix else phoned.first().name_el
    )
    expect(card.locator(".print-only")).to_contain_text(phoned.first().phone)

    service = phoned.first()
    page.goto(page.base + prefix + service.get_absolute_url())
    page.emulate_media(media="print")
    # Contact first; the website is printed once (its text is the address).
    card = page.locator(".referral-card")
    expect(card).to_be_visible()
    assert card.bounding_box()["y"] < page.locator("#about-title").bounding_box()["y"]
    if service.website:
        assert card.inner_text().count(service.website) == 1
    expect(page.locator(".share")).to_be_hidden()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_an_editors_pages_fit_a_phone_and_axe_finds_nothing(page, demo, prefix, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(page.base + prefix + "/accounts/login/")
    page.locator("input[name=username]").fill("editor@kem.example.org")
    page.locator("input[name=password]").fill("accmr-demo-2026")
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    new = f"{prefix}/dashboard/services/new/"
    for path, submit in [(f"{prefix}/dashboard/", False), (new, False), (new, True)]:
        page.goto(page.base + path)
        if submit:  # the form's error state: the summary, marked fields
            page.locator("button[name=save]").click()
            expect(page.locator(".error-summary")).to_be_focused()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    ("prefix", "group", "label", "field"),
    [("", "Ωράριο", "Ανοιχτό τώρα", "name_el"), ("/en", "Opening hours", "Open now", "name_en")],
)
def test_open_now_shows_only_open_services(page, demo, prefix, group, label, field):
    from services.hours import open_at_moment

    page.goto(page.base + prefix + "/services/")
    page.locator("summary", has_text=group).click()
    page.get_by_label(label, exact=True).check()
    expect(page).to_have_url(re.compile(r"open_now=1"))
    open_services = Service.objects.published().filter(open_at_moment())
    count = open_services.count()
    assert 0 < count < Service.objects.published().count()
    expect(page.locator(".result-count")).to_contain_text(str(count))
    shown = page.locator(".card h3").all_inner_texts()
    assert set(shown) <= {getattr(s, field) or s.name_el for s in open_services}
    for status in page.locator(".card .hours").all_inner_texts():
        assert status.startswith(("Ανοιχτό", "Open"))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


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
    from datetime import timedelta

    from django.utils import timezone
    from icalendar import Calendar

    from accmr.core.models import Status
    from accmr.members.models import Organisation
    from accmr.taxonomy.models import ActivityType, District, Language
    from activities.models import Activity, Session

    # One going on now is "this week" at any hour of any day (the demo's own sessions are
    # all over by Sunday night, or by 20:00 on some days).
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


def test_a_box_ticked_before_the_script_has_loaded_still_applies(page, demo):
    import time

    def slow(route):
        time.sleep(1.5)  # the page is up, the script not yet
        route.continue_()

    page.route("**/js/portal.js", slow)
    page.goto(page.base + "/en/services/?category=education", wait_until="commit")
    page.get_by_label("Free", exact=True).check()
    expect(page).to_have_url(re.compile(r"cost=free"), timeout=10_000)
    free = Service.objects.published().filter(cost="free", categories__parent__slug="education")
    expect(page.locator(".result-count")).to_contain_text(str(free.distinct().count()))
