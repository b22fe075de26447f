"""Every list's CSV and XLSX, read back with csv and openpyxl as a colleague's tools would.

The sections are found through the kit's registry (every entry type with a public list
whose view offers downloads), so a new section's exports are tested without a line here.
"""

import csv
import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve, reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accmr.core.models import Status
from accmr.core.sections import entry_types
from accmr.taxonomy.models import ActivityType, District
from activities.models import Activity, Session
from support.models import SupportPost

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
ATHENS = ZoneInfo("Europe/Athens")
SITE = "http://testserver"
LANGUAGES = ("el", "en")


def exported_lists() -> dict[str, str]:
    """Entry type key → its public list's URL name, for every list that offers downloads."""
    found = {}
    for entry_type in entry_types():
        if entry_type.list_url_name:
            view = resolve(reverse(entry_type.list_url_name)).func.view_class
            if view.export is not None:
                found[entry_type.key] = entry_type.list_url_name
    return found


SECTIONS = exported_lists()


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def read_xlsx(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def about(book) -> dict:
    return {row[0]: row[1] for row in book.worksheets[0].values if row and row[0]}


def test_the_registry_finds_every_sections_exports():
    assert {"services", "activities", "toolbox", "support"} <= set(SECTIONS)


@pytest.mark.usefixtures("demo_for_the_class")
class TestEverySectionsExports:
    """Read the demo data only."""

    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("filtered", [False, True], ids=["all", "filtered"])
    @pytest.mark.parametrize("section", SECTIONS)
    def test_its_csv_and_xlsx_hold_what_its_list_shows(self, client, section, filtered, language):
        with translation.override(language):
            path = reverse(SECTIONS[section])
        page = client.get(path)
        shown = page.context["page_obj"]
        params = {}
        if filtered:  # a search for the first entry's title: a smaller list
            with translation.override(language):
                params = {"q": str(shown.object_list[0])}
            page = client.get(path, params)
            shown = page.context["page_obj"]
        count, first = shown.paginator.count, shown.object_list[0]
        with translation.override(language):
            title, link = str(first), SITE + first.get_absolute_url()
            header = [str(column[0]) for column in resolve(path).func.view_class.export.columns]
        assert count >= 1

        rows = read_csv(client.get(path, {**params, "format": "csv"}))
        assert rows[0] == header
        assert len(rows) - 1 == count
        assert title in rows[1] and rows[1][-1] == link  # in the list's order

        book = read_xlsx(client.get(path, {**params, "format": "xlsx"}))
        sheet = book.active
        cells = list(sheet.values)
        assert list(cells[0]) == header
        assert len(cells) - 1 == count == about(book)[translated("Rows", language)]
        assert title in cells[1] and sheet.cell(2, len(header)).hyperlink.target == link
        # Printable: landscape A4, as wide as the page, the header on every page.
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and int(setup.paperSize) == 9
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_boards_xlsx_names_each_posts_state_in_the_pages_language(self, client, language):
        """The state is a lazy translation: it reaches openpyxl as text (it was a 500)."""
        with translation.override(language):
            states = {str(label) for label in SupportPost.State.labels}
            response = client.get(reverse("support:list"), {"format": "xlsx"})
            column = translation.gettext("State")
        cells = list(read_xlsx(response).active.values)
        shown = {row[cells[0].index(column)] for row in cells[1:]}
        assert shown <= states and {"el": "Ανοιχτή", "en": "Open"}[language] in shown


def translated(message: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_the_about_sheet_gives_the_address_of_the_same_filtered_list(client):
    for n in range(3):
        ServiceFactory(name_el=f"Δωρεάν {n}", cost="free")
    ServiceFactory(name_el="Με πληρωμή", cost="paid")
    ServiceFactory(name_el="Αλλού", cost="free", district=District.objects.get(slug="1"))
    query = [("district", "6"), ("cost", "free"), ("sort", "name"), ("page", "2")]
    book = read_xlsx(client.get(f"/en/services/?{urlencode([*query, ('format', 'xlsx')])}"))
    address = about(book)["From"]
    # In the one order the page cache keeps a list by (accmr.core.cache.public_page).
    assert address == f"{SITE}/en/services/?cost=free&district=6&sort=name"
    reopened = client.get(urlsplit(address).path + "?" + urlsplit(address).query)
    assert reopened.context["page_obj"].paginator.count == about(book)["Rows"] == 3


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("+30 210 684 4108", "+30 210 684 4108"),  # a phone number stays as it is
        ("+30 (210) 684-4108.", "+30 (210) 684-4108."),
        ("-", "-"),
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+30 210 SUM(A1)", "'+30 210 SUM(A1)"),
        ("-2+cmd|' /C calc'!A0", "'-2+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Κέντρο +30", "Κέντρο +30"),
    ],
)
def test_the_csv_protects_formulas_and_leaves_plain_numbers_alone(client, text, written):
    ServiceFactory(name_el=text, phone=text)
    rows = read_csv(client.get("/services/", {"format": "csv"}))
    name, phone = rows[0].index("Όνομα"), rows[0].index("Τηλέφωνο")
    assert (rows[1][name], rows[1][phone]) == (written, written)


