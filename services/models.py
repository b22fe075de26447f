from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accmr.core.models import (
    Searchable,
    Status,
    linked_to_tree,
    name_key_field,
)
from accmr.members.models import PUBLIC_OWNER, OwnedEntry, OwnedEntryQuerySet
from accmr.taxonomy.models import Category, Language, Located, TargetGroup, top_categories


def stale_before():
    """Services verified before this date are flagged "may be out of date"."""
    return timezone.localdate() - timedelta(days=settings.SERVICE_STALE_AFTER_DAYS)


# What a service card shows (services/_service_card.html), in both languages.
LIST_FIELDS = [
    *(f"{name}_{lang}" for name in ("name", "description", "address") for lang in ("el", "en")),
    *(
        f"{rel}__{name}_{lang}"
        for rel in ("organisation", "district")
        for name in ("name",)
        for lang in ("el", "en")
    ),
    "slug",
    "status",
    "organisation__slug",
    "location_type",
    "cost",
    "referral_required",
    "assured_date",
    "latitude",
    "address_confidential",
    "phone",  # printed lists carry how to reach each service
    "postcode",
    "hours",
    "opens_on_holidays",
]


def hours_prefetch() -> list:
    """The rows "open now" is read from: every weekly period, and the closures not over
    (two queries for a whole page)."""
    return [
        "schedules",
        models.Prefetch(
            "closures", queryset=Closure.objects.filter(ends_on__gte=timezone.localdate())
        ),
    ]


