from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accmr.core.models import Moderated, Searchable, SearchableQuerySet, Status, TimeStamped
from accmr.core.text import normalise, search_terms
from accmr.core.uploads import UploadStorage, upload_path
from accmr.taxonomy.models import ActorType, Category, Located

# The actor types a supporter account can have (DESIGN §4).
INDIVIDUAL, PRIVATE_SECTOR = "individual", "private-sector"
INDIVIDUALS_ARE_SUPPORTERS = _(
    "A private individual cannot be a member organisation: members publish their contact "
    "details. A person who wants to help creates a supporter account and posts on the "
    "support board, where replies are relayed and their details are never shown."
)


def member_actor_types():
    """The actor types a member can have, for filters and registration: every active one
    but «Ιδιώτης» (a private person is a supporter, never a member)."""
    return ActorType.objects.active().exclude(slug=INDIVIDUAL)


def logo_path(organisation, filename: str) -> str:
    """A logo is public once its organisation is approved; until then it is private."""
    return upload_path("logos", filename, public=organisation.is_approved)


class OrganisationQuerySet(SearchableQuerySet):
    def approved(self):
        return self.filter(approval=Organisation.Approval.APPROVED)

    def members(self):
        """The approved member organisations: the directory, profiles and type-aheads
        (supporters' light accounts are not members and are never listed, nor is a
        private individual that an older registration or an admin made a member)."""
        return self.approved().filter(is_supporter=False).exclude(actor_type__slug=INDIVIDUAL)

    def named(self, name: str):
        """Organisations whose name in either language is `name`, accents and case ignored."""
        key = normalise(name)
        return self.filter(Q(name_key_el=key) | Q(name_key_en=key))

    def name_contains(self, text: str):
        """Organisations whose name (either language) holds every word of `text`."""
        qs = self
        for term in search_terms(text):
            qs = qs.filter(Q(name_key_el__contains=term) | Q(name_key_en__contains=term))
        return qs

    def for_listing(self):
        """Optimised for the members directory: one query for rows, one for activity fields."""
        return self.select_related("actor_type", "district").prefetch_related("activity_fields")


# Whose entries the public may see: an approved member's, and never a private person's.
# Individuals help through the support board, where the relay keeps their contact
# private; a services directory would publish their name, street, phone and e-mail.
PUBLIC_OWNER = Q(organisation__approval="approved") & ~Q(organisation__actor_type__slug=INDIVIDUAL)


class OwnedEntryQuerySet(SearchableQuerySet):
    """What the kit asks of every entry type's rows; a type narrows or widens them."""

    def published(self):
        """Visible to the public: published, by an approved member that is not a private
        individual (see PUBLIC_OWNER)."""
        return self.filter(PUBLIC_OWNER, status=Status.PUBLISHED)

    def for_listing(self):
        """What a list's cards read."""
        return self.select_related("organisation")

    def for_detail(self):
        """What an entry's page reads."""
        return self.select_related("organisation")

    def for_dashboard(self):
        """What the dashboard shows beside each of an organisation's entries."""
        return self


