"""A visitor at a desk, often a caseworker finding a service for someone: three clicks to a\nfree course, filters and the map, the language switch, what is open now, a printed list,\na box ticked before the script has loaded; axe finds nothing on the public pages."""

import re

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
