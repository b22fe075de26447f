"""Who may do what on the dashboard, for every registered entry type (the test kit's
included), read from the demo's people: an editor of the entry's organisation, an editor
of another, a private supporter, a moderator and a visitor. Only the first may change an
entry; the supporter may keep only the types open to supporters; nobody else learns that
the entry exists (404, not 403, for another's entry of a type they may keep)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accmr.core.models import Status
from accmr.core.sections import entry_types
from accmr.members.models import Membership, Organisation
from tests.kit.models import Programme

ROLES = ["visitor", "own editor", "other editor", "supporter", "moderator"]
KINDS = [t.key for t in entry_types()]


def client_of(email: str | None, organisation=None) -> Client:
    """A logged-in session, working for `organisation` if given (a person may edit for
    several: the dashboard acts for the one chosen)."""
    client = Client()
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    if organisation is not None:
        client.post("/dashboard/switch/", {"organisation": organisation.pk})
    return client


def an_entry(kind):
    """A published entry of `kind` owned by a member organisation, and its editor."""
    entry = (
        kind.model.objects.filter(
            status=Status.PUBLISHED,
            organisation__is_supporter=False,
            organisation__memberships__user__is_staff=False,
        )
        .exclude(organisation__slug="kem")
        .order_by("pk")
        .first()
    )
    if entry is None:  # the test kit has no demo data: one of legal-borders'
        entry = Programme.objects.create(
            organisation=Organisation.objects.get(slug="legal-borders"),
            title="Πρόγραμμα",
            status=Status.PUBLISHED,
        )
    editor = Membership.objects.filter(organisation=entry.organisation).first().user
    return entry, editor.email


LEGAL = "editor@legal-borders.example.org"
OTHER = "editor@kem.example.org"
SUPPORTER = "eleni@supporter.example.org"
MODERATOR = "moderator@accmr.example.org"


@pytest.mark.usefixtures("demo_for_the_class")
class TestEveryTypesDashboard:
    """The demo's people; each test's writes are rolled back."""

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("key", KINDS)
    def test_who_may_open_change_and_archive_an_entry(self, db, key, role):
        kind = next(t for t in entry_types() if t.key == key)
        entry, own = an_entry(kind)
        email = {
            "visitor": None,
            "own editor": own,
            "other editor": OTHER,
            "supporter": SUPPORTER,
            "moderator": MODERATOR,
        }[role]
        client = client_of(email, entry.organisation if role == "own editor" else None)
        namespace = kind.namespace
        new = client.get(reverse(f"{namespace}:create"))
        edit = client.get(reverse(f"{namespace}:edit", args=[entry.pk]))
        archive = client.post(reverse(f"{namespace}:archive", args=[entry.pk]))

        open_to_supporter = kind.for_supporters
        expected = {
            "visitor": (302, 302, 302),  # to the login page
            "own editor": (200, 200, 302),
            "other editor": (200, 404, 404),
            "supporter": (200, 404, 404) if open_to_supporter else (403, 403, 403),
            "moderator": (403, 403, 403),  # moderators decide in the admin
        }[role]
        assert (new.status_code, edit.status_code, archive.status_code) == expected
        if role == "visitor":
            assert "/accounts/login/" in new["Location"]
        entry.refresh_from_db()
        archived = role == "own editor"
        assert (entry.status == Status.ARCHIVED) is archived
