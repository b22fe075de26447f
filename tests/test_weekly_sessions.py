"""A weekly repeat is spelled out only from a valid first session (issue: one wrong session
became eight rows, each with the same error)."""

import pytest
from django.urls import reverse

from accmr.members.models import Membership
from accmr.taxonomy.models import ActivityType
from activities.models import Activity

from .factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def _post(client, *more_rows, extra=None, **session):
    """A new activity posted with one session (`session`), then `more_rows` (dicts)."""
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    data = {
        "title_el": "Κάθε Τρίτη",
        "activity_type": ActivityType.objects.get(slug="workshop").pk,
        "cost": "free",
        "sessions-TOTAL_FORMS": 1 + len(more_rows),
        "sessions-INITIAL_FORMS": 0,
        "save": "1",
        **(extra or {}),
    }
    for i, row in enumerate([session, *more_rows]):
        data |= {f"sessions-{i}-{name}": value for name, value in row.items()}
    return client.post(reverse("activity_dashboard:create"), data)


def test_a_session_ending_before_it_starts_is_not_repeated(client):
    page = _post(
        client, starts="2026-12-01T18:00", ends="2026-12-01T17:00", repeat_until="2027-01-26"
    )
    assert page.status_code == 200 and not Activity.objects.exists()
    (sessions,) = page.context["formsets"]
    assert sessions.total_form_count() == 1  # not eight copies of the mistake
    (form,) = sessions.forms
    assert form.errors["ends"] == ["Μια συνάντηση πρέπει να τελειώνει αφού αρχίσει."]
    # What the editor typed stays, the repeat included, ready to be corrected.
    assert form["repeat_until"].value() == "2027-01-26"
    assert page.content.decode().count("Μια συνάντηση πρέπει να τελειώνει αφού αρχίσει.") <= 2


def test_once_corrected_the_repeat_is_spelled_out(client):
    page = _post(
        client, starts="2026-12-01T18:00", ends="2026-12-01T20:00", repeat_until="2027-01-26"
    )
    assert page.status_code == 302
    assert Activity.objects.get().sessions.count() == 9  # 1 Dec … 26 Jan, every Tuesday


@pytest.mark.parametrize(
    ("until", "error"),
    [
        (
            "2026-11-24",
            "Η εβδομαδιαία επανάληψη πρέπει να λήγει την ίδια ή μετά την πρώτη ημερομηνία.",
        ),
        (
            "2028-06-01",
            "Οι εβδομαδιαίες συναντήσεις επαναλαμβάνονται έως ένα έτος: επιλέξτε νωρίτερη ημερομηνία.",
        ),
    ],
)
def test_a_repeat_that_ends_before_it_starts_or_past_a_year_is_refused(client, until, error):
    page = _post(client, starts="2026-12-01T18:00", ends="2026-12-01T20:00", repeat_until=until)
    assert page.status_code == 200 and not Activity.objects.exists()
    (sessions,) = page.context["formsets"]
    assert sessions.total_form_count() == 1
    assert sessions.forms[0].errors["repeat_until"] == [error]


def test_after_another_error_the_spelled_out_repeat_reads_in_date_order(client):
    """A valid repeat with the title missing: the copies follow their session, the empty
    row goes last, and a note says what became of the repeat."""
    page = _post(
        client,
        {"starts": "", "ends": ""},  # the empty row a form offers
        extra={"title_el": ""},
        starts="2027-01-11T18:00",
        ends="2027-01-11T20:00",
        repeat_until="2027-02-01",
    )
    assert page.status_code == 200 and not Activity.objects.exists()
    (sessions,) = page.context["formsets"]
    starts = [form["starts"].value() for form in sessions.forms]
    assert starts == [
        "2027-01-11T18:00",
        "2027-01-18T18:00",
        "2027-01-25T18:00",
        "2027-02-01T18:00",
        "",
    ]
    html = page.content.decode()
    assert "Η εβδομαδιαία επανάληψη έγινε 3 ακόμη συναντήσεις παρακάτω" in html
    # The error summary names the row of each error, as the form numbers it.
    assert "Συνάντηση 1 ·" not in html  # no error in the sessions


def test_without_javascript_add_a_row_gives_one_more_session_and_saves_nothing(client):
    page = _post(
        client,
        extra={"title_el": "", "add_row": "sessions"},
        starts="2027-01-11T18:00",
        ends="2027-01-11T20:00",
    )
    assert page.status_code == 200 and not Activity.objects.exists()
    (sessions,) = page.context["formsets"]
    assert [form["starts"].value() for form in sessions.forms] == ["2027-01-11T18:00", None]
    html = page.content.decode()
    assert "error-summary" not in html  # the unfinished title is not an error yet
    assert "Αφαίρεση αυτής της γραμμής" in html and "Προσθήκη γραμμής" in html


def test_the_error_summary_names_the_session_of_each_error(client):
    page = _post(
        client,
        {"starts": "2027-01-12T18:00", "ends": "2027-01-12T17:00"},
        starts="2027-01-11T18:00",
        ends="2027-01-11T20:00",
    )
    summary = page.content.decode().split('class="error-summary"')[1].split("</ul>")[0]
    assert "Συνάντηση 2 · Τελειώνει: Μια συνάντηση πρέπει να τελειώνει αφού αρχίσει." in summary
    assert "Συνάντηση 1 ·" not in summary
