import re
import time
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accmr.core.models import ChangeSet
from accmr.members.actions import INVITATION_MAX_AGE
from accmr.members.models import Invitation, Membership

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Kypseli-Fokionos-2026"


def profile(**overrides):
    data = {
        "name_el": "Κέντρο Ένταξης Μεταναστών",  # alice's organisation's own names
        "name_en": "Migrant Integration Centre",
        "description_el": "Νέα περιγραφή",
        "preferred_language": "el",
    }
    data.update(overrides)
    return data


def link(message):
    return urlsplit(re.search(r"https?://\S+", message.body).group(0)).path


def test_profile_edit_of_an_approved_organisation_waits_for_review(client, alice, organisation):
    client.force_login(alice)
    client.post("/dashboard/organisation/", profile())
    organisation.refresh_from_db()
    assert not organisation.description_el  # the public profile is unchanged
    change = ChangeSet.objects.get()
    assert change.entry == organisation and change.data["description_el"] == "Νέα περιγραφή"


def test_profile_edit_of_a_pending_organisation_is_saved_at_once(
    client, dora, pending_organisation
):
    client.force_login(dora)
    client.post("/dashboard/organisation/", profile(name_el="Νέο όνομα"))
    pending_organisation.refresh_from_db()
    assert pending_organisation.name_el == "Νέο όνομα"


def test_profile_edit_refuses_another_organisations_name(client, alice):
    OrganisationFactory(name_el="Άλλος Φορέας")
    client.force_login(alice)
    response = client.post("/dashboard/organisation/", profile(name_el="ΑΛΛΟΣ φορέας"))
    assert "Υπάρχει ήδη εγγεγραμμένος οργανισμός" in response.content.decode()
    assert not ChangeSet.objects.exists()


def test_an_admin_invites_a_new_editor_who_signs_up_through_the_link(
    client, alice, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/editors/", {"email": "New@Example.org", "role": "editor"})
    invitation = Invitation.objects.get()
    assert invitation.email == "new@example.org"
    message = mailoutbox[0]
    assert message.to == ["new@example.org"] and "Κέντρο" in message.body
    assert "Κέντρο" not in message.subject and "alice" not in message.subject
    newcomer = Client()
    page = newcomer.get(link(message))
    assert "Κέντρο" in page.content.decode()
    weak = newcomer.post(
        link(message), {"full_name": "Νέα", "password1": "123", "password2": "123"}
    )
    assert "πολύ μικρός" in weak.content.decode()
    newcomer.post(
        link(message), {"full_name": "Νέα Συντάκτρια", "password1": PASSWORD, "password2": PASSWORD}
    )
    membership = Membership.objects.get(user__email="new@example.org")
    assert membership.organisation == organisation and membership.role == "editor"
    assert newcomer.get("/dashboard/").status_code == 200
    reused = Client().get(link(message), follow=True)
    assert "έχει ήδη χρησιμοποιηθεί" in reused.content.decode()


def test_an_existing_user_accepts_after_logging_in(
    client, alice, charlie, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/editors/", {"email": "charlie@example.org", "role": "admin"})
    invited = Client()
    assert invited.get(link(mailoutbox[0])).status_code == 302  # to the login page
    invited.force_login(charlie)
    invited.get(link(mailoutbox[0]))
    assert Membership.objects.get(user=charlie, organisation=organisation).role == "admin"


@pytest.mark.parametrize("kind", ["forged", "expired"])
def test_forged_or_expired_invitations_change_nothing(
    client, alice, organisation, mailoutbox, django_capture_on_commit_callbacks, monkeypatch, kind
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/editors/", {"email": "newcomer@example.org", "role": "admin"})
    url = link(mailoutbox[0])
    if kind == "forged":
        url = url.rstrip("/")[:-3] + "xyz/"  # the signature no longer matches
    else:  # eight days later: the link lived a week
        later = time.time() + INVITATION_MAX_AGE + 24 * 3600
        monkeypatch.setattr(time, "time", lambda: later)
    client.logout()
    signup = {"full_name": "Νέα Συντάκτρια", "password1": PASSWORD, "password2": PASSWORD}
    for response in (client.get(url, follow=True), client.post(url, signup, follow=True)):
        assert "έχει λήξει" in response.content.decode()
    assert list(Membership.objects.values_list("user__username", flat=True)) == ["alice"]
    assert not Membership.objects.filter(user__email="newcomer@example.org").exists()
    assert Invitation.objects.open().count() == 1  # still there, for a fresh link


def test_only_admins_invite_and_remove_and_the_last_admin_stays(client, alice, bob, organisation):
    client.force_login(bob)
    assert (
        client.post("/dashboard/editors/", {"email": "x@example.org", "role": "editor"}).status_code
        == 403
    )
    alice_membership = Membership.objects.get(user=alice)
    assert client.post(f"/dashboard/editors/{alice_membership.pk}/remove/").status_code == 403
    client.force_login(alice)
    response = client.post(f"/dashboard/editors/{alice_membership.pk}/remove/", follow=True)
    assert "τουλάχιστον έναν διαχειριστή" in response.content.decode()
    bob_membership = Membership.objects.get(user=bob)
    client.post(f"/dashboard/editors/{bob_membership.pk}/remove/")
    assert not Membership.objects.filter(user=bob).exists()


def test_an_admin_cannot_remove_another_organisations_editor(client, alice, charlie):
    client.force_login(alice)
    membership = Membership.objects.get(user=charlie)
    assert client.post(f"/dashboard/editors/{membership.pk}/remove/").status_code == 404
    assert Membership.objects.filter(user=charlie).exists()


def test_inviting_an_existing_editor_is_refused(client, alice, bob):
    client.force_login(alice)
    response = client.post("/dashboard/editors/", {"email": "BOB@example.org", "role": "editor"})
    assert "είναι ήδη συντάκτης" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_admin_revokes_an_invitation_and_its_link_stops_working(
    client, alice, bob, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/editors/", {"email": "late@example.org", "role": "editor"})
    invitation = Invitation.objects.get()
    bobs_session = Client()
    bobs_session.force_login(bob)  # not an admin of the organisation
    assert bobs_session.post(f"/dashboard/invitations/{invitation.pk}/revoke/").status_code == 403
    response = client.post(f"/dashboard/invitations/{invitation.pk}/revoke/", follow=True)
    assert "late@example.org" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "late@example.org" not in client.get("/dashboard/editors/").content.decode()
    followed = Client().get(link(mailoutbox[0]), follow=True)
    assert "έχει ήδη χρησιμοποιηθεί" in followed.content.decode()
    assert not Membership.objects.filter(user__email="late@example.org").exists()
