"""The demo moderator's admin change pages in Chromium: a service's opening hours read in
its page, and axe finds nothing on the pages of a service, an organisation and a toolbox
item (the selector's filter icons, the inlines' header cells, the file inputs)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accmr.members.demo import DEMO_PASSWORD
from accmr.members.models import Organisation
from services.models import Service
from toolbox.models import ToolboxItem

pytestmark = pytest.mark.browser


def log_in_as_the_moderator(page):
    page.goto(page.base + "/admin/login/")
    page.locator("input[name=username]").fill("moderator@accmr.example.org")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#review-queue")).to_be_visible()


def test_a_moderator_reads_a_services_hours_and_axe_finds_nothing_on_change_pages(page, demo):
    log_in_as_the_moderator(page)
    service = Service.objects.filter(schedules__isnull=False).first()
    schedule = service.schedules.first()
    page.goto(f"{page.base}/admin/services/service/{service.pk}/change/")
    hours = page.locator("#schedules-group")
    expect(hours).to_be_visible()
    expect(hours).to_contain_text(f"{schedule.days_label} {schedule.opens_at:%H:%M}")
    # The selectors are drawn (on load) before axe reads them.
    expect(page.locator("#id_categories_from")).to_be_attached()

    pages = [
        f"/admin/services/service/{service.pk}/change/",
        f"/admin/members/organisation/{Organisation.objects.members().first().pk}/change/",
        f"/admin/toolbox/toolboxitem/{ToolboxItem.objects.first().pk}/change/",
    ]
    for path in pages:
        page.goto(page.base + path)
        expect(page.locator("div.selector").first).to_be_visible()
        results = Axe().run(page)
        assert results.violations_count == 0, (path, results.generate_report())
