"""The toolbox: guides, manuals, research and information material from the network, each
a file (checked on upload, then read by a task: type, pages, text, preview) and/or a link."""

from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accmr.core.models import Searchable, Status
from accmr.core.uploads import PRIVATE, UploadStorage, generated_name
from accmr.members.models import PUBLIC_OWNER, Organisation, OwnedEntry, OwnedEntryQuerySet
from accmr.taxonomy.models import Category, Language, top_categories

from . import documents


def document_path(item, filename: str) -> str:
    """Documents stay in the private storage and are served by the portal (counted, with
    a safe name), so a deployment's proxy never serves them as they are."""
    return f"{PRIVATE}toolbox/{generated_name(filename.rsplit('.', 1)[-1])}"


def _unprefixed(name: str | None) -> str:
    """A file's name wherever it is kept (an approved change once moved it out of private;
    older rows may still name a public file)."""
    return (name or "").removeprefix(PRIVATE)


class ToolboxQuerySet(OwnedEntryQuerySet):
    def for_detail(self):
        """What an item's page shows: its publisher, topics and languages (not the
        document's extracted text, which only search reads)."""
        return (
            self.select_related("organisation")
            .prefetch_related("topics__parent", "document_languages")
            .defer("document_text")
        )

    def published(self):
        """Public: published, and the publishing member (if any) approved and not a
        private individual."""
        return self.filter(status=Status.PUBLISHED).filter(
            Q(organisation__isnull=True) | PUBLIC_OWNER
        )

    def for_listing(self):
        return (
            self.select_related("organisation")
            .defer("search_text", "document_text", "description_el", "description_en")
            .prefetch_related(
                models.Prefetch("topics", queryset=Category.objects.select_related("parent")),
                "document_languages",
            )
        )

    def newest(self):
        return self.order_by(F("published_on").desc(nulls_last=True), "-id")


