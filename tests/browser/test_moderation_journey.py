"""A moderator decides from the page of what waits: a pending registration and a pending
entry open on their context and their decision, visible at 1366 px without scrolling;
one is approved, the other rejected with a reason, and their owners are told."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from accmr.core.models import Status
from accmr.core.permissions import sync_moderators_group
from accmr.members.models import Membership, Organisation
from services.models import Service

from ..factories import OrganisationFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "Kypseli-Fokionos-2026"
WIDTH, HEIGHT = 1366, 768  # a common laptop screen


def in_first_screen(page, locator) -> None:
    """`locator` is shown whole in the window as the page opened (nothing scrolled)."""
    assert page.evaluate("window.scrollY") == 0
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT, box


@pytest.fixture
def waiting(committed_db):
    """A registration and a service of another organisation, both waiting for review."""
    registration = OrganisationFactory(
        name_el="Σύλλογος Αλληλεγγύης Πατησίων",
        email="info@patisia.example.org",
        approval=Organisation.Approval.PENDING,
    )
    nikos = UserFactory(
        username="nikos@patisia.example.org",
        email="nikos@patisia.example.org",
        first_name="Νίκος",
        last_name="Γεωργίου",
    )
    Membership.objects.create(user=nikos, organisation=registration, role=Membership.Role.ADMIN)
    owner = OrganisationFactory(name_el="Δίκτυο Νομικής Βοήθειας", email="info@legal.example.org")
    service = ServiceFactory(
        organisation=owner,
        name_el="Νομική συμβουλευτική στα Πατήσια",
        name_en="Legal advice in Patisia",
        status=Status.PENDING,
    )
    return registration, service


@pytest.fixture
def moderator_page(browser, live_server, committed_db):
    moderator = UserFactory(username="moderator", is_staff=True, password=PASSWORD)
    moderator.groups.add(sync_moderators_group())
    context = browser.new_context(locale="el-GR", viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.base = live_server.url
    page.goto(page.base + "/admin/login/")
    page.locator("input[name=username]").fill("moderator")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#review-queue")).to_be_visible()
    yield page
    context.close()


def test_a_moderator_approves_a_registration_and_rejects_an_entry_from_their_pages(
    moderator_page, waiting
):
    page = moderator_page
    registration, service = waiting

    # The registration: who, when, whether they confirmed, and the decision, at the top.
    page.goto(f"{page.base}/admin/members/organisation/{registration.pk}/change/")
    top = page.locator("section.decision")
    expect(top).to_contain_text("Την εγγραφή έκανε")
    expect(top).to_contain_text("Νίκος Γεωργίου · nikos@patisia.example.org")
    expect(top).to_contain_text("Επιβεβαιώθηκε")
    approve = top.get_by_role("button", name="Έγκριση της εγγραφής")
    in_first_screen(page, top)
    assert Axe().run(page, context="section.decision").violations_count == 0
    approve.click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Ο οργανισμός «Σύλλογος Αλληλεγγύης Πατησίων» εγκρίθηκε και ενημερώνεται με e-mail."
    )
    registration.refresh_from_db()
    assert registration.approval == Organisation.Approval.APPROVED
    approved = [m for m in mail.outbox if "info@patisia.example.org" in m.to]
    assert len(approved) == 1 and "nikos@patisia.example.org" in approved[0].to

    # The entry: its organisation, a preview, and Reject with a reason, at the top of a
    # form several screens long.
    page.goto(f"{page.base}/admin/services/service/{service.pk}/change/")
    top = page.locator("section.decision")
    expect(top).to_contain_text("Δίκτυο Νομικής Βοήθειας")
    assert page.evaluate("document.documentElement.scrollHeight") > 3 * HEIGHT
    reason = top.get_by_label("Αιτιολογία")
    reject = top.get_by_role("button", name="Απόρριψη")
    in_first_screen(page, top)
    assert Axe().run(page, context="section.decision").violations_count == 0

    # The preview opens the public page as it will look, marked not public.
    top.get_by_role("link", name="Δείτε τη σελίδα όπως θα τη βλέπει το κοινό").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Νομική συμβουλευτική στα Πατήσια")
    expect(page.locator("main")).to_contain_text("Προεπισκόπηση — δεν είναι δημόσια")
    page.go_back()

    reject.click()  # empty: the browser asks for the reason, nothing is sent
    service.refresh_from_db()
    assert service.status == Status.PENDING
    reason.fill("Λείπει η διεύθυνση του γραφείου.")
    reject.click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Η καταχώριση «Νομική συμβουλευτική στα Πατήσια» απορρίφθηκε"
    )
    service = Service.objects.get(pk=service.pk)
    assert (service.status, service.review_note) == (
        Status.REJECTED,
        "Λείπει η διεύθυνση του γραφείου.",
    )
    rejected = [m for m in mail.outbox if m.to == ["info@legal.example.org"]]
    assert len(rejected) == 1 and "Λείπει η διεύθυνση του γραφείου." in rejected[0].body