class ServiceQuerySet(OwnedEntryQuerySet):
    def published(self):
        """Visible to the public: published, of an approved member (never a private
        individual: see PUBLIC_OWNER), not expired."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()),
            PUBLIC_OWNER,
            status=Status.PUBLISHED,
        )

    def for_listing(self):
        """Optimised for list pages: the card's columns only (the long texts and the search
        text stay in the database), one query for the rows, one for their categories."""
        return (
            self.select_related("organisation", "district")
            .only(*LIST_FIELDS)
            .prefetch_related(
                models.Prefetch("categories", queryset=Category.objects.select_related("parent")),
                *hours_prefetch(),
            )
        )

    def for_detail(self):
        """Everything the detail page shows: the organisation, district and terms."""
        return self.select_related(
            "organisation", "organisation__actor_type", "district"
        ).prefetch_related(
            models.Prefetch("categories", queryset=Category.objects.select_related("parent")),
            "target_groups",
            "languages",
            *hours_prefetch(),
        )

    def stale(self):
        return self.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=stale_before()))

    def in_categories(self, categories):
        """Services in any of `categories`; a top-level category also matches its children."""
        return self.filter(linked_to_tree(self.model, "categories", categories))

    def recently_verified(self):
        return self.order_by(models.F("assured_date").desc(nulls_last=True), name_key_field(), "id")


class Service(Searchable, Located, OwnedEntry):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("At a physical address")
        VIRTUAL = "virtual", _("By phone or online")
        OUTREACH = "outreach", _("Outreach (mobile, area-wide)")

    class Cost(models.TextChoices):
        FREE = "free", _("Free")
        PAID = "paid", _("Paid")
        MIXED = "mixed", _("Partly free")

    class Access(models.TextChoices):
        """Wheelchair access: a service that says nothing is not said to be inaccessible."""

        NOT_STATED = "", _("Not stated")
        YES = "yes", _("Yes")
        NO = "no", _("No")

    class Hours(models.TextChoices):
        NOT_STATED = "", _("Not stated")
        REGULAR = "regular", _("Regular opening hours")
        APPOINTMENT = "appointment", _("By appointment only")
        ALWAYS = "always", _("Open 24 hours, every day")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The service's web address; leave empty to make one from the name."),
    )
    description = models.TextField(_("description"))
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("categories"),
        related_name="services",
        help_text=_("Choose subcategories; their top category follows."),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, verbose_name=_("target groups"), related_name="services", blank=True
    )
    languages = models.ManyToManyField(
        Language,
        verbose_name=_("languages spoken"),
        related_name="services",
        blank=True,
        help_text=_("Languages the staff speak or interpret into."),
    )
    location_type = models.CharField(
        _("location type"),
        max_length=10,
        choices=LocationType.choices,
        default=LocationType.PHYSICAL,
    )
    address_confidential = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_(
            "For shelters, GBV and trafficking services: the public sees only the district "
            "and “contact for the address”, never the street or the map pin."
        ),
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    cost = models.CharField(_("cost"), max_length=8, choices=Cost.choices, default=Cost.FREE)
    fees_description = models.TextField(_("fees"), blank=True)
    referral_required = models.BooleanField(
        _("referral required"),
        default=False,
        help_text=_("Only accepts people referred by a professional."),
    )
    application_process = models.TextField(_("how to apply"), blank=True)
    eligibility_description = models.TextField(_("who is eligible"), blank=True)
    required_documents = models.TextField(_("documents needed"), blank=True)
    wheelchair_access = models.CharField(
        _("wheelchair access"),
        max_length=3,
        choices=Access.choices,
        blank=True,
        default=Access.NOT_STATED,
        help_text=_("Say “No” only if you know it is not accessible."),
    )
    interpretation_available = models.BooleanField(_("interpretation available"), default=False)
    funding = models.CharField(_("funding"), max_length=250, blank=True)
    valid_from = models.DateField(_("runs from"), null=True, blank=True)
    valid_until = models.DateField(
        _("runs until"),
        null=True,
        blank=True,
        help_text=_("After this date the service leaves the public list."),
    )
    hours = models.CharField(
        _("opening hours"), max_length=12, choices=Hours.choices, blank=True, default=""
    )
    opens_on_holidays = models.BooleanField(
        _("open on public holidays"),
        default=False,
        help_text=_("Otherwise the service is shown closed on Greek public holidays."),
    )
    hours_notes = models.CharField(
        _("note on the hours"),
        max_length=300,
        blank=True,
        help_text=_("For example: “Arrive by 12:00 to be seen the same day”."),
    )
    assured_date = models.DateField(
        pgettext_lazy("service", "last verified"),
        null=True,
        blank=True,
        help_text=_("When the organisation last confirmed the entry is accurate."),
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name_key_el", "id"]
        verbose_name = pgettext_lazy("service", "service")
        verbose_name_plural = pgettext_lazy("service", "services")
        constraints = [
            *Located.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(location_type="physical")
                | (
                    Q(district__isnull=False)
                    & Q(latitude__isnull=False)
                    & Q(longitude__isnull=False)
                ),
                name="physical_service_has_district_and_point",
                violation_error_message=_(
                    "A service at a physical address needs a municipal district and a point on the map."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="service_valid_until_after_from",
                violation_error_message=_("“Runs until” cannot be before “runs from”."),
            ),
        ]
        indexes = [
            # The public list: published rows in Greek or English alphabetical order.
            models.Index(fields=["status", "name_key_el"], name="service_list_el"),
            models.Index(fields=["status", "name_key_en"], name="service_list_en"),
            # "Recently verified" ordering and the stale list for admins.
            models.Index(fields=["status", "assured_date"], name="service_assured"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("services:detail", args=[self.slug])

    def search_parts(self) -> list[str]:
        """Both languages of the name, description and organisation, and the neighbourhoods
        of its district, so "Κυψέλη" or "Kypseli" finds what is in the 6th district
        (reads the organisation and the district)."""
        org = self.organisation
        parts = [
            self.name_el,
            self.name_en,
            self.description_el,
            self.description_en,
            org.name_el,
            org.name_en,
        ]
        if self.district_id:
            parts += [self.district.neighbourhoods_el, self.district.neighbourhoods_en]
        return parts

    @property
    def is_stale(self) -> bool:
        return self.assured_date is None or self.assured_date < stale_before()

    def dashboard_notes(self) -> list[str]:
        return [gettext("May be out of date")] if self.is_published and self.is_stale else []

    @property
    def has_public_point(self) -> bool:
        return self.latitude is not None and not self.address_confidential

    @property
    def top_categories(self) -> list[Category]:
        return top_categories(self.categories.all())


class Weekday(models.TextChoices):
    """Days as HSDS 3.0 `schedule.byday` writes them (the RRULE codes), Monday first."""

    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


def days_label(codes) -> str:
    """Weekday codes for people, consecutive days as a range: "Monday–Friday",
    "Monday, Wednesday", "Monday–Wednesday, Saturday"."""
    order = [d.value for d in Weekday]
    chosen = sorted({c for c in codes if c in order}, key=order.index)
    runs: list[list[str]] = []
    for code in chosen:
        if runs and order.index(code) == order.index(runs[-1][-1]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    labels = {d.value: str(d.label) for d in Weekday}
    return ", ".join(
        labels[run[0]] if len(run) == 1 else f"{labels[run[0]]}–{labels[run[-1]]}" for run in runs
    )


def validate_weekdays(value: str) -> None:
    codes = value.split(",") if value else []
    if not codes or any(code not in Weekday.values for code in codes):
        raise ValidationError(_("Choose at least one day."), code="days")


class WeekdaysFormField(forms.MultipleChoiceField):
    """Weekday checkboxes for a `WeekdaysField`: shows "MO,TU" ticked, cleans to "MO,TU"."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, max_length=None, empty_value=None, **kwargs):
        kwargs.setdefault("error_messages", {"required": _("Choose at least one day.")})
        super().__init__(choices=Weekday.choices, **kwargs)

    def prepare_value(self, value):
        return value.split(",") if isinstance(value, str) and value else value

    def clean(self, value) -> str:
        chosen = super().clean(value)
        return ",".join(d.value for d in Weekday if d.value in chosen)

    def has_changed(self, initial, data) -> bool:
        return set(self.prepare_value(initial) or []) != set(data or [])


