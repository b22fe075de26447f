"""The toolbox: publications found by what they are and what they say, downloaded safely."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from accmr.core.models import Status
from accmr.core.permissions import MODERATORS
from accmr.members.models import Organisation
from accmr.taxonomy.models import Category, Language
from toolbox.demo import pdf
from toolbox.models import ToolboxItem

from .factories import OrganisationFactory, UserFactory, admin_approve

pytestmark = pytest.mark.django_db
LIST = "/toolbox/"
CREATE = "/dashboard/toolbox/new/"


def item(title, *, kind="guide", organisation=None, published_on="2026-05-01", **fields):
    topics = fields.pop("topics", [])
    languages = fields.pop("languages", [])
    pages = fields.pop("pages", None)
    entry = ToolboxItem(
        organisation=organisation if organisation is not None else OrganisationFactory(),
        title_el=title,
        title_en=f"{title} (en)",
        kind=kind,
        published_on=date.fromisoformat(published_on) if published_on else None,
        status=fields.pop("status", Status.PUBLISHED),
        **fields,
    )
    if pages or not entry.external_url:
        entry.file = ContentFile(pdf(title, pages or ["Κείμενο."], author="x"), name="x.pdf")
    with TestCase.captureOnCommitCallbacks(execute=True):  # the file's reading task
        entry.save()
    entry.topics.set(Category.objects.filter(slug__in=topics))
    entry.document_languages.set(Language.objects.filter(slug__in=languages))
    return entry


def titles(response) -> list[str]:
    return [i.title_el for i in response.context["page_obj"].object_list]


def stored_files() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.STORAGES["private"]["OPTIONS"]["location"])]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_the_list_shows_published_items_newest_first_or_by_title(client):
    item("Β παλιό", published_on="2024-02-01")
    item("Α νέο", published_on="2026-09-01")
    item("Γ πρόχειρο", status=Status.PENDING)
    members_only = OrganisationFactory(approval=Organisation.Approval.PENDING)
    item("Δ μέλους σε αναμονή", organisation=members_only)
    response = client.get(LIST)
    assert titles(response) == ["Α νέο", "Β παλιό"]
    assert "2 δημοσιεύσεις βρέθηκαν" in response.content.decode()
    assert titles(client.get(LIST, {"sort": "title"})) == ["Α νέο", "Β παλιό"]
    english = client.get(f"/en{LIST}").content.decode()
    assert "Α νέο (en)" in english and "2 publications found" in english


def test_filters_by_kind_topic_language_year_and_publisher(client):
    law = OrganisationFactory(name_el="Νομική Κλινική", slug="law")
    item("Οδηγός ασύλου", topics=["asylum-procedure"], languages=["fa"], organisation=law)
    item(
        "Έρευνα στέγασης",
        kind="research",
        topics=["housing"],
        languages=["el"],
        published_on="2024-06-01",
    )
    item(
        "Νόμος",
        kind="legal",
        organisation=None,
        publisher_name_el="Υπουργείο Μετανάστευσης",
        publisher_name_en="Ministry of Migration",
        topics=["residence-permits"],
    )
    assert titles(client.get(LIST, {"kind": "research"})) == ["Έρευνα στέγασης"]
    # A top topic matches its subtopics; a subtopic only itself.
    assert sorted(titles(client.get(LIST, {"topic": "legal"}))) == ["Νόμος", "Οδηγός ασύλου"]
    assert titles(client.get(LIST, {"subtopic": "asylum-procedure"})) == ["Οδηγός ασύλου"]
    assert titles(client.get(LIST, {"language": "fa"})) == ["Οδηγός ασύλου"]
    assert titles(client.get(LIST, {"year": "2024"})) == ["Έρευνα στέγασης"]
    assert titles(client.get(LIST, {"publisher": "law"})) == ["Οδηγός ασύλου"]
    assert titles(client.get(LIST, {"publisher": "Ministry"})) == ["Νόμος"]
    assert titles(client.get(LIST, {"publisher": "Νομική"})) == ["Οδηγός ασύλου"]
    html = client.get(LIST).content.decode()
    assert '<option value="2024">2024</option>' in html  # the years there are


def test_malformed_filter_values_get_a_message_not_an_error(client):
    item("Οδηγός")
    for params in ({"year": "abc"}, {"year": "99999"}, {"kind": "nope"}, {"topic": "nope"}):
        response = client.get(LIST, params)
        assert response.status_code == 200
        assert 'filter-errors" role="alert"' in response.content.decode()
    assert "Choose a year like 2024." in client.get(f"/en{LIST}", {"year": "abc"}).content.decode()


def test_the_search_reads_inside_the_documents_accents_and_forms_aside(client):
    organisation = OrganisationFactory(name_el="Κοινωνική Υπηρεσία", name_en="Social Service")
    manual = item(
        "Εγχειρίδιο γλωσσικής υποστήριξης",
        organisation=organisation,
        pages=["Σελίδα πρώτη.", "Η ΔΙΕΡΜΗΝΕΙΑ στις υπηρεσίες θέλει προετοιμασία."],
    )
    item("Άλλο εγχειρίδιο", pages=["Τίποτα σχετικό."])
    assert "διερμην" not in manual.title_el + organisation.name_el and not manual.summary_el
    assert titles(client.get(LIST, {"q": "διερμηνεία"})) == [manual.title_el]
    assert titles(client.get(LIST, {"q": "διερμηνείας"})) == [manual.title_el]
    assert titles(client.get(f"/en{LIST}", {"q": "ΔΙΕΡΜΗΝΕΙΑ"})) == [manual.title_el]


def office_file(kind: str, text: str) -> bytes:
    """A minimal DOCX or ODT holding `text`."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        if kind == "odt":
            package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            package.writestr(
                "content.xml",
                '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
                'office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
                f"<office:body><office:text><text:p>{text}</text:p></office:text></office:body>"
                "</office:document-content>",
            )
        else:
            package.writestr("[Content_Types].xml", "<Types/>")
            package.writestr(
                "word/document.xml",
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                f'main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
            )
    return out.getvalue()


