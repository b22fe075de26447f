"""Every date, year and time a public URL takes: any value gets an answer that says what is
wrong, never a 500 (`/activities/calendar.ics?to=9999-12-31` was one)."""

from datetime import timedelta
from html import escape

import pytest
from django.utils import timezone

from accmr.core.models import Status
from accmr.taxonomy.models import ActivityType
from activities.models import Activity, Session

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    "9999-12-31",  # the last day Python has: the day after it is an error
    "0001-01-01",  # the first: Athens' offset from UTC takes it out of range
    "10000-01-01",
    "garbage",
    "9" * 40,
    "-1",
    "-2027-03-01",
    "2027-02-30",
    "9999",
    "0",
]
# (where, parameter, what the URL answers): "list" is an HTML list saying which filter it
# left out, "feed" a 400 with a short plain message, "stats" the statistics form's message,
# "file" a download of the list as shown.
PARAMETERS = [
    ("/activities/", "from", "list"),
    ("/activities/", "to", "list"),
    ("/en/activities/", "to", "list"),
    ("/activities/calendar.ics", "from", "feed"),
    ("/activities/calendar.ics", "to", "feed"),
    ("/activities/map.geojson", "from", "feed"),
    ("/activities/map.geojson", "to", "feed"),
    ("/activities/?format=csv&", "to", "file"),
    ("/activities/?format=xlsx&", "from", "file"),
    ("/toolbox/", "year", "list"),
    ("/stats/", "start", "stats"),
    ("/stats/", "end", "stats"),
    ("/en/stats/", "end", "stats"),
    ("/stats/activities-per-month.csv", "start", "file"),
    ("/stats/activities-per-month.csv", "end", "file"),
    ("/stats/support-by-type.csv", "end", "file"),
    ("/services/", "open_time", "list"),
    ("/services/map.geojson", "open_time", "file"),
]
# What each parameter says in each language, whatever the wrong value.
MESSAGES = {
    "el": ("Επιλέξτε ημερομηνία", "Γράψτε μια ημερομηνία", "Επιλέξτε έτος", "Γράψτε μια ώρα"),
    "en": ("Choose a date", "Enter a date", "Choose a year", "Enter a time"),
}


@pytest.fixture
def one_activity(db):
    """Something to list, so the lists draw their filters and links as usual."""
    entry = Activity.objects.create(
        organisation=OrganisationFactory(),
        title_el="Εργαστήρι",
        activity_type=ActivityType.objects.get(slug="workshop"),
        status=Status.PUBLISHED,
    )
    starts = timezone.now() + timedelta(days=2)
    Session.objects.create(activity=entry, starts=starts, ends=starts + timedelta(hours=2))
    return entry


def url(where: str, name: str, value: str) -> str:
    joint = "" if where.endswith("&") else "?"
    return f"{where}{joint}{name}={value}"


@pytest.mark.usefixtures("one_activity")
@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("where", "name", "kind"), PARAMETERS)
def test_a_wrong_date_in_any_url_is_answered_with_a_message(client, where, name, kind, value):
    response = client.get(url(where, name, value))
    language = "en" if where.startswith("/en/") else "el"
    if kind == "feed":
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert len(text) < 300 and any(m in text for m in MESSAGES[language])
        return
    assert response.status_code == 200
    if kind == "file":
        return
    form = response.context["form"] if kind == "stats" else response.context["filter"].form
    assert name in form.errors
    html = response.content.decode()
    message = form.errors[name][0]
    assert escape(message, quote=False) in html or escape(message) in html
    assert any(m in message for m in MESSAGES[language])
    if name in ("from", "to", "start", "end"):  # what was typed stays in its box
        assert f'value="{escape(value)}"' in html


@pytest.mark.usefixtures("one_activity")
def test_the_first_and_last_days_a_url_may_ask_for_are_served(client):
    edges = {"from": "1900-01-01", "to": "2200-12-31"}
    page = client.get("/activities/", edges)
    assert page.status_code == 200 and not page.context["filter"].errors
    assert [a.title_el for a in page.context["page_obj"].object_list] == ["Εργαστήρι"]
    # The date boxes say so too: a browser refuses a date outside them before asking.
    html = page.content.decode()
    for name, value in edges.items():
        assert (
            f'name="{name}" id="f-{name}" value="{value}" min="1900-01-01" max="2200-12-31"' in html
        )
    feed = client.get("/activities/calendar.ics", edges)
    assert feed.status_code == 200 and feed.content.count(b"BEGIN:VEVENT") == 1
    assert client.get("/activities/map.geojson", edges).status_code == 200
    stats = client.get("/stats/", {"start": "2200-01-01", "end": "2200-12-31"})
    assert stats.status_code == 200 and not stats.context["form"].errors
    assert 'type="date" name="end" value="2200-12-31" min="1900-01-01" max="2200-12-31"' in (
        stats.content.decode()
    )
    assert client.get("/stats/activities-per-month.csv", {"end": "1900-06-30"}).status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("el", "Επιλέξτε ημερομηνία από 1900-01-01 έως 2200-12-31."),
        ("en", "Choose a date between 1900-01-01 and 2200-12-31."),
    ],
)
def test_a_date_past_the_calendars_end_is_named_in_the_pages_language(
    client, one_activity, language, expected
):
    prefix = "/en" if language == "en" else ""
    page = client.get(f"{prefix}/activities/", {"to": "9999-12-31", "district": "6"})
    html = page.content.decode()
    assert 'class="message message-warning filter-errors"' in html
    assert expected in html
    assert page.context["filter"].form.cleaned_data["district"]  # the rest still applies
    feed = client.get(f"{prefix}/activities/calendar.ics", {"to": "9999-12-31"})
    assert feed.status_code == 400 and expected in feed.content.decode()
    stats = client.get(f"{prefix}/stats/", {"end": "9999-12-31"})
    assert expected in stats.content.decode()
