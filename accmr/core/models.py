from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .text import normalise, search_terms, unique_slug


def name_key_field() -> str:
    """The stored sort key of names in the active language (Greek order for Greek)."""
    return "name_key_en" if (get_language() or "el").startswith("en") else "name_key_el"


def linked_to_any(model, relation: str, targets) -> Exists:
    """Rows of `model` linked to any of `targets` through the many-to-many `relation`.

    An EXISTS on the link table alone: no join to the terms and no DISTINCT over the
    entries' long columns, so filters stay cheap however many there are.
    """
    field = model._meta.get_field(relation)
    links = field.remote_field.through._default_manager.filter(
        **{field.m2m_field_name(): OuterRef("pk"), f"{field.m2m_reverse_field_name()}__in": targets}
    )
    return Exists(links)


def linked_to_tree(model, relation: str, terms) -> Exists:
    """Rows of `model` linked to any of `terms` (instances of a tree of terms) or to their
    children through `relation`: a top-level category also matches its subcategories."""
    ids = [term.pk for term in terms]
    tree = model._meta.get_field(relation).related_model.objects
    return linked_to_any(
        model, relation, tree.filter(Q(pk__in=ids) | Q(parent__in=ids)).values("pk")
    )


class SearchableQuerySet(models.QuerySet):
    """For models that keep normalised `search_text`, `name_key_el` and `name_key_en`."""

    def search(self, query: str):
        """Rows whose search text contains every word of `query`, accents and case ignored."""
        qs = self
        terms = search_terms(query)
        for term in terms:
            qs = qs.filter(search_text__contains=term)
        if qs is not self:
            qs.query.text_search = terms  # kept by clones (Query.clone copies __dict__)
        return qs

    def by_name(self):
        """Alphabetical in the active language (under a text search, name matches first).

        Under a text search the sort key is wrapped in an expression no index serves: the
        few matches are then found through the trigram index and sorted, instead of
        walking the whole name index for them (56 ms → 8 ms at 20,000 services).
        """
        key = name_key_field()
        if terms := getattr(self.query, "text_search", None):
            # Entries whose name holds every word searched for come first.
            in_name = Q(*(Q(name_key_el__contains=t) for t in terms)) | Q(
                *(Q(name_key_en__contains=t) for t in terms)
            )
            named = Case(When(in_name, then=Value(0)), default=Value(1))
            return self.order_by(named, Concat(F(key), Value("")), "id")
        return self.order_by(key, "id")


