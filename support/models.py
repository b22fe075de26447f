"""The support board: offers and requests of help (goods, know-how, volunteers, money,
space) from members and supporters, answered through relayed conversations so that no
one's address is ever shown."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accmr.core.models import Searchable, Status, linked_to_any
from accmr.members.models import Organisation, OwnedEntry, OwnedEntryQuerySet
from accmr.taxonomy.models import District, Language, SupportType

CONVERSATION_SALT = "support.conversation"


def default_expiry():
    return timezone.localdate() + timedelta(days=settings.SUPPORT_POST_DAYS)


# Urgent posts sort before the others (the board's default order, and the matches').
URGENT_FIRST = Case(When(urgency="urgent", then=Value(0)), default=Value(1))


class SupportPostQuerySet(OwnedEntryQuerySet):
    def for_detail(self):
        """The post with what its page and its matching read: types (with their parents)
        and languages."""
        return self.select_related("organisation__actor_type", "district").prefetch_related(
            models.Prefetch("support_types", queryset=SupportType.objects.select_related("parent")),
            "languages",
        )

    def published(self):
        """Published by any approved account, a private individual's included: the
        board's relay keeps every poster's contact private."""
        return self.filter(
            status=Status.PUBLISHED, organisation__approval=Organisation.Approval.APPROVED
        )

    def on_board(self, today=None):
        """Still wanted or on offer: open or in progress, and not past its date (even
        before the nightly expire_support_posts has marked it)."""
        return self.filter(
            state__in=SupportPost.ON_BOARD, expires_on__gte=today or timezone.localdate()
        )

    def for_listing(self):
        """A card's columns, its poster, its support types and its languages: three
        queries a page."""
        return (
            self.select_related("organisation__actor_type", "district")
            .defer("search_text", "description_el", "description_en")
            .prefetch_related(
                models.Prefetch(
                    "support_types", queryset=SupportType.objects.select_related("parent")
                ),
                "languages",
            )
        )

    def for_dashboard(self):
        """With each post's number of conversations and of those awaiting an answer (a
        reply whose sender has not confirmed the address is not one yet)."""
        confirmed = Q(conversations__confirmed_at__isnull=False)
        return self.annotate(
            conversation_count=Count("conversations", filter=confirmed),
            awaiting_count=Count(
                "conversations", filter=confirmed & Q(conversations__awaiting_poster=True)
            ),
        )

    def off_board(self, today=None):
        """Posts that were published once and are not on the public board now, whatever
        took them off it (the purge of their replies counts from when they left)."""
        on_board = self.model.objects.published().on_board(today)
        return self.filter(published_at__isnull=False).exclude(pk__in=on_board.values("pk"))

    def newest(self):
        return self.order_by("-published_at", "-id")

    def most_urgent(self):
        """Urgent first, then the newest."""
        return self.order_by(
            URGENT_FIRST,
            "-published_at",
            "-id",
        )

    def ending_soon(self):
        return self.order_by("expires_on", "-id")

    def matching(self, post: "SupportPost"):
        """Public posts on the board of the other kind that want or give the same support
        (a type matches its parent and its children), from someone else; those in the
        same district first, then the urgent, then the newest (two queries: the terms,
        unless prefetched, then the posts).

        Where both sides' types are about a language (interpretation), they match only if
        the posts share a language: a Somali request is not a Farsi offer's match."""
        offer, request = SupportPost.Kind.OFFER, SupportPost.Kind.REQUEST
        other = request if post.kind == offer else offer
        types = list(post.support_types.all())
        plain = [t for t in types if not t.needs_language]
        about_language = [t for t in types if t.needs_language]
        wanted = Q(pk__in=[])  # nothing, until a type says what
        if plain:
            wanted |= linked_to_any(SupportPost, "support_types", _near(plain))
        if about_language:
            near = _near(about_language)
            # Its parent ("in-kind – any kind") is not about a language: matched as before.
            wanted |= linked_to_any(SupportPost, "support_types", near.filter(needs_language=False))
            spoken = SupportPost.languages.through.objects.filter(supportpost_id=post.pk)
            wanted |= linked_to_any(
                SupportPost, "support_types", near.filter(needs_language=True)
            ) & linked_to_any(SupportPost, "languages", spoken.values("language_id"))
        same_district = Case(
            When(district_id=post.district_id, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            self.published()
            .on_board()
            .filter(kind=other)
            .filter(wanted)
            .exclude(organisation_id=post.organisation_id)
            .order_by(same_district, URGENT_FIRST, "-published_at", "-id")
        )


def _near(types: list[SupportType]):
    """The ids of `types`, of their children and of their parents (a subquery)."""
    ids = [t.pk for t in types]
    parents = [t.parent_id for t in types if t.parent_id]
    return SupportType.objects.filter(Q(pk__in=ids) | Q(parent__in=ids) | Q(pk__in=parents))


class SupportPost(Searchable, OwnedEntry):
    """An offer or a request of support. Moderation (status) decides whether it is public;
    its own lifecycle (state) says whether it is still wanted or on offer."""

    class Kind(models.TextChoices):
        REQUEST = "request", pgettext_lazy("support post", "Request")
        OFFER = "offer", pgettext_lazy("support post", "Offer")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("support post", "Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("support post", "In progress")
        FULFILLED = "fulfilled", pgettext_lazy("support post", "Fulfilled")
        CLOSED = "closed", pgettext_lazy("support post", "Closed")
        EXPIRED = "expired", pgettext_lazy("support post", "Expired")

    ON_BOARD = (State.OPEN, State.IN_PROGRESS)
    # The states a poster may choose from the dashboard (expired is the date's doing).
    CHOSEN = (State.OPEN, State.IN_PROGRESS, State.FULFILLED, State.CLOSED)

    title_field = "title"

    kind = models.CharField(_("offer or request"), max_length=8, choices=Kind.choices)
    # Either language will do (a supporter may write only English): see Meta.constraints.
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "What is needed or offered, when and where. Do not write phone numbers or e-mail "
            "addresses: replies reach you through the portal."
        ),
    )
    support_types = models.ManyToManyField(
        SupportType, verbose_name=_("kind of support"), related_name="+"
    )
    languages = models.ManyToManyField(
        Language,
        verbose_name=_("languages"),
        blank=True,
        related_name="+",
        help_text=_(
            "For interpretation or translation: the languages asked for or offered. Posts "
            "are matched only with posts that share one."
        ),
    )
    quantity = models.CharField(
        _("quantity"),
        max_length=120,
        blank=True,
        help_text=_("For example “40 blankets” or “2 volunteers on Saturdays”."),
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("municipal district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Choose “Anywhere in Athens” if it does not matter where."),
    )
    urgency = models.CharField(
        _("how urgent"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    expires_on = models.DateField(
        _("on the board until"),
        default=default_expiry,
        help_text=_(
            "The post leaves the board after this day (30 days from today unless you change it)."
        ),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.OPEN, db_index=True
    )
    closed_at = models.DateTimeField(
        _("left the board"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When it last left the board (fulfilled, closed, expired, rejected, archived…); "
            "replies' personal data are removed a set time after."
        ),
    )
    notify_matches = models.BooleanField(
        _("e-mail me about matching posts"),
        default=False,
        help_text=_("When someone publishes a post of the other kind for the same support."),
    )

    objects = SupportPostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("support post")
        verbose_name_plural = _("support posts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_el="") | ~Q(title_en=""),
                name="support_post_has_a_title",
                violation_error_message=_("Give the post a title in Greek or in English."),
            ),
        ]
        indexes = [
            # The board: public posts still on it, newest first.
            models.Index(
                fields=["status", "state", "expires_on", "-published_at"], name="support_board"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # However a post leaves the board (closed, expired, rejected, archived, back to
        # draft), the purge's clock starts then; it stops if the post comes back.
        # Leaving without a save of the post (a suspension) is the purge's to notice.
        if self.takes_replies or self.published_at is None:
            self.closed_at = None
        else:
            self.closed_at = self.closed_at or timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "closed_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("support:detail", args=[self.pk])

    @property
    def is_on_board(self) -> bool:
        return self.state in self.ON_BOARD and self.expires_on >= timezone.localdate()

    @property
    def takes_replies(self) -> bool:
        """On the public board: published, its poster approved, and still on."""
        return self.is_published and self.is_on_board and self.organisation.is_approved

    @property
    def shown_state(self) -> str:
        """The state as visitors should read it: past its date is expired, marked or not."""
        if self.state in self.ON_BOARD and self.expires_on < timezone.localdate():
            return self.State.EXPIRED
        return self.state

    def get_shown_state_display(self) -> str:
        return self.State(self.shown_state).label

    @property
    def has_lifecycle(self) -> bool:
        """Whether its state (open, in progress…) means anything: only once published.
        A draft, a post waiting for review, a rejected or an archived one is shown by its
        moderation status instead, and offers no state to change."""
        return self.status == Status.PUBLISHED

    @property
    def poster(self) -> str:
        return self.organisation.public_name

    def search_parts(self) -> list[str]:
        parts = [self.title_el, self.title_en, self.description_el, self.description_en]
        parts += [self.quantity]
        if not self.organisation.is_private_individual:
            parts += [self.organisation.name_el, self.organisation.name_en]
        return [p for p in parts if p]

    def dashboard_notes(self) -> list[str]:
        # The dashboard's group already says "Rejected" or "Pending review".
        notes = [self.get_shown_state_display()] if self.has_lifecycle else []
        if self.urgency == self.Urgency.URGENT:
            notes.append(self.get_urgency_display())
        return notes


class ConversationQuerySet(models.QuerySet):
    def confirmed(self):
        """Relayed: their sender proved the address is theirs."""
        return self.filter(confirmed_at__isnull=False)

    def lapsed(self, now=None):
        """Replies never confirmed within SUPPORT_CONFIRM_DAYS: never relayed, to delete."""
        since = (now or timezone.now()) - timedelta(days=settings.SUPPORT_CONFIRM_DAYS)
        return self.filter(confirmed_at__isnull=True, started_at__lt=since)

    def with_messages(self):
        return self.prefetch_related(
            models.Prefetch("messages", queryset=Message.objects.order_by("sent_at", "id"))
        )


class Conversation(models.Model):
    """Someone's reply to a post and what follows, relayed by e-mail both ways. The
    replier reads and answers through a signed link; the poster through the dashboard.

    Nothing is relayed until the replier opens the mailed link and confirms: the portal
    never mails what a stranger typed to an address nobody has shown to be theirs, and
    the mail with the link carries none of it."""

    post = models.ForeignKey(
        SupportPost,
        verbose_name=_("post"),
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=5, default="el", editable=False)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)
    awaiting_poster = models.BooleanField(
        _("awaiting the poster's answer"), default=True, editable=False
    )
    purged_at = models.DateTimeField(
        _("personal data removed"), null=True, blank=True, editable=False
    )
    confirmed_at = models.DateTimeField(
        _("address confirmed"), null=True, blank=True, editable=False
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_message_at", "-id"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self):
        return f"{self.post} – {self.name or '…'}"

    def get_absolute_url(self) -> str:
        """The conversation's page, which only a browser that opened a link reads."""
        return reverse("support:conversation", args=[self.pk])

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def has_lapsed(self) -> bool:
        """Never confirmed within SUPPORT_CONFIRM_DAYS (see ConversationQuerySet.lapsed)."""
        since = timezone.now() - timedelta(days=settings.SUPPORT_CONFIRM_DAYS)
        return not self.is_confirmed and self.started_at < since

    def token(self) -> str:
        """The replier's link to the conversation: signed, so it cannot be guessed, and
        dated, so it expires."""
        return signing.dumps(self.pk, salt=CONVERSATION_SALT)

    def get_replier_url(self) -> str:
        """The mailed link, exchanged on opening for this browser's session."""
        return reverse("support:conversation_link", args=[self.token()])

    @staticmethod
    def read_token(token: str) -> tuple[int | None, bool]:
        """The conversation a replier's link names (None if forged) and whether the link
        is still fresh (mailed less than SUPPORT_LINK_DAYS ago)."""
        try:
            pk = signing.loads(token, salt=CONVERSATION_SALT)
        except signing.BadSignature:
            return None, False
        if type(pk) is not int:
            return None, False
        try:
            age = timedelta(days=settings.SUPPORT_LINK_DAYS)
            signing.loads(token, salt=CONVERSATION_SALT, max_age=age)
        except signing.SignatureExpired:
            return pk, False
        return pk, True


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    from_poster = models.BooleanField(_("from the poster"), default=False)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.conversation} – {self.sent_at:%Y-%m-%d %H:%M}"
