"""What a moderator approves is what they reviewed, and no edit silently destroys another."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from accmr.core.models import AuditEntry, ChangeSet, Status
from accmr.members.models import Organisation

from .factories import NO_HOURS_ROWS, OrganisationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:services_service_changelist")
INLINES = {
    "core-auditentry-content_type-object_id-TOTAL_FORMS": 0,
    "core-auditentry-content_type-object_id-INITIAL_FORMS": 0,
    **NO_HOURS_ROWS,
}


def session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(form) -> dict:
    """What a browser posts back for an untouched form: every field's shown value (file
    inputs post nothing)."""
    return {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None and not hasattr(form[name].value(), "storage")
    }


def open_form(client, url) -> dict:
    return {**shown(client.get(url).context["form"]), **NO_HOURS_ROWS}


def open_admin(client, url) -> dict:
    """The admin change form's shown values, as a browser would post them."""
    data = shown(client.get(url).context["adminform"].form)
    return {**data, **INLINES}


# 2. Content cannot change after the moderator looked at it.


def test_saving_a_pending_entry_as_a_draft_takes_it_out_of_review(organisation, alice):
    service = ServiceFactory(
        organisation=organisation, status=Status.PENDING, name_el="Υποβληθείσα"
    )
    editor = session(alice)
    url = reverse("service_dashboard:edit", args=[service.pk])
    response = editor.post(url, {**open_form(editor, url), "name_el": "Αλλαγμένη"}, follow=True)
    assert "αποσύρθηκε από τον έλεγχο" in response.content.decode()
    service.refresh_from_db()
    assert service.status == Status.DRAFT and service.name_el == "Αλλαγμένη"


def test_bulk_approve_leaves_an_entry_that_changed_after_the_moderator_saw_it(
    organisation, alice, admin_client
):
    changed, untouched = (
        ServiceFactory(organisation=organisation, status=Status.PENDING, name_el=name)
        for name in ("Πρώτη μορφή", "Αμετάβλητη")
    )
    selected = {"action": "approve_selected", ACTION_CHECKBOX_NAME: [changed.pk, untouched.pk]}
    page = admin_client.post(CHANGELIST, selected).content.decode()
    assert "Πρώτη μορφή" in page and changed.status == Status.PENDING
    seen = dict(re.findall(r'name="(seen-\d+)" value="([0-9a-f]+)"', page))
    # The editor resubmits other text while the moderator reads the confirmation page.
    editor = session(alice)
    url = reverse("service_dashboard:edit", args=[changed.pk])
    editor.post(url, {**open_form(editor, url), "name_el": "Άλλο κείμενο", "submit": "1"})

    response = admin_client.post(CHANGELIST, {**selected, **seen, "apply": "1"}, follow=True)
    changed.refresh_from_db()
    untouched.refresh_from_db()
    assert changed.status == Status.PENDING and changed.name_el == "Άλλο κείμενο"
    assert untouched.status == Status.PUBLISHED
    assert "άλλαξε αφού την είδατε" in response.content.decode()


def test_a_change_set_replaced_while_the_moderator_reads_it_is_not_approved(
    organisation, alice, bob, admin_client
):
    service = ServiceFactory(organisation=organisation, name_el="Δημοσιευμένη")
    url = reverse("service_dashboard:edit", args=[service.pk])
    first = session(alice)
    first.post(url, {**open_form(first, url), "name_el": "Πρόταση Α"})
    waiting = ChangeSet.objects.get(state="pending")
    review = reverse("admin:core_changeset_change", args=[waiting.pk])
    seen = admin_client.get(review).context["seen"]
    second = session(bob)
    second.post(url, {**open_form(second, url), "phone": "210 000 0000"})

    response = admin_client.post(review, {"approve": "1", "seen": seen}, follow=True)
    assert "αποσύρθηκε ή άλλαξε" in response.content.decode()
    service.refresh_from_db()
    assert service.name_el == "Δημοσιευμένη"  # nothing the moderator did not see is public
    assert ChangeSet.objects.get(state="pending").data["name_el"] == "Πρόταση Α"


