"""Opening periods as editors enter them: one row for several days (Monday to Friday
09:00–17:00), rows added and removed with and without JavaScript, and a warning to confirm
before hours that contradict themselves are saved; wheelchair access said three ways."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accmr.core.models import ChangeSet, Status
from services import hours
from services.models import Schedule, Service, days_label

from .factories import ServiceFactory
from .test_dashboard import form_data
from .test_hours import clock as frozen_clock
from .test_hours import open_now, said

clock = frozen_clock  # the fixture that freezes the clock in Athens time

pytestmark = pytest.mark.django_db
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
CREATE = "service_dashboard:create"


def rows(*periods, initial=0) -> dict:
    """A posted formset of (days, opens, closes) rows; days a list of codes."""
    data = {"schedules-TOTAL_FORMS": len(periods), "schedules-INITIAL_FORMS": initial}
    for i, (days, opens, closes) in enumerate(periods):
        data |= {f"schedules-{i}-byday": days, f"schedules-{i}-opens_at": opens}
        data[f"schedules-{i}-closes_at"] = closes
    return data


def shown_values(client, url) -> dict:
    """The values an entry's edit form shows, as a browser would send them back."""
    form = client.get(url).context["form"]
    return {name: form[name].value() for name in form.fields if form[name].value() is not None}


def create(client, *periods, kind="regular", **extra):
    data = {**form_data(), **rows(*periods), "hours": kind, "save": "1", **extra}
    return client.post(reverse(CREATE), data)


def test_one_row_opens_a_service_monday_to_friday(client, alice, clock):
    client.force_login(alice)
    response = create(client, (WEEKDAYS, "09:00", "17:00"), (["SA"], "10:00", "14:00"))
    assert response.status_code == 302
    service = Service.objects.get()
    assert sorted(service.schedules.values_list("byday", flat=True)) == ["MO,TU,WE,TH,FR", "SA"]

    clock(datetime(2027, 3, 10, 16, 0))  # a Wednesday
    assert said(service, "en") == "Open now · closes 17:00"
    assert open_now(service) == {service.pk}
    clock(datetime(2027, 3, 12, 18, 0))  # Friday evening
    assert said(service, "en") == "Closed · opens tomorrow at 10:00"
    found = Service.objects.filter(hours.open_on("TH", time(12)))
    assert list(found) == [service]
    assert not Service.objects.filter(hours.open_on("SU", None)).exists()

    fresh = Service.objects.for_detail().get()
    week = hours.week(fresh, date(2027, 3, 10))
    assert [periods for _day, periods, _today in week] == [
        *[["09:00–17:00"]] * 5,
        ["10:00–14:00"],
        [],
    ]
    with translation.override("en"):
        assert hours.describe_week(service.hours, fresh.schedules.all()) == (
            "Monday–Friday 09:00–17:00; Saturday 10:00–14:00"
        )


def test_the_public_page_says_open_wednesday_to_friday_too(client, alice, clock):
    client.force_login(alice)
    create(client, (WEEKDAYS, "09:00", "17:00"), submit="1")
    service = Service.objects.get()
    service.status = Status.PUBLISHED
    service.save()
    clock(datetime(2027, 3, 10, 10, 0))
    client.logout()
    html = client.get("/en" + service.get_absolute_url()).content.decode()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        assert f'<th scope="row">{day}' in html
    table = html.split('<table class="week">')[1].split("</table>")[0]
    assert table.count("09:00–17:00") == 5 and table.count("Closed") == 2


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        (
            [(WEEKDAYS, "09:00", "17:00"), (["WE"], "16:00", "18:00")],
            "Αυτά τα διαστήματα επικαλύπτονται: Δευτέρα–Παρασκευή 09:00–17:00 και Τετάρτη "
            "16:00–18:00.",
        ),
        (  # Friday night into Saturday morning
            [(["MO", "FR"], "22:00", "06:00"), (["SA"], "05:00", "09:00")],
            "Αυτά τα διαστήματα επικαλύπτονται: Δευτέρα, Παρασκευή 22:00–06:00 και Σάββατο",
        ),
        ([([], "09:00", "17:00")], "Επιλέξτε τουλάχιστον μία ημέρα."),
        ([(["XX"], "09:00", "17:00")], "Η τιμή XX δεν είναι διαθέσιμη προς επιλογή."),
    ],
)
def test_rows_of_several_days_are_checked_day_by_day(client, alice, periods, message):
    client.force_login(alice)
    response = create(client, *periods)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Service.objects.exists()