@pytest.fixture
def wednesday(monkeypatch):
    """Now is Wednesday 10 March 2027, 10:00 in Athens."""
    moment = datetime(2027, 3, 10, 10, 0, tzinfo=ATHENS)
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(UTC))
    return moment


def weekly_course(wednesday) -> Activity:
    """Thursdays at 18:00 from last week's (over) to next week's."""
    course = Activity.objects.create(
        organisation=OrganisationFactory(),
        title_el="Μαθήματα ελληνικών",
        title_en="Greek lessons",
        activity_type=ActivityType.objects.get(slug="workshop"),
        district=District.objects.get(slug="6"),
        status=Status.PUBLISHED,
    )
    first = wednesday.replace(day=4, hour=18)
    for week in range(3):
        starts = first + timedelta(weeks=week)
        Session.objects.create(activity=course, starts=starts, ends=starts + timedelta(hours=2))
    return course


@pytest.mark.parametrize(
    ("filters", "first_date", "sessions"),
    [
        ({"when": "week"}, "11/03/2027", ["11/03/2027 18:00–20:00"]),
        ({}, "11/03/2027", ["11/03/2027 18:00–20:00", "18/03/2027 18:00–20:00"]),
        ({"from": "2027-03-15", "to": "2027-03-21"}, "18/03/2027", ["18/03/2027 18:00–20:00"]),
    ],
    ids=["this week", "upcoming", "a range"],
)
def test_the_activities_export_dates_the_sessions_in_the_filtered_time(
    client, wednesday, filters, first_date, sessions
):
    """Not the series' first (past) session: the first one in the time the list shows."""
    weekly_course(wednesday)
    if "from" not in filters:  # the list's date heading for the course
        listed = client.get("/activities/", filters).context["page_obj"].object_list
        assert [f"{a.day_key:%d/%m/%Y}" for a in listed] == [first_date]

    rows = read_csv(client.get("/activities/", {**filters, "format": "csv"}))
    first, listed_sessions = rows[0].index("Πρώτη ημερομηνία"), rows[0].index("Συναντήσεις")
    assert rows[1][first] == datetime.strptime(first_date, "%d/%m/%Y").date().isoformat()
    assert rows[1][listed_sessions].split("; ") == sessions

    sheet = read_xlsx(client.get("/activities/", {**filters, "format": "xlsx"})).active
    date_cell = sheet.cell(2, first + 1)
    assert date_cell.is_date and f"{date_cell.value:%d/%m/%Y}" == first_date
    assert sheet.cell(2, listed_sessions + 1).value.split("; ") == sessions