def test_the_review_page_refuses_an_approval_if_the_entry_changed_underneath(
    organisation, alice, admin_client
):
    service = ServiceFactory(organisation=organisation, name_el="Δημοσιευμένη", phone="1")
    editor = session(alice)
    url = reverse("service_dashboard:edit", args=[service.pk])
    editor.post(url, {**open_form(editor, url), "name_el": "Νέο όνομα"})
    review = reverse("admin:core_changeset_change", args=[ChangeSet.objects.get().pk])
    seen = admin_client.get(review).context["seen"]
    type(service).objects.filter(pk=service.pk).update(phone="2")  # another admin's edit
    admin_client.post(review, {"approve": "1", "seen": seen})
    assert ChangeSet.objects.get().state == "pending"
    admin_client.post(review, {"approve": "1", "seen": admin_client.get(review).context["seen"]})
    assert ChangeSet.objects.get().state == "approved"


def test_the_admin_change_form_refuses_to_save_over_a_newer_version(
    organisation, alice, admin_client
):
    service = ServiceFactory(organisation=organisation, status=Status.DRAFT, name_el="Πρόχειρη")
    admin_url = reverse("admin:services_service_change", args=[service.pk])
    moderator_form = open_admin(admin_client, admin_url)
    editor = session(alice)
    url = reverse("service_dashboard:edit", args=[service.pk])
    editor.post(url, {**open_form(editor, url), "description_el": "Νεότερο κείμενο"})

    response = admin_client.post(admin_url, {**moderator_form, "phone": "210 111 1111"})
    assert response.status_code == 200
    assert "Κάποιος άλλος άλλαξε την καταχώριση" in response.content.decode()
    service.refresh_from_db()
    assert service.description_el == "Νεότερο κείμενο" and service.phone == ""


# 3. An edit does not silently destroy another.


def test_a_second_editor_edits_on_top_of_the_waiting_change_and_its_author_is_told(
    organisation, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, description_el="Παλιά περιγραφή")
    url = reverse("service_dashboard:edit", args=[service.pk])
    first = session(alice)
    first.post(url, {**open_form(first, url), "description_el": "Νέα περιγραφή"})

    second = session(bob)
    page = second.get(url)
    assert page.context["form"]["description_el"].value() == "Νέα περιγραφή"
    assert "περιμένει τον έλεγχο του Δήμου" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        second.post(url, {**shown(page.context["form"]), **NO_HOURS_ROWS, "phone": "210 222 2222"})
    waiting = ChangeSet.objects.get(state="pending")
    assert waiting.data["description_el"] == "Νέα περιγραφή"
    assert waiting.data["phone"] == "210 222 2222"
    assert ChangeSet.objects.get(state="withdrawn").submitted_by == alice
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    assert "bob" in mailoutbox[0].body


def test_two_editors_saving_at_once_the_second_sees_the_difference_and_decides(
    organisation, alice, bob
):
    service = ServiceFactory(organisation=organisation, status=Status.DRAFT, phone="210 000 0000")
    url = reverse("service_dashboard:edit", args=[service.pk])
    first, second = session(alice), session(bob)
    first_form, second_form = open_form(first, url), open_form(second, url)
    first.post(url, {**first_form, "phone": "210 333 3333"})

    response = second.post(url, {**second_form, "phone": "210 444 4444"})
    assert response.status_code == 200
    conflicts = response.context["form"].conflicts
    # Only the field that differs: empty fields (NULL or "") are not differences.
    assert conflicts == [("Τηλέφωνο", "210 333 3333", "210 444 4444")]
    assert "Πού διαφέρει η αποθηκευμένη μορφή" in response.content.decode()
    service.refresh_from_db()
    assert service.phone == "210 333 3333"  # nothing overwritten unnoticed

    # Saving again, from the form now showing the current version, is a decision.
    again = {**shown(response.context["form"]), **NO_HOURS_ROWS}
    assert second.post(url, again).status_code == 302
    service.refresh_from_db()
    assert service.phone == "210 444 4444"