class Organisation(Searchable, Located, TimeStamped):
    """A member organisation (or a supporter's light account) that publishes entries."""

    class Approval(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Registration rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The profile's web address; leave empty to make one from the name."),
    )
    actor_type = models.ForeignKey(
        ActorType, verbose_name=_("actor type"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=logo_path, storage=UploadStorage(), blank=True, max_length=200
    )
    activity_fields = models.ManyToManyField(
        Category,
        verbose_name=_("activity fields"),
        blank=True,
        related_name="+",
        limit_choices_to={"parent__isnull": True},
        help_text=_("The top-level categories the organisation works in."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=settings.LANGUAGES,
        default="el",
        help_text=_("The language of the e-mails the portal sends to the organisation."),
    )
    approval = models.CharField(
        _("approval"),
        max_length=10,
        choices=Approval.choices,
        default=Approval.PENDING,
        db_index=True,
    )
    approval_note = models.TextField(
        _("approval note"),
        blank=True,
        help_text=_(
            "Why a registration was rejected or an organisation suspended; e-mailed to it."
        ),
    )
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_("Entries of a trusted organisation publish without review."),
    )
    is_supporter = models.BooleanField(
        _("supporter account"),
        default=False,
        editable=False,
        help_text=_(
            "An individual's or a company's light account: it posts offers and requests of "
            "support only, needs no approval, and is never listed as a member."
        ),
    )

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta(Located.Meta):
        ordering = ["name_key_el"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.slug])

    def clean(self):
        super().clean()
        if not self.is_supporter and self.actor_type_id and self.actor_type.slug == INDIVIDUAL:
            raise ValidationError({"actor_type": INDIVIDUALS_ARE_SUPPORTERS})

    def search_parts(self) -> list[str]:
        return [self.name_el, self.name_en, self.description_el, self.description_en]

    @property
    def is_approved(self) -> bool:
        return self.approval == self.Approval.APPROVED

    @property
    def is_private_individual(self) -> bool:
        """A supporter who is a person: the public pages never name them."""
        return self.is_supporter and self.actor_type.slug == INDIVIDUAL

    @property
    def public_name(self) -> str:
        """How the poster of an entry is shown: its name, or "A private individual"."""
        return _("A private individual") if self.is_private_individual else self.name

    @property
    def is_trusted(self) -> bool:
        """Trust counts only while approved: a suspended organisation's edits are reviewed."""
        return self.trusted and self.is_approved

    @property
    def edits_need_review(self) -> bool:
        """Profile edits wait for review once the profile has been public (approved, or
        suspended and perhaps coming back), unless the organisation is trusted."""
        public = self.approval in (self.Approval.APPROVED, self.Approval.SUSPENDED)
        # A supporter's account has no public profile (only its posts, each reviewed).
        return public and not self.is_trusted and not self.is_supporter

    def contact_emails(self) -> list[str]:
        """The organisation's address and its admins' (a query)."""
        admins = self.memberships.filter(role=Membership.Role.ADMIN, user__is_active=True)
        return [self.email, *admins.values_list("user__email", flat=True)]

    def team_emails(self) -> list[str]:
        """The organisation's address and every active editor's: who fixes its entries."""
        team = self.memberships.filter(user__is_active=True)
        return [self.email, *team.values_list("user__email", flat=True)]

    @property
    def owner(self) -> "Organisation":
        """An organisation owns its own profile (edits of it are reviewed like entries)."""
        return self


class OwnedEntry(Moderated):
    """A public entry that an organisation publishes: a service, an activity, a post.

    The owner contract, which accmr.core.actions relies on: `owner.is_trusted` entries
    publish without review (unless their EntryType is `reviewed_always`); while `owner.is_approved` is false it prepares drafts only;
    decisions are mailed to `owner.contact_emails()` in `owner.preferred_language`, and
    problem reports to `owner.team_emails()`.
    The reverse accessor is the app label (`organisation.services`), which is how the
    dashboard and the member profile reach every registered type without importing it.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="%(app_label)s",
    )
    objects = OwnedEntryQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def owner(self) -> Organisation:
        return self.organisation

    @owner.setter
    def owner(self, organisation: Organisation) -> None:
        self.organisation = organisation

    def dashboard_notes(self) -> list[str]:
        """Short flags the dashboard shows beside the entry (e.g. "may be out of date")."""
        return []


class Membership(TimeStamped):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Organisation admin")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_pair")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked: the link still works."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(TimeStamped):
    """An organisation admin's invitation for someone to become an editor."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.EDITOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class LoginThrottle(models.Model):
    """Failed logins to one account from any address (django-axes counts them per account
    and address): past LOGIN_ACCOUNT_FAILURE_LIMIT within an hour the account waits,
    longer at each lockout that follows (accmr.members.throttle)."""

    # The account's id ("user:12"), or the login typed if it names no account, so that
    # an unknown one behaves the same and the lockout says nothing of who has an account.
    account = models.CharField(max_length=260, unique=True)
    failures = models.PositiveIntegerField(default=0)
    counting_since = models.DateTimeField()
    lockouts = models.PositiveSmallIntegerField(default=0)
    locked_at = models.DateTimeField(null=True)
    locked_until = models.DateTimeField(null=True)

    def __str__(self):
        return self.account
