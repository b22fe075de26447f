"""On a phone, a registration sent back with errors starts at a focused summary whose links
reach each field; a moderator is offered moderation, and a refusal is a portal page."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import expect

from ..factories import UserFactory
from .conftest import open_page
from .pages import log_in
from .test_registration_journey import PASSWORD

pytestmark = pytest.mark.browser


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_registration_with_errors_starts_a_phone_at_a_focused_summary(
    browser, live_server, committed_db, tmp_path
):
    logo = tmp_path / "logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 80, 160)).save(buffer, "PNG")
    logo.write_bytes(buffer.getvalue())
    with open_page(browser, live_server, width=390, height=844) as page:
        page.goto(page.base + "/accounts/register/")
        # The name in Greek, the organisation's e-mail and the consent are left out.
        page.get_by_label("Τύπος φορέα").select_option(label="Ελληνική ΜΚΟ")
        page.get_by_label("Περιγραφή στα ελληνικά").fill("Μαθήματα και στήριξη οικογενειών.")
        page.get_by_label("Λογότυπο").set_input_files(logo)
        page.get_by_label("Το όνομά σας").fill("Νίκος Γεωργίου")
        page.get_by_label("Το e-mail σας").fill("nikos@patisia.example.org")
        page.locator("#id_password1").fill(PASSWORD)
        page.locator("#id_password2").fill(PASSWORD)
        page.get_by_role("button", name="Εγγραφή").click()

        summary = page.locator(".error-summary")
        expect(summary).to_be_focused()
        expect(summary).to_be_in_viewport()
        links = summary.get_by_role("link")
        expect(links).to_have_count(3)
        expect(links.first).to_have_text("Συμπληρώστε το πεδίο «Όνομα στα ελληνικά».")
        expect(page.locator(".form-field.has-error")).to_have_count(3)
        field = page.locator(".form-field.has-error").first
        assert field.evaluate("el => getComputedStyle(el).borderLeftWidth") == "4px"
        # What the form could not keep is asked for again, beside its field.
        expect(page.locator("#id_password1_helptext")).to_contain_text(
            "Για την ασφάλειά σας, πληκτρολογήστε ξανά τον κωδικό πρόσβασης."
        )
        expect(page.locator("#id_logo_helptext")).to_contain_text("«logo.png», δεν κρατήθηκε")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        no_violations(page)

        links.first.click()
        expect(page.locator("#id_name_el")).to_be_focused()
        expect(page.locator("#id_name_el")).to_be_in_viewport()
        summary.get_by_role("link").last.click()
        expect(page.locator("#id_consent")).to_be_focused()


@pytest.mark.parametrize(
    ("prefix", "moderation", "heading", "way_on"),
    [
        ("", "Έλεγχος περιεχομένου", "Δεν έχετε πρόσβαση σε αυτή τη σελίδα", "Μετάβαση στον"),
        ("/en", "Moderation", "You may not open this page", "Go to moderation"),
    ],
)
def test_a_moderator_is_offered_moderation_and_a_refusal_is_a_portal_page(
    page, committed_db, prefix, moderation, heading, way_on
):
    UserFactory(
        username="moderator@example.org",
        email="moderator@example.org",
        is_staff=True,
        password=PASSWORD,
    )
    log_in(page, "moderator@example.org", PASSWORD, path=prefix + "/accounts/login/")
    expect(page).to_have_url(page.base + prefix + "/admin/")
    page.goto(page.base + prefix + "/")
    account = page.locator(".account-nav")
    expect(account.get_by_role("link", name=moderation)).to_be_visible()
    expect(account.locator("a[href$='/dashboard/']")).to_have_count(0)

    # Typed by hand, the dashboard refuses with the portal's page and a way on.
    response = page.goto(page.base + prefix + "/dashboard/")
    assert response.status == 403
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    no_violations(page)
    page.locator("main").get_by_role("link", name=way_on).click()
    expect(page).to_have_url(page.base + prefix + "/admin/")
