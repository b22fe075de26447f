"""Opening hours, closures and Greek public holidays, read in Athens time with a frozen
clock: what a card says, what "open now" finds, and how editors set them."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accmr.core.models import ChangeSet, Status
from services import hours
from services.models import Closure, Schedule, Service

from .factories import NO_HOURS_ROWS, ServiceFactory
from .test_dashboard import form_data

pytestmark = pytest.mark.django_db
ATHENS = ZoneInfo("Europe/Athens")
LIST = "/services/"


@pytest.fixture
def clock(monkeypatch):
    """Freeze the clock at a moment given in Athens wall-clock time (or an aware one)."""

    def at(moment):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ATHENS)
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(UTC))
        return moment

    return at


def service_with(periods=(), kind=Service.Hours.REGULAR, **fields):
    service = ServiceFactory(hours=kind, **fields)
    for day, opens, closes in periods:
        Schedule.objects.create(
            service=service,
            byday=day,
            opens_at=time.fromisoformat(opens),
            closes_at=time.fromisoformat(closes),
        )
    return service


def said(service, language="el") -> str:
    fresh = Service.objects.for_listing().get(pk=service.pk)
    with translation.override(language):
        return hours.status_at(fresh).text


def open_now(*services) -> set:
    """Which of `services` the SQL filter finds open now (must agree with status_at)."""
    found = set(Service.objects.filter(hours.open_at_moment()).values_list("pk", flat=True))
    return {s.pk for s in services} & found


def test_a_split_day(clock):
    service = service_with([("MO", "09:00", "13:00"), ("MO", "17:00", "20:00")])
    clock(datetime(2027, 3, 8, 10, 0))  # a Monday
    assert said(service) == "Ανοιχτό τώρα · κλείνει 13:00"
    assert said(service, "en") == "Open now · closes 13:00"
    assert open_now(service) == {service.pk}
    clock(datetime(2027, 3, 8, 14, 30))
    assert said(service) == "Κλειστό · ανοίγει σήμερα στις 17:00"
    assert said(service, "en") == "Closed · opens today at 17:00"
    assert open_now(service) == set()
    clock(datetime(2027, 3, 8, 20, 0))  # closes at 20:00: closed at 20:00
    assert said(service, "en") == "Closed · opens Monday at 09:00"
    assert open_now(service) == set()


def test_a_period_past_midnight(clock):
    shelter = service_with([("FR", "22:00", "04:00")])
    clock(datetime(2027, 3, 12, 23, 0))  # Friday night
    assert said(shelter, "en") == "Open now · closes 04:00"
    clock(datetime(2027, 3, 13, 2, 0))  # Saturday, 02:00: still Friday's period
    assert said(shelter, "en") == "Open now · closes 04:00"
    assert open_now(shelter) == {shelter.pk}
    clock(datetime(2027, 3, 13, 4, 30))
    assert said(shelter, "en") == "Closed · opens Friday at 22:00"
    assert open_now(shelter) == set()


@pytest.mark.parametrize(
    ("day", "greek", "english", "opens"),
    [
        # Easter Monday 2027; Tuesday is Labour Day moved from Saturday, so next Monday.
        (date(2027, 5, 3), "Δευτέρα του Πάσχα", "Easter Monday", "opens Monday at 09:00"),
        (date(2027, 3, 15), "Καθαρά Δευτέρα", "Clean Monday", "opens tomorrow at 09:00"),
    ],
)
def test_movable_orthodox_holidays_close_a_service_unless_it_opens_on_them(
    clock, day, greek, english, opens
):
    office = service_with([(code, "09:00", "17:00") for code in ("MO", "TU")])
    always_open = service_with([("MO", "09:00", "17:00")], opens_on_holidays=True)
    clock(datetime.combine(day, time(10, 0)))
    assert said(office).startswith(f"Κλειστό σήμερα ({greek}) · ανοίγει")
    assert said(office, "en") == f"Closed today ({english}) · {opens}"
    assert open_now(office, always_open) == {always_open.pk}
    assert said(always_open, "en") == "Open now · closes 17:00"


def test_a_dated_closure(clock):
    service = service_with([(code, "09:00", "17:00") for code in ("MO", "TU", "WE", "TH", "FR")])
    Closure.objects.create(
        service=service,
        starts_on=date(2027, 3, 9),
        ends_on=date(2027, 3, 10),
        reason_el="Απεργία",
        reason_en="Strike",
    )
    clock(datetime(2027, 3, 9, 11, 0))
    assert said(service, "en") == "Closed today (Strike) · opens Thursday at 09:00"
    assert open_now(service) == set()
    clock(datetime(2027, 3, 8, 11, 0))  # the day before: open, and the page lists it
    assert open_now(service) == {service.pk}
    fresh = Service.objects.for_detail().get(pk=service.pk)
    with translation.override("en"):
        assert ("March 9, 2027 to March 10, 2027", "Strike") in hours.coming_closures(
            fresh, date(2027, 3, 8)
        )


@pytest.mark.parametrize(
    ("instant", "wall", "is_open"),
    [
        # The last Sunday of March 2027: 03:00 EET jumps to 04:00 EEST.
        (datetime(2027, 3, 28, 0, 30, tzinfo=UTC), time(2, 30), True),
        (datetime(2027, 3, 28, 1, 30, tzinfo=UTC), time(4, 30), False),
        # The last Sunday of October 2027: 03:30 happens twice (EEST, then EET).
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), time(3, 30), True),
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), time(3, 30), True),
        (datetime(2027, 10, 31, 2, 30, tzinfo=UTC), time(4, 30), False),
    ],
)
def test_daylight_saving_changes_keep_wall_clock_hours(clock, instant, wall, is_open):
    night = service_with([("SA", "22:00", "04:00")])
    clock(instant)
    assert timezone.localtime().time() == wall
    assert (open_now(night) == {night.pk}) is is_open
    expected = "Open now · closes 04:00" if is_open else "Closed · opens Saturday at 22:00"
    assert said(night, "en") == expected


def test_by_appointment_and_24_hours(clock):
    lawyer = service_with(kind=Service.Hours.APPOINTMENT)
    helpline = service_with(kind=Service.Hours.ALWAYS)
    unknown = service_with(kind=Service.Hours.NOT_STATED)
    clock(datetime(2027, 5, 3, 3, 0))  # Easter Monday, 03:00
    assert said(lawyer) == "Με ραντεβού" and said(lawyer, "en") == "By appointment"
    assert said(helpline) == "Ανοιχτό 24 ώρες" and said(helpline, "en") == "Open 24 hours"
    assert said(unknown) == ""
    assert open_now(lawyer, helpline, unknown) == {helpline.pk}  # by appointment is not "open"


def test_the_open_now_filter_finds_exactly_the_open_services(client, clock):
    clock(datetime(2027, 3, 8, 18, 0))  # Monday evening
    service_with([("MO", "17:00", "21:00")], name_el="Βραδινό")
    morning = service_with([("MO", "09:00", "13:00")], name_el="Πρωινό")
    service_with(kind=Service.Hours.APPOINTMENT, name_el="Ραντεβού")
    always = service_with(kind=Service.Hours.ALWAYS, name_el="Πάντα")
    page = client.get(LIST, {"open_now": "1"})
    names = sorted(s.name_el for s in page.context["page_obj"].object_list)
    assert names == ["Βραδινό", "Πάντα"]
    html = page.content.decode()
    assert "Ωράριο: ανοιχτές τώρα" in html  # its chip
    assert "Ανοιχτό τώρα · κλείνει 21:00" in html
    assert morning.name_el not in html and always.name_el in html


def test_open_on_a_weekday_at_a_time(client, clock):
    clock(datetime(2027, 3, 10, 9, 0))  # a Wednesday morning: "now" plays no part
    evening = service_with([("MO", "17:00", "21:00")], name_el="Βραδινό")
    service_with([("MO", "09:00", "13:00")], name_el="Πρωινό")
    night = service_with([("SU", "22:00", "02:00")], name_el="Νυχτερινό")
    found = client.get(LIST, {"open_day": "mon", "open_time": "18:00"}).context["page_obj"]
    assert [s.name_el for s in found.object_list] == [evening.name_el]
    late = client.get(LIST, {"open_day": "mon", "open_time": "01:00"}).context["page_obj"]
    assert [s.name_el for s in late.object_list] == [night.name_el]  # Sunday's night period
    any_time = client.get(LIST, {"open_day": "mon"}).context["page_obj"]
    assert len(any_time.object_list) == 2
    chips = client.get("/en" + LIST, {"open_day": "mon", "open_time": "18:00"}).content.decode()
    assert "Open on: Monday" in chips and "Open at: 18:00" in chips
    assert 'href="/en/services/?open_day=mon"' in chips  # removing the time keeps the day


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"open_time": "25:99"}, "Γράψτε μια ώρα όπως 18:00."),
        ({"open_day": "xyz"}, "Ανοιχτό την"),
        ({"open_now": "yes"}, "Ωράριο"),
    ],
)
def test_bad_hours_filters_get_a_message_not_an_error(client, params, message):
    ServiceFactory()
    response = client.get(LIST, params)
    assert response.status_code == 200
    errors = response.content.decode().split('class="message message-warning filter-errors"')[1]
    assert message in errors.split("</div>")[0]
    assert len(response.context["page_obj"].object_list) == 1  # ignored, not failed


def test_open_now_keeps_a_fixed_number_of_queries(client, clock, django_assert_num_queries):
    clock(datetime(2027, 3, 8, 10, 0))
    service_with([("MO", "09:00", "13:00")])
    client.get(LIST)  # the panel's choices are cached
    # Count, rows, categories, opening periods, closures: "open now" is in the first two.
    with django_assert_num_queries(5) as one:
        client.get(LIST, {"open_now": "1"})
    for _ in range(30):
        service_with([("MO", "09:00", "13:00"), ("MO", "17:00", "20:00")])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST, {"open_now": "1"})
    assert len(response.context["page_obj"].object_list) == 20


def test_the_detail_page_shows_the_week_with_today_marked(client, clock):
    clock(datetime(2027, 3, 9, 10, 0))  # a Tuesday
    service = service_with(
        [("MO", "09:00", "13:00"), ("TU", "09:00", "13:00"), ("TU", "17:00", "20:00")]
    )
    service.hours_notes_el = "Ελάτε έως τις 12:00."
    service.save()
    html = client.get(service.get_absolute_url()).content.decode()
    assert '<tr class="today" aria-current="date"><th scope="row">Τρίτη' in html
    assert "09:00–13:00, 17:00–20:00" in html
    assert "Ελάτε έως τις 12:00." in html
    assert "Ανοιχτό τώρα · κλείνει 13:00" in html  # in the contact block
    assert "Κλειστό τις επίσημες αργίες." in html
    assert "03/05/2027: Δευτέρα του Πάσχα" in html  # a holiday it closes for, within 60 days
    assert "Χριστούγεννα" not in html  # and not beyond


def rows(*periods, prefix="schedules"):
    data = {f"{prefix}-TOTAL_FORMS": len(periods), f"{prefix}-INITIAL_FORMS": 0}
    for i, (day, opens, closes) in enumerate(periods):
        data |= {f"{prefix}-{i}-byday": day, f"{prefix}-{i}-opens_at": opens}
        data[f"{prefix}-{i}-closes_at"] = closes
    return data


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            [("MO", "09:00", "13:00"), ("MO", "12:00", "14:00")],
            "Αυτά τα διαστήματα επικαλύπτονται: Δευτέρα 09:00–13:00 και Δευτέρα 12:00–14:00.",
        ),
        (
            [("SU", "22:00", "03:00"), ("MO", "02:00", "05:00")],  # past midnight, into Monday
            "Αυτά τα διαστήματα επικαλύπτονται",
        ),
        ([("MO", "09:00", "09:00")], "Κλείνει όταν ανοίγει."),
        ([("MO", "09:00", "")], "Συμπληρώστε το πεδίο «Κλείνει»."),
    ],
)
def test_the_periods_formset_refuses_what_cannot_be(client, alice, periods, message):
    client.force_login(alice)
    data = {**form_data(), **NO_HOURS_ROWS, **rows(*periods), "hours": "regular", "save": "1"}
    response = client.post(reverse("service_dashboard:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Service.objects.exists()


def test_an_editor_sets_hours_and_a_closure(client, alice):
    client.force_login(alice)
    data = {
        **form_data(),
        **NO_HOURS_ROWS,
        **rows(("MO", "09:00", "13:00"), ("FR", "22:00", "02:00")),
        "closures-TOTAL_FORMS": 1,
        "closures-0-starts_on": "2027-08-10",
        "closures-0-reason_el": "Καλοκαιρινή διακοπή",
        "hours": "regular",
        "hours_notes_el": "Με σειρά προτεραιότητας.",
        "save": "1",
    }
    assert client.post(reverse("service_dashboard:create"), data).status_code == 302
    service = Service.objects.get()
    assert service.hours == "regular" and service.hours_notes_el == "Με σειρά προτεραιότητας."
    periods = sorted((s.byday, s.opens_at, s.closes_at) for s in service.schedules.all())
    assert periods == [("FR", time(22), time(2)), ("MO", time(9), time(13))]
    (closure,) = service.closures.all()
    assert closure.starts_on == closure.ends_on == date(2027, 8, 10)  # one day


def test_an_edit_of_hours_waits_for_review_while_the_old_hours_stay_public(
    client, alice, organisation, admin_user, clock
):
    clock(datetime(2027, 3, 8, 18, 0))  # Monday, 18:00 (log in after: sessions expire)
    client.force_login(alice)
    admin_session = Client()
    admin_session.force_login(admin_user)
    service = service_with([("MO", "09:00", "13:00")], organisation=organisation)
    url = reverse("service_dashboard:edit", args=[service.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    (period,) = service.schedules.all()
    data |= {
        "schedules-TOTAL_FORMS": 1,
        "schedules-INITIAL_FORMS": 1,
        "schedules-0-id": period.pk,
        "schedules-0-service": service.pk,
        "schedules-0-byday": "MO",
        "schedules-0-opens_at": "17:00",
        "schedules-0-closes_at": "21:00",
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
    }
    assert client.post(url, data).status_code == 302
    change = ChangeSet.objects.get(state="pending")
    assert change.data["schedules"][0]["opens_at"] == "17:00:00"

    client.logout()
    public = client.get(service.get_absolute_url()).content.decode()
    assert "09:00–13:00" in public and "17:00–21:00" not in public
    assert "Κλειστό · ανοίγει" in public  # the published hours say closed at 18:00
    assert open_now(service) == set()

    review_url = reverse("admin:core_changeset_change", args=[change.pk])
    review = admin_session.get(review_url)
    labels = {label: (old, new) for label, old, new in review.context["rows"]}
    assert labels["διάστημα λειτουργίας 1 · Ανοίγει"] == ("<del>09:00</del>", "<ins>17:00</ins>")
    assert labels["διάστημα λειτουργίας 1 · Κλείνει"] == ("<del>13:00</del>", "<ins>21:00</ins>")
    assert ":00:00" not in review.content.decode()
    admin_session.post(review_url, {"approve": "1", "seen": review.context["seen"]})
    assert open_now(service) == {service.pk}
    assert service.schedules.get().opens_at == time(17)
    assert Service.objects.get(pk=service.pk).status == Status.PUBLISHED


def test_the_admin_refuses_overlapping_periods_too(admin_client):
    service = service_with([("MO", "09:00", "13:00")])
    url = reverse("admin:services_service_change", args=[service.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for name in ("categories", "target_groups", "languages"):
        data[name] = [str(pk) for pk in data.get(name, [])]
    (period,) = service.schedules.all()
    data |= {
        "core-auditentry-content_type-object_id-TOTAL_FORMS": 0,
        "core-auditentry-content_type-object_id-INITIAL_FORMS": 0,
        "schedules-TOTAL_FORMS": 2,
        "schedules-INITIAL_FORMS": 1,
        "schedules-0-id": period.pk,
        "schedules-0-service": service.pk,
        "schedules-0-byday": "MO",
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "13:00",
        "schedules-1-service": service.pk,
        "schedules-1-byday": "MO",
        "schedules-1-opens_at": "12:00",
        "schedules-1-closes_at": "15:00",
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "επικαλύπτονται" in response.content.decode()
    assert service.schedules.count() == 1
