"""An organisation's way in: it registers, confirms its address, is approved, publishes a
service and edits it, each step reviewed by a moderator in the admin beside it."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accmr.core.models import AuditEntry
from accmr.members.models import Membership, Organisation
from services.models import Service

from ..factories import UserFactory
from .conftest import open_page
from .pages import (
    admin_action,
    approve_the_change,
    edit_from_the_dashboard,
    fill_service_form,
    log_in,
    open_mailed_link,
    place_on_the_map,
    publish_from_the_list,
    register_organisation,
    submit,
)

pytestmark = pytest.mark.browser
PASSWORD = "Kypseli-Fokionos-2026"
ASSOCIATION = "Σύλλογος Αλληλεγγύης Πατησίων"
NIKOS = "nikos@patisia.example.org"
EVENING = "Απογευματινά ελληνικά στα Πατήσια"
LATE = "Βραδινά ελληνικά στα Πατήσια"


@pytest.fixture
def admin_page(browser, live_server, demo):
    """The superuser's own browser, logged in to the admin beside the editor's `page`."""
    UserFactory(username="admin", is_staff=True, is_superuser=True, password=PASSWORD)
    with open_page(browser, live_server) as admin:
        log_in(admin, "admin", PASSWORD, path="/admin/login/")
        expect(admin).to_have_url(admin.base + "/admin/")
        yield admin


def test_register_confirm_approve_publish_edit_review(page, admin_page, demo):
    admin = admin_page
    # 1. An organisation registers.
    register_organisation(
        page,
        name_el=ASSOCIATION,
        name_en="Patisia Solidarity Association",
        actor_type="Ελληνική ΜΚΟ",
        description="Μαθήματα και στήριξη οικογενειών.",
        email="info@patisia.example.org",
        district="5η Δημοτική Κοινότητα",
        field="Εκπαίδευση & μάθηση",
        person="Νίκος Γεωργίου",
        person_email=NIKOS,
        password=PASSWORD,
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Η εγγραφή καταχωρίστηκε")

    # 2. The editor confirms the address from the e-mail.
    open_mailed_link(page, next(m for m in mail.outbox if m.to == [NIKOS]))
    expect(page.locator(".messages")).to_contain_text("επιβεβαιώθηκε")

    # 3. A moderator approves the organisation in the admin.
    admin_action(admin, "/admin/members/organisation/", ASSOCIATION, "approve")
    expect(admin.locator(".messagelist")).to_contain_text("Εγκρίθηκε 1 οργανισμός")
    organisation = Organisation.objects.get(name_el=ASSOCIATION)
    assert organisation.is_approved
    assert Membership.objects.get(organisation=organisation).role == "admin"

    # 4. The editor logs in and adds a service, placing it on the map.
    log_in(page, NIKOS, PASSWORD)
    page.goto(page.base + "/dashboard/")
    page.get_by_role("link", name="Προσθήκη υπηρεσίας").click()
    fill_service_form(
        page,
        name_el=EVENING,
        name_en="Evening Greek in Patisia",
        description_el="Δωρεάν τμήματα για ενήλικες.",
        description_en="Free classes for adults.",
        category="Εκπαίδευση & μάθηση › Μαθήματα ελληνικής γλώσσας",
        address="Πατησίων 300",
        district="5η Δημοτική Κοινότητα",
    )
    place_on_the_map(page, "38.014700", "23.733400")
    submit(page, "Υποβολή για έλεγχο", says="Υποβλήθηκε")
    service = Service.objects.get(name_el=EVENING)
    assert service.status == "pending"

    # 5. The moderator approves it and it is listed publicly in both languages.
    publish_from_the_list(admin, "/admin/services/service/", EVENING)
    page.goto(page.base + "/services/?q=πατησια")
    expect(page.get_by_role("link", name=EVENING)).to_be_visible()
    page.goto(page.base + "/en/services/?q=evening")
    expect(page.get_by_role("link", name="Evening Greek in Patisia")).to_be_visible()

    # 6. The editor edits it; the old version stays public until the change is approved.
    edit_from_the_dashboard(page, EVENING)
    page.locator("#id_name_el").fill(LATE)
    submit(page, "Υποβολή αλλαγών", says="περιμένουν έλεγχο")
    page.goto(page.base + service.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(EVENING)

    # 7. The moderator reviews the diff and approves; the new name is public.
    approve_the_change(admin, EVENING, showing=LATE)
    page.goto(page.base + service.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(LATE)

    # 8. The audit history in the admin shows both reviews and the edit.
    admin.goto(admin.base + f"/admin/services/service/{service.pk}/change/")
    history = admin.locator("#core-auditentry-content_type-object_id-group")
    for action in ("Έγκριση αλλαγής", "Πρόταση αλλαγής", "Αλλαγή κατάστασης"):
        expect(history).to_contain_text(action)
    actions = set(AuditEntry.objects.filter(object_id=service.pk).values_list("action", flat=True))
    assert {"created", "status", "change_proposed", "change_approved"} <= actions
