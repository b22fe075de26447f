import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accmr.core.models import Status
from services.models import VerificationReminder

from .factories import OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def remind(capture):
    with capture(execute=True):
        call_command("send_verification_reminders", verbosity=0)


def test_each_organisation_gets_one_mail_listing_its_unverified_services_in_its_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    old = date.today() - timedelta(days=200)
    greek = OrganisationFactory(email="el@example.org")
    english = OrganisationFactory(email="en@example.org", preferred_language="en")
    ServiceFactory(organisation=greek, name_el="Παλιά Α", assured_date=old)
    ServiceFactory(organisation=greek, name_el="Παλιά Β", assured_date=None)
    ServiceFactory(organisation=greek, name_el="Πρόσφατη", assured_date=date.today())
    ServiceFactory(organisation=greek, name_el="Πρόχειρη", assured_date=old, status=Status.DRAFT)
    ServiceFactory(organisation=english, name_el="Παλιά", name_en="Old one", assured_date=old)
    remind(django_capture_on_commit_callbacks)
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {"el@example.org", "en@example.org"}
    assert "Παλιά Α" in mails["el@example.org"].body and "Παλιά Β" in mails["el@example.org"].body
    assert (
        "Πρόσφατη" not in mails["el@example.org"].body
        and "Πρόχειρη" not in mails["el@example.org"].body
    )
    assert "Old one" in mails["en@example.org"].body
    assert "/en/dashboard/" in mails["en@example.org"].body
    assert "Επιβεβαιώστε" in mails["el@example.org"].subject


def test_an_organisation_is_not_reminded_again_within_the_interval(
    mailoutbox, django_capture_on_commit_callbacks
):
    org = OrganisationFactory(email="el@example.org")
    ServiceFactory(organisation=org, assured_date=date.today() - timedelta(days=200))
    remind(django_capture_on_commit_callbacks)
    remind(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    VerificationReminder.objects.update(sent_at=timezone.now() - timedelta(days=31))
    remind(django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    assert VerificationReminder.objects.get().organisation == org


def test_it_counts_the_organisations_it_reminded(django_capture_on_commit_callbacks):
    old = date.today() - timedelta(days=200)
    for org in OrganisationFactory.create_batch(2):
        ServiceFactory.create_batch(2, organisation=org, assured_date=old)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_verification_reminders", stdout=out)
    assert out.getvalue() == "Reminded 2 organisations.\n"
    assert VerificationReminder.objects.count() == 2


BEFORE = [
    ("members", "0012_login_throttle"),
    ("services", "0008_days_per_period_and_wheelchair_access"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_when_each_organisation_was_last_reminded(committed_db):
    reminded, never = OrganisationFactory(), OrganisationFactory()
    when = timezone.now() - timedelta(days=12)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("members", "Organisation")
    old.objects.filter(pk=reminded.pk).update(reminded_at=when)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(VerificationReminder.objects.values_list("organisation", "sent_at")) == {
        reminded.pk: when
    }

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # and back again
    old = executor.loader.project_state(BEFORE).apps.get_model("members", "Organisation")
    assert dict(old.objects.values_list("pk", "reminded_at")) == {reminded.pk: when, never.pk: None}
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