def test_an_unchanged_resubmission_keeps_the_waiting_change(organisation, alice):
    service = ServiceFactory(organisation=organisation)
    url = reverse("service_dashboard:edit", args=[service.pk])
    editor = session(alice)
    editor.post(url, {**open_form(editor, url), "phone": "210 555 5555"})
    response = editor.post(url, open_form(editor, url), follow=True)
    assert "Δεν άλλαξε τίποτα" in response.content.decode()
    assert list(ChangeSet.objects.values_list("state", flat=True)) == ["pending"]


# 8. Every way a moderator decides goes through the same action.


def test_publishing_on_the_change_page_mails_sets_the_date_and_the_reviewer(
    organisation, admin_client, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, status=Status.PENDING)
    url = reverse("admin:services_service_change", args=[service.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**open_admin(admin_client, url), "status": "published"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    service.refresh_from_db()
    assert service.status == Status.PUBLISHED and service.published_at
    assert service.reviewed_by == admin_user
    assert "office@kem.example.org" in mailoutbox[0].to
    assert AuditEntry.objects.filter(action="status", changes__status=["pending", "published"])


def test_rejecting_on_the_change_page_needs_a_reason(organisation, admin_client):
    service = ServiceFactory(organisation=organisation, status=Status.PENDING)
    url = reverse("admin:services_service_change", args=[service.pk])
    response = admin_client.post(url, {**open_admin(admin_client, url), "status": "rejected"})
    assert response.status_code == 200
    assert "Γράψτε την αιτιολογία της απόρριψης" in response.content.decode()
    service.refresh_from_db()
    assert service.status == Status.PENDING


def test_approving_an_organisation_on_its_change_page_tells_it(
    admin_client, mailoutbox, django_capture_on_commit_callbacks
):
    registration = OrganisationFactory(
        approval=Organisation.Approval.PENDING, email="new@example.org"
    )
    url = reverse("admin:members_organisation_change", args=[registration.pk])
    data = {
        **open_admin(admin_client, url),
        "approval": "approved",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    data.pop("logo", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    registration.refresh_from_db()
    assert registration.is_approved
    assert mailoutbox[0].to == ["new@example.org"]


def test_a_suspended_organisations_profile_edit_waits_for_review(alice, organisation):
    organisation.approval = Organisation.Approval.SUSPENDED
    organisation.trusted = True  # trust does not count while suspended
    organisation.save()
    editor = session(alice)
    url = reverse("organisation_edit")
    editor.post(url, {**open_form(editor, url), "description_el": "Νέο προφίλ"})
    organisation.refresh_from_db()
    assert organisation.description_el != "Νέο προφίλ"
    assert ChangeSet.objects.get().data["description_el"] == "Νέο προφίλ"


def test_the_review_page_marks_the_words_that_changed(organisation, alice, admin_client):
    service = ServiceFactory(
        organisation=organisation, description_el="Δωρεάν τμήματα για ενήλικες.\nΚάθε Τρίτη."
    )
    editor = session(alice)
    url = reverse("service_dashboard:edit", args=[service.pk])
    proposed = "Δωρεάν βραδινά τμήματα για <b>ενήλικες</b>.\nΚάθε Τρίτη."
    editor.post(url, {**open_form(editor, url), "description_el": proposed})
    review = reverse("admin:core_changeset_change", args=[ChangeSet.objects.get().pk])
    page = admin_client.get(review).content.decode()
    row = re.search(r"<tr><th scope=\"row\">Περιγραφή \(ελληνικά\).*?</tr>", page, re.S).group(0)
    old, new = re.findall(r'<td class="diff-(?:old|new)">(.*?)</td>', row, re.S)
    assert re.search(r"<ins>\s*βραδινά\s*</ins>", new)
    assert "<ins>&lt;b&gt;ενήλικες&lt;/b&gt;.</ins>" in new  # escaped, never markup
    assert "<del>ενήλικες.</del>" in old
    assert "Δωρεάν " in old and "<del>Δωρεάν" not in old  # unchanged words are plain
    assert "<br>Κάθε Τρίτη." in new and "<ins>Κάθε" not in new
