"""The activities' calendar files as other programs read them, and the list's feed to
subscribe to.

The files are written with icalendar; they are read back here with two readers that share
none of its code: vobject (whose time zones come from the file's VTIMEZONE, through
dateutil) and ical (its own parser and time-zone rules). Each must find every session at
the Athens wall-clock time and the UTC instant stored, in winter, in summer, on the days of
both changes and after 2038.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from accmr.core.models import Status
from accmr.taxonomy.models import ActivityType, District, Language
from activities.models import Activity, Session

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db
ATHENS = ZoneInfo("Europe/Athens")
LIST = "/activities/"
MOMENTS = {
    "winter": datetime(2027, 1, 14, 18, 0),
    "summer": datetime(2027, 7, 7, 18, 0),  # was read as 19:00 by vobject and ical.js
    "before the March change": datetime(2027, 3, 28, 2, 30),  # 03:00 EET becomes 04:00 EEST
    "after the March change": datetime(2027, 3, 28, 10, 0),
    "before the October change": datetime(2027, 10, 31, 2, 30),  # 04:00 EEST becomes 03:00 EET
    "after the October change": datetime(2027, 10, 31, 10, 0),
    "summer after 2038": datetime(2041, 7, 7, 18, 0),
    "winter after 2038": datetime(2041, 12, 9, 18, 0),
}


@pytest.fixture
def sessions_all_year(db):
    entry = Activity.objects.create(
        organisation=OrganisationFactory(),
        slug="all-year",
        title_el="Όλο τον χρόνο",
        activity_type=ActivityType.objects.get(slug="workshop"),
        district=District.objects.get(slug="6"),
        status=Status.PUBLISHED,
    )
    for wall in MOMENTS.values():
        starts = wall.replace(tzinfo=ATHENS)
        Session.objects.create(activity=entry, starts=starts, ends=starts + timedelta(hours=2))
    return entry


def as_sent(text: str) -> str:
    return text


def by_the_rules_only(text: str) -> str:
    """The zone renamed, so that a reader cannot use its own Europe/Athens and must follow
    the VTIMEZONE's rules (as Thunderbird's ical.js does)."""
    return text.replace("Europe/Athens", "Athens-as-sent")


def read_with_vobject(text: str) -> list[tuple[datetime, datetime]]:
    # vobject keeps the first zone it reads under a name for the whole process: forget
    # it, so this file's own VTIMEZONE is the one read.
    zones = vars(vobject.icalendar)["__tzidMap"]
    zones.pop("Europe/Athens", None)
    zones.pop("Athens-as-sent", None)
    calendar = vobject.readOne(text)
    # The zone read from the file (dateutil's tzical), not pytz's Europe/Athens.
    zones_read = {type(e.dtstart.value.tzinfo).__name__ for e in calendar.vevent_list}
    assert zones_read == {"_tzicalvtz"}
    return [(e.dtstart.value, e.dtend.value) for e in calendar.vevent_list]


def read_with_ical(text: str) -> list[tuple[datetime, datetime]]:
    calendar = IcsCalendarStream.calendar_from_ics(text)
    return [(e.dtstart, e.dtend) for e in calendar.events]


READERS = [read_with_vobject, read_with_ical]


def calendar_text(client, url: str, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content.decode()


@pytest.mark.parametrize("zone", [as_sent, by_the_rules_only])
@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize("feed", ["activity", "list"])
def test_every_reader_finds_each_session_at_its_athens_time_and_instant(
    client, sessions_all_year, feed, read, zone
):
    if feed == "activity":
        text = calendar_text(client, reverse("activities:ics", args=[sessions_all_year.slug]))
    else:
        text = calendar_text(
            client, reverse("activities:calendar"), {"from": "2027-01-01", "to": "2041-12-31"}
        )
    found = sorted(read(zone(text)))
    stored = sorted(sessions_all_year.sessions.values_list("starts", "ends"))
    assert len(found) == len(stored) == len(MOMENTS)
    for (starts, ends), (stored_starts, stored_ends) in zip(found, stored, strict=True):
        assert starts.astimezone(UTC) == stored_starts.astimezone(UTC)
        assert ends.astimezone(UTC) == stored_ends.astimezone(UTC)
    walls = sorted(starts.replace(tzinfo=None) for starts, _ends in found)
    assert walls == sorted(MOMENTS.values())


def unfolded(text: str) -> str:
    return re.sub(r"\r\n[ \t]", "", text)


def test_the_time_zone_is_written_as_yearly_rules_with_no_end(client, sessions_all_year):
    text = unfolded(calendar_text(client, reverse("activities:ics", args=["all-year"])))
    assert text.count("BEGIN:VTIMEZONE") == 1
    zone = text.split("BEGIN:VTIMEZONE\r\n")[1].split("END:VTIMEZONE")[0]
    assert "RDATE" not in zone and "UNTIL" not in zone and "COMMENT" not in zone
    daylight = zone.split("BEGIN:DAYLIGHT\r\n")[1].split("END:DAYLIGHT")[0].splitlines()
    standard = zone.split("BEGIN:STANDARD\r\n")[1].split("END:STANDARD")[0].splitlines()
    assert zone.count("BEGIN:DAYLIGHT") == zone.count("BEGIN:STANDARD") == 1
    assert set(daylight) == {
        "DTSTART:19700329T030000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "TZNAME:EEST",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0300",
    }
    assert set(standard) == {
        "DTSTART:19701025T040000",
        "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
        "TZNAME:EET",
        "TZOFFSETFROM:+0300",
        "TZOFFSETTO:+0200",
    }
    assert "TZID:Europe/Athens\r\n" in zone
    assert "DTSTART;TZID=Europe/Athens:20270707T180000" in text


def feed_block(html: str, where: str) -> str:
    return html.split(f'class="calendar-feed exports-{where}"')[1].split("</details>")[0]


def test_the_list_offers_its_filtered_feed_to_subscribe_to_copy_or_download(client):
    arabic = Language.objects.get(slug="ar")
    entry = Activity.objects.create(
        organisation=OrganisationFactory(),
        title_el="Κυψέλη",
        activity_type=ActivityType.objects.get(slug="workshop"),
        district=District.objects.get(slug="6"),
        status=Status.PUBLISHED,
    )
    entry.languages.add(arabic)
    starts = datetime.now(ATHENS) + timedelta(days=3)
    Session.objects.create(activity=entry, starts=starts, ends=starts + timedelta(hours=2))
    # A wrong date and the page's own parameters (sort, page) are not the feed's.
    html = client.get(
        LIST,
        {"district": "6", "language": "ar", "to": "9999-12-31", "sort": "title", "page": "1"},
    ).content.decode()
    feed = "/activities/calendar.ics?district=6&amp;language=ar"
    for where in ("top", "bottom"):
        block = feed_block(html, where)
        assert f'href="webcal://testserver{feed}"' in block
        assert (
            f'id="feed-address-{where}" type="text" readonly value="http://testserver{feed}"'
            in (block)
        )
        assert f'href="{feed}" download="activities.ics"' in block
        assert "Google Calendar: Άλλα ημερολόγια → Από URL." in block
        assert "Outlook: Προσθήκη ημερολογίου → Εγγραφή από το web." in block
        assert "name=" not in block  # inside the filter form, but no filter
    assert 'data-geojson="/activities/map.geojson?district=6&amp;language=ar"' in html
    # The address gives the list's sessions.
    text = calendar_text(client, "/activities/calendar.ics", {"district": "6", "language": "ar"})
    assert text.count("BEGIN:VEVENT") == 1 and "SUMMARY:Κυψέλη" in text
    english = client.get("/en/activities/", {"district": "6"}).content.decode()
    block = feed_block(english, "top")
    assert "Add these activities to your calendar" in block
    assert 'href="webcal://testserver/en/activities/calendar.ics?district=6"' in block
    assert "Outlook: Add calendar → Subscribe from web." in block


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"to": "9999-12-31"}, "Έως: Επιλέξτε ημερομηνία από 1900-01-01 έως 2200-12-31."),
        ({"from": "2027-05-01", "to": "2027-04-01"}, "Έως: Το «έως» δεν μπορεί"),
        ({"district": "99"}, "Δημοτική κοινότητα: Βεβαιωθείτε"),
    ],
)
def test_a_feed_refuses_a_filter_it_cannot_apply_rather_than_drop_it(client, params, says):
    response = client.get(reverse("activities:calendar"), params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Αυτά τα φίλτρα δεν ήταν δυνατό να εφαρμοστούν:\n")
    assert says in text and len(text) < 300


INJECTED = "Εργαστήρι\r\nATTENDEE:mailto:evil@example.org\rX-EVIL:1\n\x0bDESCRIPTION:x"


@pytest.mark.parametrize("read", ["vobject", "ical"])
def test_line_breaks_in_an_activity_never_become_calendar_properties(client, read):
    entry = Activity.objects.create(
        organisation=OrganisationFactory(),
        slug="injected",
        title_el=INJECTED,
        summary_el="Περίληψη\r\nATTENDEE:mailto:evil@example.org",
        activity_type=ActivityType.objects.get(slug="workshop"),
        district=District.objects.get(slug="6"),
        address="Οδός 1\r\nORGANIZER:mailto:evil@example.org",
        status=Status.PUBLISHED,
    )
    starts = datetime(2027, 1, 14, 18, 0, tzinfo=ATHENS)
    Session.objects.create(activity=entry, starts=starts, ends=starts + timedelta(hours=2))
    text = calendar_text(client, reverse("activities:ics", args=["injected"]))
    lines = unfolded(text).split("\r\n")
    assert not [line for line in lines if line.startswith(("ATTENDEE", "ORGANIZER", "X-EVIL"))]
    assert "\x0b" not in text
    if read == "vobject":
        calendar = vobject.readOne(text)
        (event,) = calendar.vevent_list
        names = {child.name for child in event.getChildren()}
        summary = event.summary.value
        assert calendar.x_wr_calname.value == summary
    else:
        (event,) = IcsCalendarStream.calendar_from_ics(text).events
        names = {extra.name.upper() for extra in event.extras}
        names |= {"ATTENDEE"} if event.attendees else set()
        names |= {"ORGANIZER"} if event.organizer else set()
        summary = event.summary
    assert not names & {"ATTENDEE", "ORGANIZER", "X-EVIL"}
    # On one line, as a title is: the breaks are spaces.
    assert summary == "Εργαστήρι ATTENDEE:mailto:evil@example.org X-EVIL:1 DESCRIPTION:x"
