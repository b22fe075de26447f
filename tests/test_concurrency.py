"""Two people deciding the same thing at the same moment make one decision.

Each side runs in its own thread with its own database connection and transaction, both
released together by a barrier, on PostgreSQL, where row locks are real. (SQLite takes
one writer at a time for the whole file, so there is no race to test there.)
"""

import threading
from functools import partial

import pytest
from django.core import mail
from django.db import connection

from accmr.core.actions import Stale, approve_change, propose_change, reject_change
from accmr.core.models import AuditEntry, ChangeSet, Status
from accmr.members.actions import accept_invitation, remove_editor, set_approval
from accmr.members.models import Invitation, Membership, Organisation

from .factories import OrganisationFactory, ServiceFactory, UserFactory, member

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks are PostgreSQL's; SQLite serialises"
    ),
    pytest.mark.usefixtures("committed_db"),
]


def at_once(*calls):
    """Run `calls` in parallel threads released together; returns what each returned,
    or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (the test inspects what each side got)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_approve_and_reject_of_one_change_at_once_make_one_decision():
    for _trial in range(4):
        mail.outbox.clear()
        service = ServiceFactory(name_el="Πριν", organisation__email="org@example.org")
        moderator = UserFactory(is_staff=True)
        change = propose_change(service, data={"name_el": "Μετά"}, by=None)
        results = at_once(
            partial(approve_change, change, by=moderator),
            partial(reject_change, change, by=moderator, note="Όχι"),
        )
        assert sum(isinstance(r, Stale) for r in results) == 1, results
        change.refresh_from_db()
        service.refresh_from_db()
        # The state and the public text agree, and only the winner's e-mail went out.
        assert (change.state == ChangeSet.State.APPROVED) == (service.name_el == "Μετά")
        assert len(mail.outbox) == 1


def test_a_double_approve_applies_and_audits_once():
    service = ServiceFactory()
    moderator = UserFactory(is_staff=True)
    change = propose_change(service, data={"phone": "210 123 4567"}, by=None)
    results = at_once(*[lambda: approve_change(change, by=moderator)] * 2)
    assert sum(isinstance(r, Stale) for r in results) == 1, results
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE_APPROVED).count() == 1


def test_two_moderators_publishing_one_entry_publish_it_once():
    from accmr.core.actions import review_entries

    service = ServiceFactory(status=Status.PENDING)
    first, second = UserFactory(is_staff=True), UserFactory(is_staff=True)
    entries = type(service).objects.filter(pk=service.pk)
    at_once(
        lambda: review_entries(entries, status=Status.PUBLISHED, by=first),
        lambda: review_entries(entries, status=Status.PUBLISHED, by=second),
    )
    assert AuditEntry.objects.filter(action=AuditEntry.Action.STATUS).count() == 1


def test_two_admins_removing_each_other_leave_the_organisation_an_admin():
    for trial in range(8):
        organisation = OrganisationFactory()
        one = member(f"one{trial}", organisation, Membership.Role.ADMIN)
        two = member(f"two{trial}", organisation, Membership.Role.ADMIN)
        first = Membership.objects.get(user=one)
        second = Membership.objects.get(user=two)
        results = at_once(partial(remove_editor, second), partial(remove_editor, first))
        assert sorted(results) == [False, True], results
        assert organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1


def test_two_acceptances_of_one_invitation_make_one_account():
    organisation = OrganisationFactory()
    invitation = Invitation.objects.create(organisation=organisation, email="new@example.org")
    signup = {"full_name": "Νέα Συντάκτρια", "password": "Kypseli-Fokionos-2026"}
    results = at_once(*[lambda: accept_invitation(invitation, signup=signup)] * 2)
    assert sum(r is None for r in results) == 1, results
    assert Membership.objects.filter(user__email="new@example.org").count() == 1


def test_two_approvals_of_one_registration_mail_it_once():
    organisation = OrganisationFactory(
        approval=Organisation.Approval.PENDING, email="new@example.org"
    )
    moderator = UserFactory(is_staff=True)
    mail.outbox.clear()
    at_once(*[lambda: set_approval(organisation, Organisation.Approval.APPROVED, by=moderator)] * 2)
    assert len(mail.outbox) == 1
