from importlib import import_module

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from .factories import OrganisationFactory, ServiceFactory, UserFactory


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
        name_el="Κέντρο Ένταξης Μεταναστών", name_en="Migrant Integration Centre"
    )


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
