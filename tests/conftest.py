"""Fixtures for the whole suite, and its cast: one meaning for each person's name in every
test (after healthchecks' tests, where alice owns, bob is her teammate, charlie a stranger).

The organisations:
- `organisation`: the Migrant Integration Centre (Κέντρο Ένταξης Μεταναστών), approved, not
  trusted, mailed at office@kem.example.org; alice's and bob's.
- `other_organisation`: the Legal Aid Network (Δίκτυο Νομικής Βοήθειας), approved; charlie's.
- `pending_organisation`: the Patisia Solidarity Association, registered and waiting for a
  moderator's approval; dora's.

The people (alice to dora at `<name>@example.org`, logging in with the factory's password):
- `alice`: admin of `organisation`: edits its entries and profile, invites and removes editors.
- `bob`: editor of `organisation`, alice's teammate: edits its entries, manages no one.
- `charlie`: editor of `other_organisation`: a stranger to alice's and bob's entries.
- `dora`: editor of `pending_organisation`: may only prepare drafts until it is approved.
- `moderator`: staff in the Moderators group as migrate sets it up, not a superuser, in no
  organisation (moderator@accmr.example.org, first name Μαρία).
- `admin_user`: the superuser (admin@example.org), in no organisation.

Logged-in clients: `admin_client` is the test's own `client` as the superuser;
`moderator_session` is a client of its own, so a test can act as the moderator and as
someone else (on `client`) at once. Supporters' light accounts come from
`tests.board.supporter()`; the browser tests log in as the demo's own people instead.
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from accmr.core.permissions import MODERATORS
from accmr.members.models import Membership, Organisation

from .factories import OrganisationFactory, ServiceFactory, UserFactory, member


@pytest.fixture(autouse=True)
def greek_by_default():
    """Each test starts in the default language, whatever the previous one activated."""
    translation.activate("el")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def media_in_a_temporary_directory(settings, tmp_path):
    """Uploads go to this test's own public and private directories."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        name_el="Κέντρο Ένταξης Μεταναστών",
        name_en="Migrant Integration Centre",
        email="office@kem.example.org",
    )


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name_el="Δίκτυο Νομικής Βοήθειας", name_en="Legal Aid Network")


@pytest.fixture
def pending_organisation(db):
    return OrganisationFactory(
        name_el="Σύλλογος Αλληλεγγύης Πατησίων",
        name_en="Patisia Solidarity Association",
        approval=Organisation.Approval.PENDING,
    )


@pytest.fixture
def alice(organisation):
    return member("alice", organisation, Membership.Role.ADMIN)


@pytest.fixture
def bob(organisation):
    return member("bob", organisation)


@pytest.fixture
def charlie(other_organisation):
    return member("charlie", other_organisation)


@pytest.fixture
def dora(pending_organisation):
    return member("dora", pending_organisation)


@pytest.fixture
def moderator(db):
    user = UserFactory(
        username="moderator",
        email="moderator@accmr.example.org",
        first_name="Μαρία",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=MODERATORS))
    return user


@pytest.fixture
def moderator_session(moderator):
    session = Client()
    session.force_login(moderator)
    return session


@pytest.fixture
def service(organisation):
    return ServiceFactory(
        organisation=organisation,
        name_el="Μαθήματα ελληνικών στην Κυψέλη",
        name_en="Greek lessons in Kypseli",
        slug="greek-lessons-kypseli",
    )


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def no_wait(settings):
    """Forms that refuse a human-speed check (sent too soon after shown) take any speed."""
    settings.HUMAN_CHECK_SECONDS = 0


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST (or GET) as a client, running what waits for the commit (the mail) before
    returning."""

    def request(client, url, data=None, *, method="post", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return getattr(client, method)(url, data or {}, **kwargs)

    return request


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached pages and generations never leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed_db(transactional_db):
    """A database whose writes commit, for other connections (the live server, threads).

    Transactional tests flush the database afterwards, migration-seeded rows included, so
    the taxonomies and pages are seeded again first (pytest-django runs these tests last).
    """
    for migration in (
        "accmr.taxonomy.migrations.0002_seed_terms",
        "accmr.taxonomy.migrations.0003_supporttype_needs_language",
        "accmr.core.migrations.0002_seed_pages",
    ):
        import_module(migration).seed(apps, None)


@pytest.fixture(scope="class")
def demo_for_the_class(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, built once for a class of tests that only read it, and rolled back
    after the class (the browser tests' `demo` commits instead)."""
    with (
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)
