"""The portal's controlled vocabularies (DESIGN.md §5).

Slugs are the keys in URLs and filters and never change; labels are translated and
admins may edit, reorder or deactivate terms. Inactive terms disappear from filters and
forms but stay on the entries that use them.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Term(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Stable key used in web addresses and filters; never change it."),
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive terms are hidden from filters and forms.")
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self):
        return self.name


class TreeQuerySet(TermQuerySet):
    def top_level(self):
        return self.filter(parent__isnull=True)

    def tree(self) -> list[tuple["TreeTerm", list["TreeTerm"]]]:
        """(top-level term, its children) pairs in position order, read in one query."""
        terms = list(self.order_by("position", "slug"))
        return [
            (top, [t for t in terms if t.parent_id == top.pk])
            for top in terms
            if top.parent_id is None
        ]


class TreeTerm(Term):
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Empty for a top-level term."),
    )

    objects = TreeQuerySet.as_manager()

    class Meta(Term.Meta):
        abstract = True

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Category(TreeTerm):
    """A service category: eleven top-level areas, most with subcategories."""

    class Meta(TreeTerm.Meta):
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class ActorType(Term):
    class Meta(Term.Meta):
        verbose_name = _("actor type")
        verbose_name_plural = _("actor types")


class District(Term):
    """One of the seven municipal districts (Δημοτικές Κοινότητες) of Athens."""

    neighbourhoods = models.CharField(_("neighbourhoods"), max_length=200, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("municipal district")
        verbose_name_plural = _("municipal districts")

    @property
    def label(self) -> str:
        """The name with its neighbourhoods, for filters and detail pages."""
        return f"{self.name} ({self.neighbourhoods})" if self.neighbourhoods else self.name


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Language(Term):
    """A spoken language, keyed by its ISO 639 code (the slug)."""

    native_name = models.CharField(_("name in the language itself"), max_length=100, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    @property
    def label(self) -> str:
        if self.native_name and self.native_name != self.name:
            return f"{self.name} ({self.native_name})"
        return self.name


class ActivityType(Term):
    class Meta(Term.Meta):
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")


class SupportType(TreeTerm):
    needs_language = models.BooleanField(
        _("about a language"),
        default=False,
        help_text=_(
            "Posts of this kind of support (interpretation, translation) name their languages, "
            "and are matched only with posts that share one."
        ),
    )

    class Meta(TreeTerm.Meta):
        verbose_name = _("support type")
        verbose_name_plural = _("support types")


class Located(models.Model):
    """An address in Athens: street (translated by each model), postcode, municipal district
    and an optional point on the map (both coordinates or neither).

    Shared by organisations, services and activity sessions; points are plain decimals,
    so no GIS library is needed.
    """

    address = models.CharField(_("address"), max_length=250, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("municipal district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="%(app_label)s_%(class)s_point_is_complete",
                violation_error_message=_("Give both latitude and longitude, or neither."),
            ),
        ]

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def top_categories(categories) -> list["Category"]:
    """The distinct top-level categories of `categories` (a subcategory counts as its
    parent), in the tree's order: what an entry's card shows, from prefetched rows."""
    tops = {}
    for category in categories:
        top = category.parent or category
        tops.setdefault(top.pk, top)
    return sorted(tops.values(), key=lambda c: (c.position, c.slug))