def form_data(**overrides) -> dict:
    return {
        "title_el": "Οδηγός για τα σχολεία",
        "title_en": "A guide to schools",
        "kind": "guide",
        "published_on": "2026-10-01",
        "topics": [Category.objects.filter(parent__slug="education").first().pk],
        "document_languages": [Language.objects.get(slug="el").pk],
        "submit": "1",
        **overrides,
    }


@pytest.fixture
def trusted_alice(client, alice, organisation):
    """alice, logged in on `client`, her organisation trusted: it publishes its services
    without review, but a member's publication in the toolbox is reviewed all the same."""
    organisation.trusted = True
    organisation.save()
    client.force_login(alice)
    return alice


@pytest.mark.parametrize(("kind", "name"), [("docx", "odigos.docx"), ("odt", "odigos.odt")])
def test_an_editor_submits_an_office_document_which_waits_for_review(
    client, send, trusted_alice, organisation, kind, name
):
    upload = SimpleUploadedFile(name, office_file(kind, "Εγγραφή στο νηπιαγωγείο"))
    response = send(client, CREATE, form_data(file=upload))  # and its reading task
    assert response.status_code == 302
    entry = ToolboxItem.objects.get()
    # Trusted or not, a member's publication is reviewed before it is public.
    assert entry.status == Status.PENDING and entry.organisation == organisation
    assert entry.file_kind == kind and entry.file.name.endswith(f".{kind}")
    assert name not in entry.file.name  # the stored name is generated
    assert "νηπιαγωγειο" in entry.search_text
    assert client.get(entry.get_absolute_url()).status_code == 404  # not public yet


def test_a_pdf_gets_its_pages_size_and_a_preview_on_upload(client, send, trusted_alice):
    content = pdf("Οδηγός", ["Πρώτη.", "Δεύτερη.", "Τρίτη."], author="x")
    response = send(client, CREATE, form_data(file=SimpleUploadedFile("o.pdf", content)))
    assert response.status_code == 302
    entry = ToolboxItem.objects.get()
    assert (entry.file_kind, entry.page_count, entry.file_size) == ("pdf", 3, len(content))
    assert entry.preview and entry.preview.read().startswith(b"\x89PNG")