def test_days_read_as_ranges():
    with translation.override("el"):
        assert days_label(["MO", "TU", "WE", "TH", "FR"]) == "Δευτέρα–Παρασκευή"
    with translation.override("en"):
        assert days_label(["SA", "MO", "WE", "TU"]) == "Monday–Wednesday, Saturday"
        assert str(Schedule(byday="MO,WE", opens_at=time(9), closes_at=time(13))) == (
            "Monday, Wednesday 09:00–13:00"
        )


def test_without_javascript_add_a_row_sends_the_form_back_longer_and_unsaved(client, alice):
    client.force_login(alice)
    data = {
        **form_data(name_el=""),  # not finished yet: no error for it while adding a row
        **rows((WEEKDAYS, "09:00", "17:00")),
        "hours": "regular",
        "add_row": "schedules",
    }
    response = client.post(reverse(CREATE), data)
    assert response.status_code == 200
    assert not Service.objects.exists()
    html = response.content.decode()
    assert "error-summary" not in html
    assert 'name="schedules-TOTAL_FORMS" value="2"' in html
    first_row = html.split('id="schedules-0-title"')[1].split('id="schedules-1-title"')[0]
    assert first_row.count(" checked") == 5  # what was typed is kept
    form = response.context["form"]
    schedules, _closures = response.context["formsets"]
    assert schedules.forms[0]["byday"].value() == WEEKDAYS
    assert form["description_el"].value() == "Δωρεάν τμήματα."
    new_row = schedules.forms[1]
    assert new_row["byday"].value() in (None, [])
    assert "autofocus" in str(new_row["byday"])  # the keyboard lands in the new row


def test_a_ticked_row_is_removed(client, alice, organisation):
    client.force_login(alice)
    service = ServiceFactory(organisation=organisation, hours="regular", status=Status.DRAFT)
    kept = Schedule.objects.create(
        service=service, byday="MO,TU", opens_at=time(9), closes_at=time(13)
    )
    gone = Schedule.objects.create(
        service=service, byday="SA", opens_at=time(9), closes_at=time(13)
    )
    url = reverse("service_dashboard:edit", args=[service.pk])
    data = shown_values(client, url) | {
        **rows((["MO", "TU"], "09:00", "13:00"), (["SA"], "09:00", "13:00"), initial=2),
        "schedules-0-id": kept.pk,
        "schedules-1-id": gone.pk,
        "schedules-1-DELETE": "on",
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
        "save": "1",
    }
    assert client.post(url, data).status_code == 302
    assert list(service.schedules.all()) == [kept]


@pytest.mark.parametrize(
    ("kind", "periods", "warning"),
    [
        (
            "always",
            [(WEEKDAYS, "09:00", "17:00")],
            "Επιλέξατε «Ανοιχτό 24 ώρες, κάθε μέρα» αλλά δώσατε και διαστήματα λειτουργίας",
        ),
        ("regular", [], "Επιλέξατε «Τακτικό ωράριο» αλλά δεν δώσατε κανένα διάστημα"),
    ],
)
def test_contradicting_hours_wait_for_the_editor_to_confirm(client, alice, kind, periods, warning):
    client.force_login(alice)
    response = create(client, *periods, kind=kind, hours_notes_el="Σημείωση")
    assert response.status_code == 200
    assert not Service.objects.exists()
    html = response.content.decode()
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert warning in summary and 'href="#id_confirm_hours"' in summary
    assert 'name="confirm_hours"' in html  # the box to tick, shown only now
    assert response.context["form"]["hours_notes_el"].value() == "Σημείωση"  # nothing lost

    confirmed = create(client, *periods, kind=kind, confirm_hours="on")
    assert confirmed.status_code == 302
    assert Service.objects.get().hours == kind


def test_consistent_hours_ask_for_nothing(client, alice):
    client.force_login(alice)
    assert 'name="confirm_hours"' not in client.get(reverse(CREATE)).content.decode()
    assert create(client, kind="always").status_code == 302
    assert create(client, (WEEKDAYS, "09:00", "17:00"), name_el="Β").status_code == 302


