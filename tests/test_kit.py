"""The entry kit works for any declared type: the test-only `tests.kit` programmes have a
title instead of a name, no slug and child rows (sessions), and reuse everything else."""

import dataclasses
import re
from datetime import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accmr.core import sections as registry
from accmr.core.checks import check_sections
from accmr.core.models import AuditEntry, ChangeSet, Status
from accmr.core.sections import entry_type_for, entry_types
from accmr.members.models import Membership
from accmr.taxonomy.models import District
from activities.models import Activity
from services.models import Service
from support.models import SupportPost
from tests.kit.forms import ProgrammeForm
from tests.kit.models import Programme, Session
from toolbox.models import ToolboxItem

from .factories import OrganisationFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return OrganisationFactory(name_el="Φορέας Προγραμμάτων", email="org@example.org")


@pytest.fixture
def alice(org):
    return member("alice", org, Membership.Role.ADMIN)


def athens(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def local(moment: datetime) -> tuple[int, int]:
    moment = timezone.localtime(moment)
    return moment.day, moment.hour


def programme(org, **fields):
    entry = Programme.objects.create(
        organisation=org, title_el="Εργαστήρι γραφής", status=Status.PUBLISHED, **fields
    )
    Session.objects.create(programme=entry, starts=athens(2027, 1, 10, 10))
    Session.objects.create(programme=entry, starts=athens(2027, 1, 17, 10))
    return entry


def session_data(entry, *, rows, extra_rows=()):
    """POST data for the programme form with its sessions formset."""
    data = {
        "title_el": entry.title_el,
        "title_en": entry.title_en or "",
        "summary_el": entry.summary_el or "",
        "summary_en": entry.summary_en or "",
        "sessions-TOTAL_FORMS": str(len(rows) + len(extra_rows)),
        "sessions-INITIAL_FORMS": str(len(rows)),
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for i, (session, starts, delete) in enumerate(rows):
        data.update(
            {
                f"sessions-{i}-id": str(session.pk),
                f"sessions-{i}-programme": str(entry.pk),
                f"sessions-{i}-starts": starts,
            }
        )
        if delete:
            data[f"sessions-{i}-DELETE"] = "on"
    for j, starts in enumerate(extra_rows, start=len(rows)):
        data[f"sessions-{j}-starts"] = starts
        data[f"sessions-{j}-district"] = str(District.objects.get(slug="3").pk)
    return data


def test_a_second_type_is_declared_once_and_found_by_every_loop():
    assert [t.model for t in entry_types()] == [
        Service,
        Activity,
        ToolboxItem,
        SupportPost,
        Programme,
    ]
    kit = entry_type_for(Programme)
    assert kit.key == "kit" and kit.namespace == "programme_dashboard"
    assert reverse("programme_dashboard:create") == "/dashboard/kit/new/"
    # Not verifiable: no "confirm still accurate" URL at all.
    with pytest.raises(Exception, match="verify"):
        reverse("programme_dashboard:verify", args=[1])


def test_searchable_works_with_a_title_and_without_a_slug(org):
    entry = Programme.objects.create(organisation=org, title_el="Ωδείο", title_en="Conservatory")
    assert (entry.name_key_el, entry.name_key_en) == ("ωδειο", "conservatory")
    assert list(Programme.objects.search("ΩΔΕΙΟ")) == [entry]
    assert not hasattr(entry, "slug")


def test_the_bilingual_form_reads_translated_fields_from_the_registration():
    form = ProgrammeForm()
    assert list(form.fields) == ["title_el", "title_en", "summary_el", "summary_en", "base_version"]
    assert [(el.name, en.name) for el, en in form.bilingual_pairs()] == [
        ("title_el", "title_en"),
        ("summary_el", "summary_en"),
    ]


def test_the_dashboard_and_the_profile_list_every_type(client, alice, org):
    programme(org)
    client.force_login(alice)
    html = client.get("/dashboard/").content.decode()
    assert "Add a programme" in html and "Εργαστήρι γραφής" in html
    profile = client.get(org.get_absolute_url()).content.decode()
    assert '<li class="card"><h3>Εργαστήρι γραφής</h3>' in profile  # the type's own card


def propose_session_edit(client, editor, org):
    """As `editor`: move the first session an hour, delete the second, add a third."""
    entry = programme(org)
    first, second = entry.sessions.all()
    client.force_login(editor)
    response = client.post(
        reverse("programme_dashboard:edit", args=[entry.pk]),
        session_data(
            entry,
            rows=[(first, "2027-01-10 11:00", False), (second, "2027-01-17 10:00", True)],
            extra_rows=["2027-01-24 10:00"],
        ),
    )
    assert response.status_code == 302
    return entry, first, second


def test_an_edit_of_sessions_waits_for_review_with_the_entry(client, alice, org):
    entry, first, _second = propose_session_edit(client, alice, org)
    # The public version is untouched while the change waits.
    assert [local(s.starts) for s in entry.sessions.all()] == [(10, 10), (17, 10)]
    change = ChangeSet.objects.get()
    rows = change.data["sessions"]
    assert [row["id"] for row in rows] == [first.pk, None]
    assert rows[0]["starts"].startswith("2027-01-10T11:00")


def test_the_moderator_sees_sessions_diffed_field_by_field_and_applies_them(
    client, alice, org, admin_user
):
    admin_client = Client()  # a second session: the editor stays logged in too
    admin_client.force_login(admin_user)
    entry, first, second = propose_session_edit(client, alice, org)
    change = ChangeSet.objects.get()
    url = reverse("admin:core_changeset_change", args=[change.pk])
    response = admin_client.get(url)
    assert response.status_code == 200, response
    labels = [label for label, _old, _new in response.context["rows"]]
    assert labels == [
        "session 1 · Starts",  # changed, and only that field
        "session 2 (+) · Διεύθυνση",  # added: every field, in the model's order
        "session 2 (+) · Ταχυδρομικός κώδικας",
        "session 2 (+) · Δημοτική κοινότητα",
        "session 2 (+) · Γεωγραφικό πλάτος",
        "session 2 (+) · Γεωγραφικό μήκος",
        "session 2 (+) · Starts",
        "session (−)",  # removed
    ]
    admin_client.post(url, {"approve": "1"})
    sessions = list(entry.sessions.order_by("starts"))
    assert [local(s.starts) for s in sessions] == [(10, 11), (24, 10)]
    assert sessions[0].pk == first.pk and not Session.objects.filter(pk=second.pk).exists()
    assert sessions[1].district.slug == "3"
    audit = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE_APPROVED)
    assert "sessions" in audit.changes
    history = admin_client.get(
        reverse("admin:kit_programme_change", args=[entry.pk])
    ).content.decode()
    assert "session 2 (+) · Starts" in history


def test_a_trusted_organisation_saves_sessions_at_once_and_they_are_audited(client, alice, org):
    org.trusted = True
    org.save()
    entry = programme(org)
    first, second = entry.sessions.all()
    client.force_login(alice)
    client.post(
        reverse("programme_dashboard:edit", args=[entry.pk]),
        session_data(
            entry, rows=[(first, "2027-01-10 09:00", False), (second, "2027-01-17 10:00", False)]
        ),
    )
    assert ChangeSet.objects.count() == 0
    first.refresh_from_db()
    assert local(first.starts) == (10, 9)
    audit = AuditEntry.objects.get(action=AuditEntry.Action.EDITED)
    before, after = audit.changes["sessions"]
    assert before[0]["starts"] != after[0]["starts"] and before[1] == after[1]


def test_archiving_withdraws_the_waiting_change(client, alice, org):
    entry = programme(org)
    client.force_login(alice)
    client.post(
        reverse("programme_dashboard:edit", args=[entry.pk]),
        {**session_data(entry, rows=[]), "title_el": "Νέος τίτλος", "sessions-INITIAL_FORMS": "0"},
    )
    assert ChangeSet.objects.get().state == ChangeSet.State.PENDING
    client.post(reverse("programme_dashboard:archive", args=[entry.pk]))
    assert ChangeSet.objects.get().state == ChangeSet.State.WITHDRAWN
    entry.refresh_from_db()
    assert entry.status == Status.ARCHIVED and entry.title_el == "Εργαστήρι γραφής"


def test_a_new_entry_with_sessions_is_submitted_for_review(client, alice, org):
    client.force_login(alice)
    data = {
        "title_el": "Νέο πρόγραμμα",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-starts": "2027-02-01 18:00",
        "submit": "1",
    }
    assert client.post(reverse("programme_dashboard:create"), data).status_code == 302
    entry = Programme.objects.get()
    assert entry.status == Status.PENDING and entry.organisation == org
    assert local(entry.sessions.get().starts) == (1, 18)  # typed in Athens time
    assert (
        AuditEntry.objects.get(content_type=ContentType.objects.get_for_model(Programme)).action
        == AuditEntry.Action.CREATED
    )


def test_a_bad_session_keeps_everything_typed_and_saves_nothing(client, alice, org):
    client.force_login(alice)
    data = {
        "title_el": "Κρατήστε με",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-starts": "όχι ημερομηνία",
    }
    response = client.post(reverse("programme_dashboard:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Κρατήστε με" in html and "όχι ημερομηνία" in html
    assert Programme.objects.count() == 0


def test_the_admin_front_page_counts_what_waits_for_each_type(admin_client, org):
    Programme.objects.create(organisation=org, title_el="Σε αναμονή", status=Status.PENDING)
    html = admin_client.get("/admin/").content.decode()
    queue = dict(
        re.findall(r'<li><a href="[^"]+">([^<]+)</a><span class="count">(\d+)</span>', html)
    )
    waiting = ": νέες καταχωρίσεις σε αναμονή ελέγχου"
    assert queue["Programmes" + waiting] == "1" and queue["Υπηρεσίες" + waiting] == "0"
    assert queue["Programmes: ανοιχτές αναφορές προβλημάτων"] == "0"


def test_the_edit_form_shows_the_waiting_sessions_and_keeps_them_when_resubmitted(
    client, alice, org
):
    entry, first, second = propose_session_edit(client, alice, org)
    page = client.get(reverse("programme_dashboard:edit", args=[entry.pk]))
    formset = page.context["formsets"]
    (sessions,) = list(formset)
    forms = sessions.forms
    # The stored rows show the proposal: the first moved, the second ticked for deletion,
    # and the added one as a form of its own, ahead of the blank extra one.
    shown = [form["starts"].value() for form in forms]  # in Athens time, as the form shows
    assert (shown[0].day, shown[0].hour) == (10, 11)
    assert forms[1]["DELETE"].value() is True
    assert (shown[2].day, shown[2].hour) == (24, 10)
    assert len(forms) == 4 and forms[3]["starts"].value() is None

    data = {name: page.context["form"][name].value() or "" for name in page.context["form"].fields}
    management = sessions.management_form
    data.update({management[n].html_name: management[n].value() for n in management.fields})
    for form in forms[:3]:
        for name in form.fields:
            value = form[name].value()
            if name == "DELETE":
                if value:
                    data[form[name].html_name] = "on"
            elif value is not None:
                data[form[name].html_name] = value
    response = client.post(reverse("programme_dashboard:edit", args=[entry.pk]), data, follow=True)
    assert "Δεν άλλαξε τίποτα" in response.content.decode()
    (waiting,) = ChangeSet.objects.filter(state="pending")
    assert [row["id"] for row in waiting.data["sessions"]] == [first.pk, None]


def test_every_registered_section_passes_the_registration_check():
    assert check_sections(None) == []


def test_an_incomplete_registration_fails_the_system_check(monkeypatch):
    """A section whose owner accessor is not its app label (as Session's "sessions" is
    not "kit"), whose form edits another model, with a missing template and list URL."""
    broken = dataclasses.replace(
        entry_type_for(Programme),
        model=Session,
        card_template="kit/no_such_card.html",
        list_url_name="kit:no-such-list",
    )
    monkeypatch.setattr(registry, "_sections", {**registry._sections, "broken": broken})
    codes = sorted(error.id for error in check_sections(None) if error.obj == "kit.Session")
    assert codes == ["accmr.E010", "accmr.E011", "accmr.E012", "accmr.E013"]


def test_the_registry_mounts_a_sections_public_pages_in_both_languages(client, org):
    """The kit declares `urls` in its registration and nothing else: accmr/urls.py does
    not name it, yet its list, its pages and its export are served."""
    shown = programme(org, title_en="Writing workshop", summary_el="Κάθε Κυριακή")
    draft = Programme.objects.create(organisation=org, title_el="Πρόχειρο", status=Status.DRAFT)
    assert reverse("kit:list") == "/kit/" and shown.get_absolute_url() == f"/kit/{shown.pk}/"
    listing = client.get("/kit/").content.decode()
    assert "1 programmes found" in listing and "Εργαστήρι γραφής" in listing
    assert "Πρόχειρο" not in listing
    assert "Writing workshop" in client.get("/en/kit/").content.decode()
    assert "Κάθε Κυριακή" in client.get(shown.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "0 programmes found" in client.get("/kit/?q=ανύπαρκτο").content.decode()


def test_a_sections_export_is_served_from_its_declaration(client, org):
    import csv
    import io

    from openpyxl import load_workbook

    shown = programme(org, summary_el="Κάθε Κυριακή")
    response = client.get("/kit/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Title", "Organisation", "Summary"]
    assert rows[1][:3] == ["Εργαστήρι γραφής", "Φορέας Προγραμμάτων", "Κάθε Κυριακή"]
    assert any(cell.endswith(shown.get_absolute_url()) for cell in rows[1])
    book = load_workbook(io.BytesIO(client.get("/kit/?format=xlsx").content))
    assert book.worksheets[-1]["A2"].value == "Εργαστήρι γραφής"


def test_the_menu_and_the_home_page_follow_the_sections_order(client):
    html = client.get("/en/").content.decode()
    nav = html[html.index('class="main-nav"') :]
    labels = re.findall(r'<li>\s*<a href="[^"]+"[^>]*>([^<]+)</a>', nav)
    assert labels[:6] == ["Services", "Activities", "Toolbox", "Support", "Members", "Statistics"]
    menu = [s.key for s in registry.sections() if s.menu_label]
    assert menu == ["services", "activities", "toolbox", "support", "members", "stats"]


def test_a_plain_section_that_declares_half_a_part_fails_the_check(monkeypatch):
    half = registry.Section(key="half", home_template="kit/_programme_card.html", menu_label="Half")
    monkeypatch.setattr(registry, "_sections", {**registry._sections, "half": half})
    codes = sorted(error.id for error in check_sections(None) if error.obj == "half")
    assert codes == ["accmr.E015", "accmr.E016"]