def refused(client, upload, message: str):
    before = stored_files()
    response = client.post(CREATE, form_data(file=upload))
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert ToolboxItem.objects.count() == 0 and stored_files() == before
    return response


def test_a_renamed_program_is_refused_by_its_content(client, trusted_alice):
    program = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 2000
    refused(client, SimpleUploadedFile("odigos.pdf", program), "αυτό το αρχείο δεν είναι")


def test_a_damaged_pdf_and_a_zip_that_is_no_document_are_refused(client, trusted_alice):
    refused(client, SimpleUploadedFile("a.pdf", b"%PDF-1.7\n garbage"), "κατεστραμμένο")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("readme.txt", "hello")
    refused(client, SimpleUploadedFile("a.docx", archive.getvalue()), "δεν είναι")


def test_a_file_over_20_mb_is_refused_without_being_kept(client, trusted_alice):
    big = b"%PDF-1.7\n" + b"0" * (25 * 1024 * 1024)
    refused(client, SimpleUploadedFile("big.pdf", big), "μεγαλύτερο από 20 MB")


def test_an_empty_file_is_refused(client, trusted_alice):
    refused(client, SimpleUploadedFile("empty.pdf", b""), "κενό")


def test_a_name_with_markup_is_refused_and_paths_never_reach_the_disk(client, trusted_alice):
    content = pdf("Οδηγός", ["Κείμενο."], author="x")
    refused(client, SimpleUploadedFile("<script>alert(1)</script>.pdf", content), "Μετονομάστε")
    # Django keeps only the last part of a name with separators; the portal then stores
    # the file under a name of its own, inside its storage.
    response = client.post(
        CREATE, form_data(file=SimpleUploadedFile("../../../etc/odigos.pdf", content))
    )
    assert response.status_code == 302
    stored = ToolboxItem.objects.get().file.name
    assert "odigos" not in stored and ".." not in stored
    private = Path(settings.STORAGES["private"]["OPTIONS"]["location"]).resolve()
    assert all(private in path.resolve().parents for path in stored_files())


def test_a_publication_needs_a_file_or_a_link(client, trusted_alice):
    response = client.post(CREATE, form_data())
    assert "Ανεβάστε το έγγραφο, δώστε έναν σύνδεσμο προς αυτό ή και τα δύο." in str(
        response.context["form"].errors["file"]
    )
    ok = client.post(CREATE, form_data(external_url="https://example.org/odigos"))
    assert ok.status_code == 302 and ToolboxItem.objects.get().file_kind == ""


