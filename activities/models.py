"""Activities: what organisations run in the city (workshops, info sessions, language
cafés, cultural and sports events), each with one or more dated sessions."""

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accmr.core.models import Searchable, linked_to_tree
from accmr.members.models import OwnedEntry, OwnedEntryQuerySet
from accmr.taxonomy.models import (
    ActivityType,
    Category,
    Language,
    Located,
    SupportType,
    TargetGroup,
    top_categories,
)


class ActivityQuerySet(OwnedEntryQuerySet):
    def for_detail(self):
        """What an activity's page and calendar file show: organiser, terms, sessions."""
        return self.select_related("organisation", "activity_type", "district").prefetch_related(
            "categories",
            "target_groups",
            "languages",
            "support_wanted",
            models.Prefetch("sessions", queryset=Session.objects.select_related("district")),
        )

    def with_sessions(self, sessions) -> "ActivityQuerySet":
        """Activities with at least one of `sessions` (a Session QuerySet, unevaluated)."""
        return self.filter(Exists(sessions.filter(activity=OuterRef("pk"))))

    def upcoming(self, moment=None):
        """Not over: a session ends at or after `moment` (now)."""
        return self.with_sessions(Session.objects.filter(ends__gte=moment or timezone.now()))

    def past(self, moment=None):
        """Over: it had sessions and none ends at or after `moment` (now)."""
        return self.exclude(
            Exists(
                Session.objects.filter(activity=OuterRef("pk"), ends__gte=moment or timezone.now())
            )
        ).with_sessions(Session.objects.all())

    def asking_for_support(self, types=()):
        """Activities that would welcome support, of one of `types` (or their children)
        if given: what the support board lists beside its posts."""
        wanted = Activity.support_wanted.through.objects.filter(activity_id=OuterRef("pk"))
        asking = self.filter(Exists(wanted))
        if types:
            asking = asking.filter(linked_to_tree(Activity, "support_wanted", types))
        return asking

    def for_listing(self):
        """A card's columns, the next session's start (for the date groups) and the
        sessions and categories prefetched: a fixed number of queries per page."""
        next_start = Session.objects.filter(
            activity=OuterRef("pk"), ends__gte=timezone.now()
        ).order_by("starts")
        last_start = Session.objects.filter(activity=OuterRef("pk")).order_by("-starts")
        return (
            self.select_related("organisation", "activity_type", "district")
            .defer("search_text", "description_el", "description_en")
            .annotate(
                next_start=Subquery(next_start.values("starts")[:1]),
                last_start=Subquery(last_start.values("starts")[:1]),
            )
            .prefetch_related(
                models.Prefetch("categories", queryset=Category.objects.select_related("parent")),
                models.Prefetch("sessions", queryset=Session.objects.select_related("district")),
            )
        )

    def by_date(self):
        """Soonest first; activities that are over after them, the most recent first."""
        return self.order_by(
            F("next_start").asc(nulls_last=True), F("last_start").desc(nulls_last=True), "id"
        )


class Activity(Searchable, Located, OwnedEntry):
    """An activity with its sessions; its own place is the sessions' default."""

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        PAID = "paid", _("Paid")

    title_field = "title"

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=220, unique=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity type"), on_delete=models.PROTECT, related_name="+"
    )
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True)
    target_groups = models.ManyToManyField(TargetGroup, verbose_name=_("target groups"), blank=True)
    languages = models.ManyToManyField(Language, verbose_name=_("languages"), blank=True)
    cost = models.CharField(_("cost"), max_length=8, choices=Cost.choices, default=Cost.FREE)
    registration_url = models.URLField(_("registration link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    support_wanted = models.ManyToManyField(
        SupportType,
        verbose_name=_("support it would welcome"),
        blank=True,
        help_text=_("Shown on the activity, and on the support board once it exists."),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["name_key_el", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [*Located.Meta.constraints]
        indexes = [models.Index(fields=["status", "name_key_el"], name="activity_list_el")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.slug])

    @property
    def shown_session(self) -> "Session | None":
        """The next session, or the last one once it is over (from prefetched rows)."""
        if self.upcoming_sessions:
            return self.upcoming_sessions[0]
        return self.past_sessions[-1] if self.past_sessions else None

    @cached_property
    def _coming_and_past(self) -> tuple[list["Session"], list["Session"]]:
        """The sessions not over yet and those over, each soonest first, as of one moment
        (from prefetched rows)."""
        now = timezone.now()
        ordered = sorted(self.sessions.all(), key=lambda s: s.starts)
        return [s for s in ordered if s.ends >= now], [s for s in ordered if s.ends < now]

    @property
    def upcoming_sessions(self) -> list["Session"]:
        return self._coming_and_past[0]

    @property
    def past_sessions(self) -> list["Session"]:
        return self._coming_and_past[1]

    @property
    def shared_place(self) -> "Located | None":
        """The activity's own place when every session is there (said once, not per
        session); None when a session is online or elsewhere."""
        sessions = self.sessions.all()
        if sessions and all(not s.online and s.place is self for s in sessions):
            return self
        return None

    @property
    def day_key(self):
        return timezone.localtime(self.shown_session.starts).date() if self.shown_session else None

    @property
    def day_label(self) -> str:
        return date_format(self.day_key, "l j E Y") if self.day_key else ""  # E: "1 Δεκεμβρίου"

    @property
    def top_categories(self) -> list[Category]:
        return top_categories(self.categories.all())

    def search_parts(self) -> list[str]:
        parts = [self.title_el, self.title_en, self.summary_el, self.summary_en]
        parts += [self.description_el, self.description_en]
        if self.organisation_id:
            parts += [self.organisation.name_el, self.organisation.name_en]
        if self.district_id:
            parts += [self.district.name_el, self.district.name_en]
            parts += [self.district.neighbourhoods_el, self.district.neighbourhoods_en]
        return [p for p in parts if p]


class Session(Located):
    """One date of an activity: in person (its own place or the activity's) or online."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    online_url = models.URLField(_("online link"), blank=True)

    class Meta(Located.Meta):
        ordering = ["starts", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["activity", "ends"], name="session_by_activity"),
            models.Index(fields=["starts", "ends"], name="session_dates"),
        ]
        constraints = [
            *Located.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="session_ends_after_it_starts",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts):%d/%m/%Y %H:%M}"

    @property
    def online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_past(self) -> bool:
        return self.ends < timezone.now()

    @property
    def place(self) -> Located:
        """Where it happens: its own address, or else the activity's."""
        if self.address or self.district_id or self.has_point:
            return self
        return self.activity