class ToolboxItem(Searchable, OwnedEntry):
    """A publication. Its publisher is the member that shares it, or a free-text name
    (an admin's item from outside the network has no member)."""

    class Kind(models.TextChoices):
        RESEARCH = "research", _("Research or survey")
        GUIDE = "guide", _("Guide")
        MANUAL = "manual", _("Manual")
        INFORMATION = "information", _("Information material")
        REPORT = "report", _("Policy paper or report")
        LEGAL = "legal", _("Legal text")
        TEMPLATE = "template", _("Template or tool")

    title_field = "title"

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("member organisation"),
        on_delete=models.PROTECT,
        related_name="toolbox",
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=220, unique=True, blank=True)
    summary = models.CharField(_("summary"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    topics = models.ManyToManyField(Category, verbose_name=_("topics"), blank=True)
    document_languages = models.ManyToManyField(
        Language, verbose_name=_("languages of the document"), blank=True
    )
    publisher_name = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("If someone other than the member organisation published it."),
    )
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    file = models.FileField(
        _("file"), upload_to=document_path, storage=UploadStorage(), max_length=200, blank=True
    )
    external_url = models.URLField(_("link"), blank=True)

    class Reading(models.TextChoices):
        NONE = "", _("no file")
        PENDING = "pending", _("being processed")
        DONE = "done", _("read")
        FAILED = "failed", _("could not be read")

    # Read from the file when it changes, by a task (see save()): what the download button
    # says, the text the search finds, and the first page's picture.
    reading = models.CharField(
        _("reading of the file"),
        max_length=8,
        choices=Reading.choices,
        default=Reading.NONE,
        editable=False,
        blank=True,
    )
    # Why it could not be read: a key of documents.REFUSALS.
    reading_error = models.CharField(max_length=20, editable=False, blank=True)
    file_kind = models.CharField(
        _("file type"),
        max_length=8,
        choices=[(k, v[0]) for k, v in documents.KINDS.items()],
        editable=False,
        blank=True,
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), editable=False, null=True)
    page_count = models.PositiveIntegerField(_("pages"), editable=False, null=True)
    document_text = models.TextField(editable=False, blank=True)
    preview = models.ImageField(
        upload_to=document_path, storage=UploadStorage(), max_length=200, editable=False, blank=True
    )
    document_of = models.CharField(max_length=200, editable=False, blank=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    objects = ToolboxQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("toolbox item")
        verbose_name_plural = _("toolbox")
        indexes = [models.Index(fields=["status", "published_on"], name="toolbox_newest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(external_url=""),
                name="toolbox_file_or_link",
                violation_error_message=_("Give a file, a link, or both."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(publisher_name_el=""),
                name="toolbox_has_a_publisher",
                violation_error_message=_("Name the publisher."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("toolbox:detail", args=[self.slug])

    @property
    def publisher(self) -> str:
        return self.publisher_name or (self.organisation.name if self.organisation_id else "")

    @property
    def file_label(self) -> str:
        return self.get_file_kind_display()

    @property
    def external_site(self) -> str:
        """The link's site as people say it: "migration.gov.gr"."""
        return (
            urlsplit(self.external_url).hostname.removeprefix("www.") if self.external_url else ""
        )

    @property
    def download_name(self) -> str:
        """The name a download is saved under: the item's slug, never the uploader's (a
        stored file that could not be read keeps the extension it was stored with)."""
        known = documents.KINDS.get(self.file_kind)
        extension = known[1] if known else self.file.name.rsplit(".", 1)[-1]
        return f"{self.slug}.{extension}"

    @property
    def content_type(self) -> str:
        known = documents.KINDS.get(self.file_kind)
        return known[2] if known else "application/octet-stream"

    @property
    def top_topics(self) -> list[Category]:
        return top_categories(self.topics.all())

    @property
    def reading_problem(self) -> str:
        """Why the file could not be read, as the upload form would have said it."""
        if self.reading != self.Reading.FAILED:
            return ""
        return documents.REFUSALS.get(self.reading_error, documents.NOT_A_DOCUMENT)

    def save(self, *args, **kwargs):
        document = None
        if self.file and not self.file._committed:
            # Stored now, under its generated name, so that its task finds it.
            document = getattr(self.file.file, "document", None)
            self.file.save(self.file.name, self.file.file, save=False)
        to_read = ""
        if _unprefixed(self.file.name) != _unprefixed(self.document_of):
            self.forget_document()
            if document is not None:
                self.describe(document)  # read already, by the portal itself (the demo)
            elif self.file:
                self.reading, to_read = self.Reading.PENDING, self.file.name
        # toolbox.tasks queues the reading on post_save, with the row; the task reads the
        # file only if it is still this one.
        self._to_read = to_read
        super().save(*args, **kwargs)

    def forget_document(self) -> None:
        """Describe the file just attached (or its removal) by its size only, until read."""
        self.document_of = self.file.name or ""
        self.file_kind, self.file_size, self.page_count, self.document_text = "", None, None, ""
        self.preview = None
        self.reading, self.reading_error = self.Reading.NONE, ""
        if self.file:
            self.file_size = self.file.size

    def awaits_reading(self, name: str) -> bool:
        """Whether the stored file is still `name` (wherever it is kept), of the size it
        was stored with, and not read yet: what a reading task checks before and after."""
        if self.reading != self.Reading.PENDING or not self.file:
            return False
        if _unprefixed(self.file.name) != _unprefixed(name):
            return False
        try:
            return self.file.size == self.file_size
        except OSError:  # gone from storage: nothing to read, and nothing to report
            return False

    def describe(self, document: "documents.Document") -> None:
        """What was read from the file: its type, pages, text and first page's picture."""
        self.file_kind, self.page_count = document.kind, document.pages
        self.document_text = document.text
        if document.preview:
            self.preview.save("preview.png", ContentFile(document.preview), save=False)
        self.reading, self.reading_error = self.Reading.DONE, ""

    def could_not_read(self, reason: str) -> None:
        """The file stays, described by its size only; its editors see `reason`."""
        self.reading, self.reading_error = self.Reading.FAILED, reason

    def search_parts(self) -> list[str]:
        parts = [self.title_el, self.title_en, self.summary_el, self.summary_en]
        parts += [self.description_el, self.description_en]
        parts += [self.publisher_name_el, self.publisher_name_en, self.document_text]
        if self.organisation_id:
            parts += [self.organisation.name_el, self.organisation.name_en]
        return [p for p in parts if p]