class WeekdaysField(models.CharField):
    """Several weekdays in one column, as HSDS 3.0 `schedule.byday` writes them:
    "MO,TU,WE,TH,FR", Monday first (a code is found with `byday__contains="WE"`)."""

    default_validators = [validate_weekdays]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)  # all seven: "MO,TU,WE,TH,FR,SA,SU"
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return models.Field.formfield(self, form_class=WeekdaysFormField, **kwargs)

    def readable(self, value) -> str:
        """For the moderator's diff and the history (accmr.core.changes.describe)."""
        return days_label(value.split(","))


class Schedule(models.Model):
    """One opening period of a service on one or more weekdays (an HSDS 3.0 `schedule`
    with freq=WEEKLY): 09:00–17:00, Monday to Friday. A period that closes at or before it
    opens runs past midnight (22:00–04:00); `valid_from`/`valid_to` bound seasonal hours."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="schedules"
    )
    byday = WeekdaysField(_("days"), help_text=_("Tick every day with these hours."))
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(
        _("closes at"), help_text=_("Earlier than the opening time: it closes the next day.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["service", "opens_at", "id"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=~Q(opens_at=models.F("closes_at")),
                name="schedule_not_empty",
                violation_error_message=_("A period must not close when it opens."),
            ),
            models.CheckConstraint(
                condition=~Q(byday=""),
                name="schedule_has_a_day",
                violation_error_message=_("Choose at least one day."),
            ),
        ]

    def __str__(self):
        return f"{self.days_label} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def days(self) -> list[str]:
        """Its weekday codes: ["MO", "TU", …]."""
        return self.byday.split(",") if self.byday else []

    @property
    def days_label(self) -> str:
        return days_label(self.days)

    @property
    def overnight(self) -> bool:
        return self.closes_at <= self.opens_at


class Closure(models.Model):
    """A dated closure of a service: a day or a range (a strike, the summer break)."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="closures"
    )
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed until"), help_text=_("The last day it is closed."))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["service", "starts_on"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="closure_dates")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_it_starts",
                violation_error_message=_("A closure cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class VerificationReminder(models.Model):
    """When an organisation was last e-mailed to confirm its services are accurate
    (send_verification_reminders), so it is reminded at most once an interval."""

    organisation = models.OneToOneField(
        "members.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="verification_reminder",
    )
    sent_at = models.DateTimeField(
        _("last reminded"),
        help_text=_("When the organisation was last asked to confirm its services are accurate."),
    )

    class Meta:
        verbose_name = _("verification reminder")
        verbose_name_plural = _("verification reminders")

    def __str__(self):
        return f"{self.organisation} {timezone.localtime(self.sent_at):%d/%m/%Y}"