def test_a_download_is_counted_and_saved_under_a_safe_name(client):
    entry = item("Οδηγός ασύλου", slug="odigos-asylou")
    response = client.get(reverse("toolbox:download", args=[entry.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="odigos-asylou.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.get(reverse("toolbox:download", args=[entry.slug]))
    entry.refresh_from_db()
    assert entry.download_count == 2
    preview = client.get(reverse("toolbox:preview", args=[entry.slug]))
    assert preview["Content-Type"] == "image/png"


def test_moderators_see_and_fetch_unpublished_items_without_counting(client):
    entry = item("Σε αναμονή", status=Status.PENDING)
    download = reverse("toolbox:download", args=[entry.slug])
    assert client.get(download).status_code == 404
    assert client.get(entry.get_absolute_url()).status_code == 404
    staff = UserFactory(is_staff=True)
    client.force_login(staff)  # staff status alone shows nothing unpublished
    assert client.get(download).status_code == 404
    staff.groups.add(Group.objects.get(name=MODERATORS))
    client.force_login(staff)
    assert client.get(download).status_code == 200
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Προεπισκόπηση — δεν είναι δημόσια" in page and "Λήψεις" in page  # the count, for staff
    entry.refresh_from_db()
    assert entry.download_count == 0


def test_a_missing_file_is_a_friendly_404(client):
    entry = item("Χαμένο")
    entry.file.storage.delete(entry.file.name)
    response = client.get(reverse("toolbox:download", args=[entry.slug]))
    assert response.status_code == 404
    assert "Η σελίδα δεν βρέθηκε" in response.content.decode()
    assert client.get(reverse("toolbox:preview", args=[entry.slug])).status_code in (200, 404)


def test_the_list_keeps_a_constant_number_of_queries(client, django_assert_num_queries):
    item("Πρώτο", topics=["housing"], languages=["el"])
    client.get(LIST)  # the panel's choices and the years are read once, then cached
    with django_assert_num_queries(5) as one:  # the topic, count, rows, topics, languages
        client.get(LIST, {"topic": "housing"})
    queries = len(one.captured_queries)  # before the next request resets the log
    for n in range(12):
        item(f"Κι άλλο {n}", topics=["housing", "health"], languages=["el", "fa"])
    client.get(LIST)
    with django_assert_num_queries(queries):
        response = client.get(LIST, {"topic": "housing"})
    assert len(titles(response)) == 13


def test_member_profiles_list_their_publications(client):
    organisation = OrganisationFactory()
    item("Της οργάνωσης", organisation=organisation)
    item("Άλλης", organisation=OrganisationFactory())
    html = client.get(organisation.get_absolute_url()).content.decode()
    section = html.split('id="toolbox-title"')[1].split("</section>")[0]
    assert "Της οργάνωσης" in section and "Άλλης" not in section


def test_a_moderator_publishes_a_submission_and_the_export_lists_it(client, trusted_alice):
    client.post(CREATE, form_data(external_url="https://example.org/odigos"))
    entry = ToolboxItem.objects.get()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    admin_approve(client, [entry], changelist="/admin/toolbox/toolboxitem/")
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    client.logout()
    csv = client.get(LIST, {"format": "csv"}).content.decode("utf-8-sig")
    assert "Οδηγός για τα σχολεία" in csv and "https://example.org/odigos" in csv


def test_an_admin_publishes_an_item_by_an_outside_publisher(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    content = pdf("Νόμος", ["Άρθρο 1."], author="x")
    data = {
        "title_el": "Νόμος για το άσυλο",
        "kind": "legal",
        "publisher_name_el": "Υπουργείο Μετανάστευσης",
        "status": Status.PUBLISHED,
        "file": SimpleUploadedFile("nomos.pdf", content),
        "published_on": "2026-01-02",
    }
    response = client.post("/admin/toolbox/toolboxitem/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = ToolboxItem.objects.get()
    assert entry.organisation is None and entry.publisher == "Υπουργείο Μετανάστευσης"
    client.logout()
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Υπουργείο Μετανάστευσης" in page and "Λήψη" in page


def test_the_demo_has_every_kind_with_real_pdfs_searchable_inside(client):
    call_command("seed_demo", verbosity=0)
    items = ToolboxItem.objects.published()
    assert items.count() >= 15
    assert set(items.values_list("kind", flat=True)) == set(ToolboxItem.Kind.values)
    pdfs = items.filter(file_kind="pdf")
    assert pdfs.count() >= 12 and not pdfs.filter(page_count=None).exists()
    assert items.exclude(title_en="").count() == items.count()
    # "ουδετερότητα" is on the second page of one seeded PDF and nowhere else.
    found = titles(client.get(LIST, {"q": "ουδετερότητα"}))
    manual = ToolboxItem.objects.get(slug="manual-language-support")
    assert found == [manual.title_el]
    assert "ουδετερ" not in (manual.title_el + manual.summary_el + manual.summary_en).lower()


def test_a_stored_file_that_cannot_be_read_still_downloads_as_bytes(client):
    entry = item("Αλλοιωμένο")
    with entry.file.storage.open(entry.file.name, "wb") as stored:
        stored.write(b"no longer a PDF")
    entry.document_of = ""  # read again, as after a restore from a bad backup
    with TestCase.captureOnCommitCallbacks(execute=True):
        entry.save()
    entry.refresh_from_db()
    assert (entry.reading, entry.reading_error) == ("failed", "not_document")
    assert entry.file_kind == "" and entry.page_count is None
    response = client.get(reverse("toolbox:download", args=[entry.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="{entry.slug}.pdf"'
