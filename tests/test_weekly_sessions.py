"""A weekly repeat is spelled out only from a valid first session (issue: one wrong session
became eight rows, each with the same error)."""

import pytest
from django.urls import reverse

from accmr.members.models import Membership
from accmr.taxonomy.models import ActivityType
from activities.models import Activity

from .factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


def _post(client, **session):
    organisation = OrganisationFactory()
    client.force_login(member("eleni", organisation, Membership.Role.ADMIN))
    data = {
        "title_el": "Κάθε Τρίτη",
        "activity_type": ActivityType.objects.get(slug="workshop").pk,
        "cost": "free",
        "sessions-TOTAL_FORMS": 1,
        "sessions-INITIAL_FORMS": 0,
        **{f"sessions-0-{name}": value for name, value in session.items()},
        "save": "1",
    }
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
