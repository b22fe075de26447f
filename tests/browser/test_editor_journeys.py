"""A demo editor's pages: the dashboard and the service form fit a phone and axe finds\nnothing on them in either language, a colleague's conflicting save included."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from services.models import Service

from .pages import log_in_to_dashboard

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_an_editors_pages_fit_a_phone_and_axe_finds_nothing(page, demo, prefix, width):
    page.set_viewport_size({"width": width, "height": 844})
    log_in_to_dashboard(page, "editor@kem.example.org", prefix=prefix)
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


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_axe_finds_no_violation_on_the_dashboard_pages(page, demo, prefix):
    log_in_to_dashboard(page, "editor@legal-borders.example.org")
    for path in [
        "/dashboard/",
        "/dashboard/services/new/",
        "/dashboard/organisation/",
        "/dashboard/editors/",
    ]:
        page.goto(page.base + prefix + path)
        page.wait_for_load_state("networkidle")
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()


def test_a_second_editors_conflict_is_shown_readably_on_a_phone(page, demo):
    """Someone saves while an editor types: at 390 px the editor gets the form back with
    the difference in a table they can reach and scroll by keyboard; axe finds nothing."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_to_dashboard(page, "editor@legal-borders.example.org")
    service = Service.objects.filter(organisation__slug="legal-borders").first()
    page.goto(page.base + f"/dashboard/services/{service.pk}/edit/")
    # Meanwhile a colleague's save lands.
    Service.objects.filter(pk=service.pk).update(phone="+30 210 111 2222")
    page.locator("#id_phone").fill("+30 210 333 4444")
    page.locator(".form-actions button[name=submit]").click()
    table = page.locator("table.conflicts")
    expect(table).to_contain_text("+30 210 111 2222")
    expect(table).to_contain_text("+30 210 333 4444")
    expect(table.locator("tbody tr")).to_have_count(1)
    region = page.locator(".table-scroll")
    region.focus()
    expect(region).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
