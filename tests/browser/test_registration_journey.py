import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from accmr.core.models import AuditEntry
from accmr.members.models import Membership, Organisation
from services.models import Service

from ..factories import UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "Kypseli-Fokionos-2026"


def path_of_link(message) -> str:
    url = re.search(r"https?://\S+", message.body).group(0)
    return urlsplit(url).path


def log_in(page, username, password=PASSWORD, path="/accounts/login/"):
    page.goto(page.base + path)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def admin_action(page, changelist, row_text, action):
    page.goto(page.base + changelist)
    page.locator("tr", has_text=row_text).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


@pytest.fixture
def moderator_page(browser, live_server, demo):
    UserFactory(
        username="moderator",
        email="moderator@example.org",
        is_staff=True,
        is_superuser=True,
        password=PASSWORD,
    )
    context = browser.new_context(locale="el-GR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    log_in(page, "moderator", path="/admin/login/")
    yield page
    context.close()


def test_register_confirm_approve_publish_edit_review(page, moderator_page, demo):
    admin = moderator_page
    # 1. An organisation registers.
    page.goto(page.base + "/accounts/register/")
    page.get_by_label("Όνομα στα ελληνικά").fill("Σύλλογος Αλληλεγγύης Πατησίων")
    page.get_by_label("Όνομα στα αγγλικά (προαιρετικό)").fill("Patisia Solidarity Association")
    page.get_by_label("Τύπος φορέα").select_option(label="Ελληνική ΜΚΟ")
    page.get_by_label("Περιγραφή στα ελληνικά").fill("Μαθήματα και στήριξη οικογενειών.")
    page.get_by_label("E-mail του οργανισμού").fill("info@patisia.example.org")
    page.get_by_label("Δημοτική κοινότητα").select_option(label="5η Δημοτική Κοινότητα")
    page.get_by_label("Εκπαίδευση & μάθηση").check()
    page.get_by_label("Το όνομά σας").fill("Νίκος Γεωργίου")
    page.get_by_label("Το e-mail σας").fill("nikos@patisia.example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Εγγραφή").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Η εγγραφή καταχωρίστηκε")

    # 2. The editor confirms the address from the e-mail.
    confirmation = next(m for m in mail.outbox if m.to == ["nikos@patisia.example.org"])
    page.goto(page.base + path_of_link(confirmation))
    expect(page.locator(".messages")).to_contain_text("επιβεβαιώθηκε")

    # 3. A moderator approves the organisation in the admin.
    admin_action(admin, "/admin/members/organisation/", "Σύλλογος Αλληλεγγύης Πατησίων", "approve")
    expect(admin.locator(".messagelist")).to_contain_text("Εγκρίθηκε 1 οργανισμός")
    organisation = Organisation.objects.get(name_el="Σύλλογος Αλληλεγγύης Πατησίων")
    assert organisation.is_approved
    assert Membership.objects.get(organisation=organisation).role == "admin"

    # 4. The editor logs in and adds a service.
    log_in(page, "nikos@patisia.example.org")
    page.goto(page.base + "/dashboard/")
    page.get_by_role("link", name="Προσθήκη υπηρεσίας").click()
    page.locator("#id_name_el").fill("Απογευματινά ελληνικά στα Πατήσια")
    page.locator("#id_name_en").fill("Evening Greek in Patisia")
    page.locator("#id_description_el").fill("Δωρεάν τμήματα για ενήλικες.")
    page.locator("#id_description_en").fill("Free classes for adults.")
    page.get_by_label("Εκπαίδευση & μάθηση › Μαθήματα ελληνικής γλώσσας").check()
    page.locator("#id_address_el").fill("Πατησίων 300")
    page.locator("#id_district").select_option(label="5η Δημοτική Κοινότητα")
    # The map places the point; the coordinates it fills are folded beneath it.
    expect(page.locator("#id_latitude")).to_be_hidden()
    page.locator(".point-picker-map").click()
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.get_by_text("Πληκτρολογήστε το γεωγραφικό πλάτος και μήκος").click()
    page.locator("#id_latitude").fill("38.014700")
    page.locator("#id_longitude").fill("23.733400")
    page.get_by_role("button", name="Υποβολή για έλεγχο").click()
    expect(page.locator(".messages")).to_contain_text("Υποβλήθηκε")
    service = Service.objects.get(name_el="Απογευματινά ελληνικά στα Πατήσια")
    assert service.status == "pending"

    # 5. The moderator approves it and it is listed publicly in both languages.
    admin_action(
        admin, "/admin/services/service/", "Απογευματινά ελληνικά στα Πατήσια", "approve_selected"
    )
    # A confirmation page lists what will be published, as it is now.
    expect(admin.locator("#content")).to_contain_text("θα δημοσιευτούν όπως είναι τώρα")
    admin.get_by_role("button", name="Δημοσίευση").click()
    expect(admin.locator(".messagelist")).to_contain_text("Δημοσιεύθηκε 1 καταχώριση")
    page.goto(page.base + "/services/?q=πατησια")
    expect(page.get_by_role("link", name="Απογευματινά ελληνικά στα Πατήσια")).to_be_visible()
    page.goto(page.base + "/en/services/?q=evening")
    expect(page.get_by_role("link", name="Evening Greek in Patisia")).to_be_visible()

    # 6. The editor edits it; the old version stays public until the change is approved.
    page.goto(page.base + "/dashboard/")
    page.locator("li", has_text="Απογευματινά ελληνικά στα Πατήσια").get_by_role(
        "link", name="Επεξεργασία"
    ).click()
    page.locator("#id_name_el").fill("Βραδινά ελληνικά στα Πατήσια")
    page.get_by_role("button", name="Υποβολή αλλαγών").click()
    expect(page.locator(".messages")).to_contain_text("περιμένουν έλεγχο")
    page.goto(page.base + service.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Απογευματινά ελληνικά στα Πατήσια")

    # 7. The moderator reviews the diff and approves; the new name is public.
    admin.goto(admin.base + "/admin/core/changeset/")
    admin.get_by_role("link", name="Απογευματινά ελληνικά στα Πατήσια").click()
    expect(admin.locator("#changeset-diff")).to_contain_text("Βραδινά ελληνικά στα Πατήσια")
    admin.get_by_role("button", name="Έγκριση και δημοσίευση").click()
    expect(admin.locator(".messagelist")).to_contain_text("εφαρμόστηκε")
    page.goto(page.base + service.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Βραδινά ελληνικά στα Πατήσια")

    # 8. The audit history in the admin shows both reviews and the edit.
    admin.goto(admin.base + f"/admin/services/service/{service.pk}/change/")
    history = admin.locator("#core-auditentry-content_type-object_id-group")
    expect(history).to_contain_text("Έγκριση αλλαγής")
    expect(history).to_contain_text("Πρόταση αλλαγής")
    expect(history).to_contain_text("Αλλαγή κατάστασης")
    actions = set(AuditEntry.objects.filter(object_id=service.pk).values_list("action", flat=True))
    assert {"created", "status", "change_proposed", "change_approved"} <= actions


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_axe_finds_no_violation_on_the_dashboard_pages(page, demo, prefix):
    log_in(page, "editor@legal-borders.example.org", password="accmr-demo-2026")
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
    log_in(page, "editor@legal-borders.example.org", password="accmr-demo-2026")
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
