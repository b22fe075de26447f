"""Activities: what is on in the city, filtered by when and where, in a calendar."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accmr.core.models import Status
from accmr.members.models import Membership
from accmr.taxonomy.models import ActivityType, ActorType, District
from activities.models import Activity, Session

from .factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db
ATHENS = ZoneInfo("Europe/Athens")
LIST = "/activities/"


def activity(title, *sessions, district="6", online="", **fields):
    """An activity with sessions given as (days from now, hours long)."""
    entry = Activity.objects.create(
        organisation=fields.pop("organisation", None) or OrganisationFactory(),
        title_el=title,
        title_en=f"{title} (en)",
        activity_type=ActivityType.objects.get(slug="workshop"),
        district=District.objects.get(slug=district) if district else None,
        status=Status.PUBLISHED,
        **fields,
    )
    now = timezone.now()
    for days, hours in sessions:
        starts = now + timedelta(days=days)
        Session.objects.create(
            activity=entry, starts=starts, ends=starts + timedelta(hours=hours), online_url=online
        )
    return entry


def titles(response) -> list[str]:
    return sorted(a.title_el for a in response.context["page_obj"].object_list)


def test_the_list_shows_upcoming_activities_soonest_first_grouped_by_date(client):
    activity("Σε δύο μέρες", (2, 2))
    activity("Αύριο", (1, 2))
    activity("Πέρσι", (-30, 2))
    activity("Ξεκίνησε χθες, τελειώνει αύριο", (-1, 48))
    response = client.get(LIST)
    shown = [a.title_el for a in response.context["page_obj"].object_list]
    assert shown == ["Ξεκίνησε χθες, τελειώνει αύριο", "Αύριο", "Σε δύο μέρες"]
    html = response.content.decode()
    assert html.count('class="day-heading"') == 3
    assert "3 δράσεις βρέθηκαν" in html
    assert titles(client.get(LIST, {"when": "past"})) == ["Πέρσι"]
    past = Activity.objects.get(title_el="Πέρσι")
    assert client.get(past.get_absolute_url()).status_code == 200  # still reachable


def test_when_today_week_and_a_date_range(client):
    activity("Σήμερα", (0.01, 1))
    activity("Σε 40 μέρες", (40, 1))
    assert "Σήμερα" in titles(client.get(LIST, {"when": "today"}))
    assert "Σε 40 μέρες" not in titles(client.get(LIST, {"when": "week"}))
    day = (timezone.localdate() + timedelta(days=40)).isoformat()
    assert titles(client.get(LIST, {"from": day, "to": day})) == ["Σε 40 μέρες"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"from": "2027-03-10", "to": "2027-03-01"},
            "Το «έως» δεν μπορεί να είναι πριν από το «από».",
        ),
        ({"from": "10/03/2027x"}, "Γράψτε μια ημερομηνία όπως 2027-03-01."),
        ({"when": "tomorrowish"}, "Πότε"),
    ],
)
def test_bad_dates_get_a_message_not_an_error(client, params, message):
    activity("Αύριο", (1, 2))
    response = client.get(LIST, params)
    assert response.status_code == 200
    errors = response.content.decode().split("filter-errors")[1].split("</div>")[0]
    assert message in errors


def test_filters_by_district_online_language_type_and_organiser(client):
    ngo = OrganisationFactory(actor_type=ActorType.objects.get(slug="international-ngo"))
    activity("Κυψέλη", (1, 2), district="6")
    activity("Διαδικτυακό", (1, 2), district="", online="https://meet.example.org/x")
    elsewhere = activity(
        "Αλλού, αλλά μία συνάντηση στην Κυψέλη", (1, 2), district="1", organisation=ngo
    )
    elsewhere.sessions.update(
        district=District.objects.get(slug="6"), address_el="Φωκίωνος Νέγρη 1"
    )
    assert titles(client.get(LIST, {"district": "6"})) == [
        "Αλλού, αλλά μία συνάντηση στην Κυψέλη",
        "Κυψέλη",
    ]
    assert titles(client.get(LIST, {"mode": "online"})) == ["Διαδικτυακό"]
    assert titles(client.get(LIST, {"actor_type": "international-ngo"})) == [elsewhere.title_el]


def test_the_list_keeps_a_constant_number_of_queries(client, django_assert_num_queries):
    activity("Α", (1, 2), (8, 2))
    client.get(LIST)  # the panel's choices are cached
    with django_assert_num_queries(5) as one:  # count, rows, categories, sessions, + one
        client.get(LIST, {"district": "6"})
    for n in range(25):
        activity(f"Β{n}", (1, 2), (2, 2), (3, 2))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST, {"district": "6"})
    assert len(response.context["page_obj"].object_list) == 20


def parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_add_to_calendar_gives_every_session_in_athens_time(client):
    entry = activity("Εργαστήρι", (1, 2), (8, 2))
    cal = parse(client.get(reverse("activities:ics", args=[entry.slug])))
    events = cal.walk("VEVENT")
    assert len(events) == 2
    assert all(e["SUMMARY"] == "Εργαστήρι" and e["UID"] and e["DTSTAMP"] for e in events)
    assert events[0]["DTSTART"].params["TZID"] == "Europe/Athens"
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Athens"


def test_the_feed_holds_exactly_the_filtered_sessions(client):
    this_week = activity("Κυψέλη", (1, 2), (45, 2), district="6")
    activity("Αλλού", (1, 2), district="1")
    cal = parse(client.get(reverse("activities:calendar"), {"district": "6", "when": "week"}))
    uids = {str(e["UID"]) for e in cal.walk("VEVENT")}
    week_session = this_week.sessions.order_by("starts").first()
    assert uids == {f"activity-session-{week_session.pk}@testserver"}


def test_the_calendar_keeps_local_times_across_the_october_change(client):
    entry = activity("Φθινόπωρο", district="6")
    for day in (30, 31, 1):  # Saturday, Sunday (EEST → EET at 04:00), Monday
        month = 10 if day != 1 else 11
        starts = datetime(2027, month, day, 18, 0, tzinfo=ATHENS)
        Session.objects.create(activity=entry, starts=starts, ends=starts + timedelta(hours=2))
    cal = parse(client.get(reverse("activities:ics", args=[entry.slug])))
    starts = sorted(e.decoded("DTSTART") for e in cal.walk("VEVENT"))
    assert [s.astimezone(ATHENS).hour for s in starts] == [18, 18, 18]
    assert [s.astimezone(UTC).hour for s in starts] == [15, 16, 16]  # +03:00, then +02:00


def test_a_session_ending_before_it_starts_is_refused(client):
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    data = {
        "title_el": "Νέα δράση",
        "activity_type": ActivityType.objects.get(slug="workshop").pk,
        "cost": "free",
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 0,
        "sessions-0-starts": "2027-03-10T18:00",
        "sessions-0-ends": "2027-03-10T17:00",
        "save": "1",
    }
    response = client.post(reverse("activity_dashboard:create"), data)
    assert response.status_code == 200
    assert "Μια συνάντηση πρέπει να τελειώνει αφού αρχίσει." in response.content.decode()
    assert not Activity.objects.exists()
    data["sessions-0-ends"] = "2027-03-10T20:00"
    assert client.post(reverse("activity_dashboard:create"), data).status_code == 302
    assert Activity.objects.get().sessions.count() == 1


def test_the_demo_has_forty_bilingual_activities_from_every_kind_of_organiser():
    call_command("seed_demo")
    activities = Activity.objects.published()
    assert activities.count() >= 40
    assert not activities.filter(title_en="").exists()
    organisers = set(activities.values_list("organisation__actor_type__slug", flat=True))
    # Every kind of member; private individuals are supporters, not organisers.
    members = ActorType.objects.exclude(slug="individual")
    assert organisers == set(members.values_list("slug", flat=True))
    assert activities.past().exists() and activities.upcoming().exists()
    latest = Session.objects.order_by("-starts").first().starts
    assert latest - timezone.now() <= timedelta(days=92)  # the next three months


def test_member_profiles_list_coming_and_past_activities_apart(client):
    organisation = OrganisationFactory()
    activity("Αύριο", (1, 2), organisation=organisation)
    activity("Πέρσι", (-300, 2), organisation=organisation)
    for days in range(1, 12):  # eleven past ones: the oldest falls behind "all past"
        activity(f"Παλιά {days:02}", (-days, 1), organisation=organisation)
    activity("Άλλης οργάνωσης", (1, 2))
    html = client.get(organisation.get_absolute_url()).content.decode()
    section = html.split('id="activities-title"')[1].split("</section>")[0]
    coming, past = section.split("<h3>Παλαιότερες</h3>")
    assert "Αύριο" in coming and "Παλιά" not in coming
    assert past.index("Παλιά 01") < past.index("Παλιά 10")  # the most recent first
    assert "Πέρσι" not in past and "Άλλης οργάνωσης" not in section
    every_past = f"/activities/?when=past&amp;organisation={organisation.slug}"
    assert every_past in past and "Όλες οι παλαιότερες δράσεις της" in past
    assert (
        "All its past activities"
        in client.get(f"/en{organisation.get_absolute_url()}").content.decode()
    )
    listed = client.get(LIST, {"when": "past", "organisation": organisation.slug})
    assert len(titles(listed)) == 12


def test_the_home_page_shows_the_next_activities(client):
    activity("Πρώτη", (1, 2), (3, 2))
    activity("Δεύτερη", (2, 2))
    activity("Περασμένη", (-2, 1))
    html = client.get("/").content.decode()
    section = html.split('id="home-activities"')[1].split("</section>")[0]
    assert section.index("Πρώτη") < section.index("Δεύτερη")
    assert section.count("Πρώτη") == 1 and "Περασμένη" not in section
    assert "Coming up" in client.get("/en/").content.decode()


def test_an_editor_duplicates_an_activity_with_its_sessions(client):
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    source = activity("Γλωσσικό καφενείο", (7, 2), (14, 2), organisation=organisation)
    source.languages.set([1, 2])
    url = reverse("activity_dashboard:duplicate", args=[source.pk])
    page = client.get(url)
    form = page.context["form"]
    assert form["title_el"].value() == "Γλωσσικό καφενείο"
    assert "Αντίγραφο του «Γλωσσικό καφενείο»" in page.content.decode()
    (sessions,) = page.context["formsets"]
    assert len(sessions.forms) >= 2 and sessions.forms[0]["starts"].value()
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {"sessions-TOTAL_FORMS": 1, "sessions-INITIAL_FORMS": 0}
    data |= {"sessions-0-starts": "2027-04-06T18:00", "sessions-0-ends": "2027-04-06T20:00"}
    data["save"] = "1"
    assert client.post(reverse("activity_dashboard:create"), data).status_code == 302
    copy = Activity.objects.exclude(pk=source.pk).get()
    assert copy.status == Status.DRAFT and copy.slug != source.slug
    assert set(copy.languages.values_list("pk", flat=True)) == {1, 2}
    assert copy.sessions.count() == 1 and source.sessions.count() == 2


def test_every_tuesday_until_a_date_makes_the_sessions_at_the_same_local_time(client):
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    data = {
        "title_el": "Κάθε Τρίτη",
        "activity_type": ActivityType.objects.get(slug="workshop").pk,
        "cost": "free",
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 0,
        "sessions-0-starts": "2027-03-16T18:00",  # a Tuesday; clocks go forward on 28 March
        "sessions-0-ends": "2027-03-16T20:00",
        "sessions-0-repeat_until": "2027-04-06",
        "save": "1",
    }
    assert client.post(reverse("activity_dashboard:create"), data).status_code == 302
    sessions = Activity.objects.get().sessions.order_by("starts")
    local = [timezone.localtime(s.starts) for s in sessions]
    assert [d.day for d in local] == [16, 23, 30, 6]
    assert {(d.weekday(), d.hour) for d in local} == {(1, 18)}  # Tuesdays, 18:00 each


def test_a_repeat_shown_again_with_an_error_does_not_repeat_twice(client):
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    data = {
        "title_el": "",  # missing: the form comes back
        "activity_type": ActivityType.objects.get(slug="workshop").pk,
        "cost": "free",
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 0,
        "sessions-0-starts": "2027-03-02T18:00",
        "sessions-0-ends": "2027-03-02T20:00",
        "sessions-0-repeat_until": "2027-03-16",
        "save": "1",
    }
    page = client.post(reverse("activity_dashboard:create"), data)
    (sessions,) = page.context["formsets"]
    assert sessions.total_form_count() == 3  # the weeks are rows now, to check or change
    assert not any(form["repeat_until"].value() for form in sessions.forms)


def test_the_map_pins_the_filtered_sessions_places(client):
    here = activity("Κυψέλη", (1, 2), district="6", latitude="37.999000", longitude="23.741000")
    session = here.sessions.get()
    Session.objects.create(
        activity=here,
        starts=session.starts + timedelta(days=1),
        ends=session.ends + timedelta(days=1),
        district=District.objects.get(slug="1"),
        latitude="37.980300",
        longitude="23.726200",
    )
    activity("Διαδικτυακό", (1, 2), district="", online="https://meet.example.org/x")
    activity("Πέρσι", (-40, 2), latitude="37.9", longitude="23.7")
    data = client.get(reverse("activities:map")).json()
    points = sorted(tuple(f["geometry"]["coordinates"]) for f in data["features"])
    assert points == [(23.7262, 37.9803), (23.741, 37.999)]  # the activity's and a session's own
    assert {f["properties"]["name"] for f in data["features"]} == {"Κυψέλη"}
    assert client.get(reverse("activities:map"), {"district": "1"}).json()["features"]
    assert (
        client.get(reverse("activities:map"), {"when": "past"}).json()["features"][0]["properties"][
            "name"
        ]
        == "Πέρσι"
    )


def test_the_calendar_link_follows_the_filters(client):
    activity("Κυψέλη", (1, 2), district="6")
    html = client.get(LIST, {"district": "6", "when": "week"}).content.decode()
    feed = reverse("activities:calendar")
    assert html.count(f'href="{feed}?district=6&amp;when=week"') == 2  # above and below the list
    assert '<div data-swap="feed">' in html  # replaced when filters change in place


def test_a_member_profile_runs_the_same_queries_for_1_and_many_activities(
    client, django_assert_num_queries
):
    organisation = OrganisationFactory()
    activity("Πρώτη", (1, 2), (-1, 2), organisation=organisation)
    activity("Περασμένη", (-3, 2), organisation=organisation)
    url = organisation.get_absolute_url()
    # The profile, services, 2 × 3 activities, toolbox, support posts.
    with django_assert_num_queries(12) as one:
        client.get(url)
    for days in range(2, 25):
        activity(f"Δράση {days}", (days, 2), (-days, 1), organisation=organisation)
        activity(f"Παλιά {days}", (-days, 1), organisation=organisation)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_this_week_leaves_out_what_is_already_over_today(client):
    activity("Τελείωσε πριν από δύο ώρες, ξανά σε μία εβδομάδα", (-3 / 24, 1), (7, 2))
    activity("Σε μία ώρα", (1 / 24, 1))
    assert titles(client.get(LIST, {"when": "week"})) == ["Σε μία ώρα"]


def test_the_page_says_a_shared_place_once_and_folds_the_past_sessions(client):
    entry = activity(
        "Καφενείο", (-14, 2), (-7, 2), (7, 2), (14, 2), (21, 2), address_el="Φωκίωνος Νέγρη 5"
    )
    html = client.get(entry.get_absolute_url()).content.decode()
    assert html.count("Φωκίωνος Νέγρη 5") == 1
    coming, past = html.split('<details class="past-sessions">')
    assert coming.count("<time") == 3 and "2 προηγούμενες συναντήσεις" in past
    card = client.get(LIST).content.decode()
    assert "3 συναντήσεις ακόμη" in card
    # Dates read "Τρίτη 1 Δεκεμβρίου", the month in the genitive as Greek dates need.
    dates = [t.rsplit(">", 1)[1] for t in html.split("</time>")[:-1]]
    months = [d.split(",")[0].split()[2] for d in dates]  # "Τρίτη 22 Δεκεμβρίου 2026"
    assert len(months) == 5 and all(m.endswith("ου") for m in months), dates
