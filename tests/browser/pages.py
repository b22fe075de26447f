"""Page helpers for the browser journeys: each is one step a person takes, through the page
as they see it (its fields, links and buttons), so that a journey reads as its steps. A
helper waits for what shows the step is done, and no more; what the journey is about,
it checks itself."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from accmr.members.demo import DEMO_PASSWORD

# --- Accounts ------------------------------------------------------------------------------


def log_in(page, username: str, password: str = DEMO_PASSWORD, *, path="/accounts/login/"):
    """Log in through the portal's login form (or, with `path`, the admin's)."""
    page.goto(page.base + path)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit], form input[type=submit]").last.click()


def log_in_to_dashboard(page, email: str, password: str = DEMO_PASSWORD, *, prefix="") -> None:
    """Log in (as a demo editor, by default) and land on the dashboard."""
    log_in(page, email, password, path=prefix + "/accounts/login/")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def open_mailed_link(page, message, to: str = "/") -> None:
    """Open the first link in `message` whose path starts with `to`, as its reader does
    (on the test server, whatever host the mail names)."""
    urls = re.findall(r"https?://\S+", message.body)
    page.goto(page.base + next(urlsplit(u).path for u in urls if urlsplit(u).path.startswith(to)))


def register_organisation(
    page,
    *,
    name_el: str,
    name_en: str,
    actor_type: str,
    description: str,
    email: str,
    district: str,
    field: str,
    person: str,
    person_email: str,
    password: str,
) -> None:
    """Fill the registration form for an organisation and its first editor, and send it."""
    page.goto(page.base + "/accounts/register/")
    page.get_by_label("Όνομα στα ελληνικά").fill(name_el)
    page.get_by_label("Όνομα στα αγγλικά (προαιρετικό)").fill(name_en)
    page.get_by_label("Τύπος φορέα").select_option(label=actor_type)
    page.get_by_label("Περιγραφή στα ελληνικά").fill(description)
    page.get_by_label("E-mail του οργανισμού").fill(email)
    page.get_by_label("Δημοτική κοινότητα").select_option(label=district)
    page.get_by_label(field).check()
    page.get_by_label("Το όνομά σας").fill(person)
    page.get_by_label("Το e-mail σας").fill(person_email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Εγγραφή").click()


def sign_up_as_a_private_supporter(page, *, name: str, email: str, password: str) -> None:
    """From the support board, open a supporter's light account as a private individual."""
    page.goto(page.base + "/support/")
    page.get_by_role("link", name="Προσφέρετε βοήθεια").click()
    page.get_by_label("Ιδιώτης").check()
    page.get_by_label("Το όνομά σας ή η επωνυμία της εταιρείας σας").fill(name)
    page.get_by_label("Το e-mail σας").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.get_by_label(re.compile("Διάβασα την")).check()
    page.get_by_role("button", name="Δημιουργία λογαριασμού").click()


# --- Forms ---------------------------------------------------------------------------------


def submit(page, button, *, says: str | None = None) -> None:
    """Press the form's `button` (its name, or a pattern); with `says`, wait for the
    message the portal answers with."""
    page.get_by_role("button", name=button).click()
    if says:
        expect(page.locator(".messages")).to_contain_text(says)


def fill_service_form(
    page,
    *,
    name_el: str,
    name_en: str,
    description_el: str,
    description_en: str,
    category: str,
    address: str,
    district: str,
) -> None:
    """Fill a service's names, descriptions, category and address (not its point)."""
    page.locator("#id_name_el").fill(name_el)
    page.locator("#id_name_en").fill(name_en)
    page.locator("#id_description_el").fill(description_el)
    page.locator("#id_description_en").fill(description_en)
    page.get_by_label(category).check()
    page.locator("#id_address_el").fill(address)
    page.locator("#id_district").select_option(label=district)


def place_on_the_map(page, latitude: str, longitude: str) -> None:
    """Place the point with a click on the map, which fills the coordinates folded beneath
    it, then unfold them and type the exact ones."""
    expect(page.locator("#id_latitude")).to_be_hidden()
    page.locator(".point-picker-map").click()
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.get_by_text("Πληκτρολογήστε το γεωγραφικό πλάτος και μήκος").click()
    page.locator("#id_latitude").fill(latitude)
    page.locator("#id_longitude").fill(longitude)


def edit_from_the_dashboard(page, name: str) -> None:
    """Open the edit form of the entry called `name` from the dashboard's list."""
    page.goto(page.base + "/dashboard/")
    page.locator("li", has_text=name).get_by_role("link", name="Επεξεργασία").click()


def write_a_reply(page, message: str, *, name: str | None = None, email: str | None = None):
    """Write to a post's poster from its page; a logged-in editor's name and address are
    filled in already."""
    if name:
        page.get_by_label("Το όνομά σας").fill(name)
    if email:
        page.get_by_label("Το e-mail σας").fill(email)
    page.get_by_label("Το μήνυμά σας").fill(message)
    page.get_by_label(re.compile("Συμφωνώ")).check()
    page.get_by_role("button", name="Αποστολή μηνύματος").click()


# --- The admin -----------------------------------------------------------------------------


def admin_action(page, changelist: str, row_text: str, action: str) -> None:
    """Run the list's `action` on the row showing `row_text`."""
    page.goto(page.base + changelist)
    page.locator("tr", has_text=row_text).locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()


def publish_from_the_list(page, changelist: str, row_text: str) -> None:
    """Approve the entry showing `row_text` from its list: the confirmation page lists
    what will be published as it is now, and the moderator confirms."""
    admin_action(page, changelist, row_text, "approve_selected")
    expect(page.locator("#content")).to_contain_text("θα δημοσιευτούν όπως είναι τώρα")
    page.get_by_role("button", name="Δημοσίευση").click()
    expect(page.locator(".messagelist")).to_contain_text("Δημοσιεύθηκε 1 καταχώριση")


def approve_the_change(page, entry_name: str, *, showing: str) -> None:
    """Open the change waiting on `entry_name`, see `showing` in its diff, and approve it."""
    page.goto(page.base + "/admin/core/changeset/")
    page.get_by_role("link", name=entry_name).click()
    expect(page.locator("#changeset-diff")).to_contain_text(showing)
    page.get_by_role("button", name="Έγκριση και δημοσίευση").click()
    expect(page.locator(".messagelist")).to_contain_text("εφαρμόστηκε")