class Searchable(models.Model):
    """Keeps, in the row, normalised search text and per-language sort keys of the title.

    The title is the translated field named by `title_field` ("name" for organisations
    and services, "title" for activities and posts); the sort keys keep the name
    `name_key_*` whatever it is. A subclass with a `slug` field gets one made from the
    title. Subclasses list the texts to search in `search_parts()`; rows made with
    bulk_create must call refresh_keys() themselves.
    """

    title_field = "name"

    search_text = models.TextField(editable=False, default="")
    name_key_el = models.CharField(max_length=200, editable=False, default="")
    name_key_en = models.CharField(max_length=200, editable=False, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        title_el, title_en = self.titles()
        if hasattr(self, "slug") and not self.slug:
            slug_field = self._meta.get_field("slug")
            self.slug = unique_slug(
                type(self), title_en or title_el, max_length=slug_field.max_length
            )
        self.refresh_keys()
        super().save(*args, **kwargs)

    def titles(self) -> tuple[str, str]:
        """The title in Greek and in English (empty if not translated)."""
        return (
            getattr(self, f"{self.title_field}_el") or "",
            getattr(self, f"{self.title_field}_en") or "",
        )

    def search_parts(self) -> list[str]:
        raise NotImplementedError

    def refresh_keys(self) -> None:
        title_el, title_en = self.titles()
        self.search_text = normalise(" ".join(filter(None, self.search_parts())))
        self.name_key_el = normalise(title_el or title_en)[:200]
        self.name_key_en = normalise(title_en or title_el)[:200]


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    ARCHIVED = "archived", _("Archived")


class Reviewed(models.Model):
    """A moderator's decision on something: who decided, when, and why (if rejected)."""

    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(
        _("review note"),
        blank=True,
        help_text=_("Why an entry was rejected, shown to its editors."),
    )

    class Meta:
        abstract = True

    def record_review(self, *, by, note: str = "") -> None:
        """Set who decided and why (the caller sets the outcome and saves)."""
        self.reviewed_by, self.reviewed_at, self.review_note = by, timezone.now(), note


class Moderated(Reviewed, TimeStamped):
    """A public entry: only published rows are shown to visitors; nothing is hard-deleted."""

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When it last went to review: the statistics time moderation from here to reviewed_at.
    submitted_at = models.DateTimeField(
        _("submitted for review"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def mark_reviewed(self, *, status: str, by, note: str = "") -> None:
        """Set the status and review fields for a moderator's decision (the caller saves)."""
        self.status = status
        self.record_review(by=by, note=note)
        if status == Status.PUBLISHED and self.published_at is None:
            self.published_at = self.reviewed_at


class Page(TimeStamped):
    """A static page (about, user guide, privacy) that admins edit in both languages."""

    slug = models.SlugField(
        _("slug"), unique=True, help_text=_("The page's address; never change it once linked.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"), help_text=_("Plain text; a blank line starts a new paragraph.")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = _("static page")
        verbose_name_plural = _("static pages")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("page", args=[self.slug])


class AuditEntry(models.Model):
    """One change to a public entry: who, when, what (field → [before, after])."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        CHANGE_PROPOSED = "change_proposed", _("Change proposed")
        CHANGE_APPROVED = "change_approved", _("Change approved")
        CHANGE_REJECTED = "change_rejected", _("Change rejected")
        STATUS = "status", _("Status changed")
        VERIFIED = "verified", _("Confirmed accurate")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit history")
        indexes = [
            # The history of one entry, newest first (admin inline).
            models.Index(fields=["content_type", "object_id", "-at"], name="audit_by_entry"),
        ]

    def __str__(self):
        # Athens time, as the admin shows the rows this heads (`at` is stored in UTC).
        return f"{self.get_action_display()} – {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


class ChangeSetQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=ChangeSet.State.PENDING)

    def for_entry(self, entry):
        return self.filter(
            content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
        )

    def waiting_for(self, entry) -> "ChangeSet | None":
        """The change waiting for review on `entry`, if any (at most one, by constraint)."""
        return self.for_entry(entry).pending().select_related("submitted_by").first()


class ChangeSet(Reviewed):
    """An edit to a published entry, waiting for a moderator while the approved version
    stays public. `data` maps field names to proposed values (see accmr.core.changes)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("proposed values"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = ChangeSetQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(state="pending"),
                name="one_pending_change_per_entry",
            )
        ]

    def __str__(self):
        return str(self.entry)


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def for_entry(self, entry):
        return self.filter(
            content_type=ContentType.objects.get_for_model(entry), object_id=entry.pk
        )


class Report(models.Model):
    """A visitor's "something is wrong with this entry", for its editors and the
    moderators, listed in the admin until someone marks it resolved."""

    class Problem(models.TextChoices):
        CONTACT = "contact", _("The phone, e-mail or website is wrong")
        ADDRESS = "address", _("The address or the map is wrong")
        HOURS = "hours", _("The days or hours are wrong")
        DETAILS = "details", _("Who it is for, the cost or the languages are wrong")
        CLOSED = "closed", _("It no longer exists")
        OTHER = "other", _("Something else")

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of entry"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    entry = GenericForeignKey("content_type", "object_id")
    problem = models.CharField(_("what is wrong"), max_length=10, choices=Problem.choices)
    message = models.TextField(_("details"), max_length=2000)
    email = models.EmailField(_("e-mail for a reply"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="el", editable=False)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution_note = models.TextField(
        _("what was done"),
        blank=True,
        max_length=2000,
        help_text=_("Kept for the moderators; never sent to the reporter."),
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="report_by_entry"),
            models.Index(
                fields=["-created_at"],
                condition=models.Q(resolved_at__isnull=True),
                name="open_reports",
            ),
        ]

    def __str__(self):
        return f"{self.get_problem_display()} – {self.entry}"


class OutgoingMail(models.Model):
    """One e-mail, rendered in its recipients' language when it was asked for and
    delivered by a task (accmr.core.tasks.deliver_mail), which tries again with growing
    waits; one that still fails waits in the admin for staff to send it again.

    The body is emptied once sent (nothing reads it again: it may hold a sign-in link),
    and sent rows are purged after a month (accmr.core.tasks.retry_mail).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipients = models.JSONField(_("recipients"), default=list)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tries"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    # When the next try may start: a retry's wait, or a running try's lease (a try that
    # outlives it died with its worker). Tasks claim a row by this (deliver_mail).
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            # retry_mail: the waiting rows past their time; the state also narrows the
            # purge to the sent rows.
            models.Index(fields=["state", "next_try_at"], name="mail_by_state"),
        ]

    def __str__(self):
        return self.subject


class JobRun(models.Model):
    """When a periodic job (accmr.core.periodic) last ran and how it ended: one row a job.

    `manage.py run_periodic` creates the row the first time it sees the job and claims a
    run by a conditional UPDATE of it, so two timers on two machines never run one job at
    the same time; /healthz/ and the admin's front page read it for overdue jobs.
    """

    name = models.CharField(_("job"), max_length=64, unique=True)
    # The first run_periodic that saw the job: a job never run is overdue from here.
    created_at = models.DateTimeField(_("first seen"), default=timezone.now)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_succeeded_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    last_ok = models.BooleanField(_("last run succeeded"), null=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    last_result = models.CharField(_("last result"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self):
        return self.name
