from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from accmr.core.admin_bases import AuditedAdmin, ModeratedAdmin, VersionedAdminForm
from accmr.core.widgets import PointPickerWidget
from accmr.taxonomy.models import Category

from .forms import ClosureForm, ScheduleForm, ScheduleFormSet
from .models import Closure, Schedule, Service, stale_before


class ScheduleInline(admin.TabularInline):
    """The editors' rules here too: overlapping or zero-length periods are refused."""

    model = Schedule
    form = ScheduleForm
    formset = ScheduleFormSet
    extra = 0

    # A moderator only reads the periods: the days in words ("Monday–Friday"), not codes.
    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return ["days" if name == "byday" else name for name in fields]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if self.has_change_permission(request, obj) else [*readonly, "days"]

    @admin.display(description=_("days"))
    def days(self, schedule) -> str:
        return schedule.days_label


class ClosureInline(TranslationTabularInline):
    model = Closure
    form = ClosureForm
    extra = 0


class TopCategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return [(c.slug, str(c)) for c in Category.objects.top_level()]

    def queryset(self, request, queryset):
        # Only a known slug filters: anything else (a NUL PostgreSQL refuses) matches none.
        top = next((c for c in Category.objects.top_level() if c.slug == self.value()), None)
        if top is not None:
            return queryset.in_categories([top])
        return queryset.none() if self.value() else queryset


class StaleFilter(admin.SimpleListFilter):
    title = _("freshness")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Not verified for 12 months")),
            ("no", _("Verified in the last 12 months")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        if self.value() == "no":
            return queryset.filter(assured_date__gte=stale_before())
        return queryset


class ServiceAdminForm(VersionedAdminForm):
    class Meta:
        model = Service
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose and order them)
        widgets = {"latitude": PointPickerWidget(longitude_field="longitude")}


@admin.register(Service)
class ServiceAdmin(ModeratedAdmin, AuditedAdmin, TranslationAdmin):
    form = ServiceAdminForm
    inlines = [ScheduleInline, ClosureInline]
    list_display = ("name", "organisation", "status", "district", "assured_date", "is_stale")
    list_filter = (
        "status",
        TopCategoryFilter,
        "district",
        ("organisation__actor_type", admin.RelatedOnlyFieldListFilter),
        StaleFilter,
        "location_type",
        "cost",
    )
    list_select_related = ("organisation", "district")
    search_fields = ("name_el", "name_en", "organisation__name_el", "organisation__name_en", "slug")
    autocomplete_fields = ["organisation"]
    filter_horizontal = ("categories", "target_groups", "languages")
    date_hierarchy = "assured_date"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "organisation",
                    ("name_el", "name_en"),
                    "slug",
                    ("description_el", "description_en"),
                ]
            },
        ),
        (_("Classification"), {"fields": ["categories", "target_groups", "languages"]}),
        (
            _("Location"),
            {
                "fields": [
                    "location_type",
                    ("address_el", "address_en"),
                    "postcode",
                    "district",
                    "latitude",
                    "longitude",
                    "address_confidential",
                ]
            },
        ),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (
            _("Opening hours"),
            {"fields": ["hours", "opens_on_holidays", ("hours_notes_el", "hours_notes_en")]},
        ),
        (
            _("Access"),
            {
                "fields": [
                    "cost",
                    ("fees_description_el", "fees_description_en"),
                    "referral_required",
                    ("application_process_el", "application_process_en"),
                    ("eligibility_description_el", "eligibility_description_en"),
                    ("required_documents_el", "required_documents_en"),
                    "wheelchair_access",
                    "interpretation_available",
                ]
            },
        ),
        (
            _("Funding and validity"),
            {
                "fields": [
                    ("funding_el", "funding_en"),
                    ("valid_from", "valid_until"),
                    "assured_date",
                ]
            },
        ),
        (
            _("Moderation"),
            {
                "fields": [
                    "status",
                    "review_note",
                    "published_at",
                    "reviewed_by",
                    "reviewed_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(boolean=True, description=pgettext_lazy("service", "may be out of date"))
    def is_stale(self, obj):
        return obj.is_stale
