"""A private individual's name, street, phone and e-mail never reach a public page, export
or feed (DESIGN §4: individuals help through the support board, whose relay keeps them
private; they are never member organisations)."""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from accmr.core.models import Status
from accmr.members.forms import RegistrationForm
from accmr.members.models import Organisation
from accmr.taxonomy.models import ActivityType, ActorType, District
from activities.models import Activity, Session
from services.models import Service
from toolbox.models import ToolboxItem

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db

# A person whom an older registration (or an admin's slip) made a "member", with an entry
# of every kind; the portal must still show none of it.
PERSON = {
    "name": "Μαρία Ιδιωτοπούλου",
    "street": "Τρώων 147",
    "phone": "+30 697 111 2233",
    "email": "maria.home@example.net",
}
SKIPPED = ("/admin/", "/accounts/", "/dashboard/", "/private-media/", "/static/", "/media/")
FEEDS = re.compile(r"(format=(csv|xlsx))|\.ics|\.geojson|\.csv")


@pytest.fixture
def a_person_made_a_member(db):
    call_command("seed_demo", verbosity=0)
    person = Organisation.objects.create(
        slug="maria-home",
        name_el=PERSON["name"],
        name_en=PERSON["name"],
        actor_type=ActorType.objects.get(slug="individual"),
        description_el="Εθελόντρια διερμηνέας αραβικών.",
        email=PERSON["email"],
        phone=PERSON["phone"],
        address_el=f"{PERSON['street']}, 11851 Αθήνα",
        district=District.objects.get(slug="3"),
        approval=Organisation.Approval.APPROVED,
    )
    ServiceFactory(
        organisation=person,
        slug="maria-interpreting",
        name_el="Διερμηνεία αραβικών κατ' οίκον",
        phone=PERSON["phone"],
        email=PERSON["email"],
        address_el=PERSON["street"],
    )
    activity = Activity.objects.create(
        organisation=person,
        slug="maria-evening",
        title_el="Βραδιά διερμηνείας",
        summary_el="Στο σπίτι μου.",
        status=Status.PUBLISHED,
        activity_type=ActivityType.objects.first(),
    )
    start = timezone.now() + timedelta(days=3)
    Session.objects.create(
        activity=activity,
        starts=start,
        ends=start + timedelta(hours=2),
        address_el=PERSON["street"],
        district=person.district,
    )
    ToolboxItem.objects.create(
        organisation=person,
        slug="maria-notes",
        title_el="Σημειώσεις διερμηνείας",
        summary_el="Του σπιτιού μου.",
        kind="guide",
        external_url="https://example.net/notes",
        status=Status.PUBLISHED,
    )
    return person


def _texts(response) -> str:
    """What a person (or a data tool) reads in a response, whatever its format."""
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    text = response.content.decode("utf-8-sig")
    if response["Content-Type"].startswith("text/csv"):
        return "\n".join(",".join(row) for row in csv.reader(io.StringIO(text)))
    return text


def _crawl(client, starts: list[str]) -> dict[str, str]:
    """Every public page reachable from `starts` (paths without a query string, plus
    every export and feed they link to), read as text."""
    seen, queue, found = set(starts), list(starts), {}
    while queue:
        url = queue.pop()
        response = client.get(url)
        assert response.status_code in (200, 301, 302, 404), (url, response.status_code)
        if response.status_code != 200 or response.streaming:
            continue
        found[url] = text = _texts(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        for href in re.findall(r'href="([^"#]+)', text):
            link = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(link)
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if FEEDS.search(link) else "")
            if path in seen or path.startswith(SKIPPED) or (parts.query and path == parts.path):
                continue
            if "/download/" in path:  # the document itself: not the person's details
                continue
            seen.add(path)
            queue.append(path)
    return found


def test_no_public_page_export_or_feed_shows_a_private_individuals_details(
    client, a_person_made_a_member, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": (1000, 60)}
    people = Organisation.objects.filter(slug__in=["eleni-k", "volunteer-interpreter"])
    for person in people:  # demo supporters who are people, with posts on the board
        assert person.is_private_individual and person.support.published().exists()
    secrets = [
        *PERSON.values(),
        *(person.name for person in people),
        *(m.user.email for person in people for m in person.memberships.all()),
    ]
    assert len(secrets) == 8
    starts = [
        f"{prefix}{path}"
        for prefix in ("", "/en")
        for path in ("/", "/services/", "/members/", "/activities/", "/toolbox/", "/support/")
    ] + ["/stats/", "/services/map.geojson", "/activities/map.geojson", "/activities/calendar.ics"]
    pages = _crawl(client, starts)

    assert len(pages) > 300  # every detail page in both languages, and the exports
    assert any("format=xlsx" in url for url in pages) and any(".ics" in url for url in pages)
    leaks = [
        (url, secret)
        for url, text in pages.items()
        for secret in secrets
        if secret in text or secret.replace(" ", "") in text.replace(" ", "")
    ]
    assert leaks == []


def test_a_person_made_a_member_has_no_profile_and_no_public_entry(client, a_person_made_a_member):
    assert client.get("/members/maria-home/").status_code == 404
    assert client.get("/services/maria-interpreting/").status_code == 404
    assert client.get("/activities/maria-evening/").status_code == 404
    assert client.get("/toolbox/maria-notes/").status_code == 404
    assert not Service.objects.published().filter(organisation=a_person_made_a_member).exists()


def test_registration_does_not_offer_a_private_individual_and_says_where_to_go(client):
    response = client.get("/accounts/register/")
    form = response.context["form"]
    assert "individual" not in set(
        form.fields["actor_type"].queryset.values_list("slug", flat=True)
    )
    assert "/accounts/supporter/" in str(form["actor_type"].help_text)
    posted = RegistrationForm(data={"actor_type": ActorType.objects.get(slug="individual").pk})
    assert "actor_type" in posted.errors


def test_an_admin_cannot_make_a_private_individual_a_member(admin_client):
    individual = ActorType.objects.get(slug="individual")
    organisation = Organisation(name_el="Κάποιος", slug="someone", actor_type=individual)
    with pytest.raises(Exception) as refused:
        organisation.full_clean()
    assert "actor_type" in refused.value.message_dict
    supporter = Organisation(
        name_el="Κάποια", slug="someone-else", actor_type=individual, is_supporter=True
    )
    supporter.full_clean()  # a supporter's light account may be a person


@pytest.mark.parametrize("path", ["/services/", "/members/", "/activities/", "/stats/"])
def test_no_list_offers_private_individual_as_a_type_of_organisation(client, path):
    """A private person is never a member, so «Ιδιώτης» would always find nothing."""
    ServiceFactory()  # of a Greek NGO
    html = client.get(path).content.decode()
    assert 'value="greek-ngo"' in html
    assert 'value="individual"' not in html