def test_an_edit_to_several_days_waits_for_review_with_its_rows(
    client, alice, organisation, admin_user, clock
):
    clock(datetime(2027, 3, 10, 10, 0))  # Wednesday morning
    client.force_login(alice)
    service = ServiceFactory(organisation=organisation, hours="regular", status=Status.PUBLISHED)
    period = Schedule.objects.create(
        service=service, byday="MO,TU", opens_at=time(9), closes_at=time(17)
    )
    url = reverse("service_dashboard:edit", args=[service.pk])
    data = shown_values(client, url) | {
        **rows((WEEKDAYS, "09:00", "17:00"), initial=1),
        "schedules-0-id": period.pk,
        "closures-TOTAL_FORMS": 0,
        "closures-INITIAL_FORMS": 0,
        "submit": "1",
    }
    assert client.post(url, data).status_code == 302
    change = ChangeSet.objects.get(state="pending")
    assert change.data["schedules"] == [
        {
            "id": period.pk,
            "byday": "MO,TU,WE,TH,FR",
            "opens_at": "09:00:00",
            "closes_at": "17:00:00",
            "valid_from": None,
            "valid_to": None,
        }
    ]
    assert open_now(service) == set()  # the published hours stay until approved

    admin_session = Client()
    admin_session.force_login(admin_user)
    review_url = reverse("admin:core_changeset_change", args=[change.pk])
    review = admin_session.get(review_url)
    labels = {label: (old, new) for label, old, new in review.context["rows"]}
    old, new = labels["διάστημα λειτουργίας 1 · Ημέρες"]
    assert "Δευτέρα–Τρίτη" in old and "Δευτέρα–Παρασκευή" in new
    admin_session.post(review_url, {"approve": "1", "seen": review.context["seen"]})
    assert open_now(service) == {service.pk}
    assert service.schedules.get().byday == "MO,TU,WE,TH,FR"


@pytest.mark.parametrize(
    ("value", "greek", "english"),
    [("yes", "Ναι", "Yes"), ("no", "Όχι", "No"), ("", "Δεν αναφέρεται", "Not stated")],
)
def test_wheelchair_access_is_yes_no_or_not_stated(client, value, greek, english):
    service = ServiceFactory(slug="s", wheelchair_access=value)
    for prefix, text in (("", greek), ("/en", english)):
        html = client.get(f"{prefix}/services/s/").content.decode()
        wheelchair = html.split("αμαξίδιο" if not prefix else "Wheelchair access")[1]
        assert wheelchair.startswith(f"</dt><dd>{text}</dd>")
    other = ServiceFactory(wheelchair_access="no" if value != "no" else "yes")
    asked = "unknown" if value == "" else value
    found = client.get("/services/", {"wheelchair": asked}).context["page_obj"].object_list
    assert list(found) == [service] and other not in found


def test_the_export_says_wheelchair_access_in_both_languages(client):
    import csv
    import io

    ServiceFactory(name_el="Α", wheelchair_access="yes", hours="regular")
    ServiceFactory(name_el="Β", wheelchair_access="")
    for prefix, column, values in (
        ("", "Πρόσβαση με αναπηρικό αμαξίδιο", ["Ναι", "Δεν αναφέρεται"]),
        ("/en", "Wheelchair access", ["Yes", "Not stated"]),
    ):
        response = client.get(f"{prefix}/services/", {"format": "csv"})
        text = b"".join(response.streaming_content if response.streaming else [response.content])
        table = list(csv.DictReader(io.StringIO(text.decode("utf-8-sig"))))
        assert [row[column] for row in table] == values


@pytest.mark.django_db(transaction=True)
def test_the_migration_reads_true_as_yes_and_false_as_not_stated(committed_db):
    accessible, unknown = ServiceFactory(wheelchair_access="yes"), ServiceFactory()
    proposal = ChangeSet.objects.create(entry=unknown, data={"wheelchair_access": "yes"})
    executor = MigrationExecutor(connection)
    before = [("services", "0007_submitted_at")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("services", "Service")
    assert dict(old.objects.values_list("pk", "wheelchair_access")) == {
        accessible.pk: True,
        unknown.pk: False,
    }
    proposal.refresh_from_db()
    assert proposal.data["wheelchair_access"] == "True"  # as a boolean field writes it

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Service.objects.values_list("pk", "wheelchair_access")) == {
        accessible.pk: "yes",
        unknown.pk: "",
    }
    proposal.refresh_from_db()
    assert proposal.data["wheelchair_access"] == "yes"
