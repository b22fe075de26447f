from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from accmr.core.admin_bases import AuditedAdmin, ModeratedAdmin, VersionedAdminForm

from .forms import RepeatingSessions, SessionForm
from .models import Activity, Session


class SessionInline(TranslationTabularInline):
    model = Session
    form = SessionForm
    formset = RepeatingSessions
    extra = 0


class ActivityAdminForm(VersionedAdminForm):
    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 (the admin lays them out)


@admin.register(Activity)
class ActivityAdmin(ModeratedAdmin, AuditedAdmin, TranslationAdmin):
    form = ActivityAdminForm
    inlines = [SessionInline]
    list_display = ("title", "organisation", "activity_type", "status")
    list_filter = ("status", "activity_type", "district", "cost")
    list_select_related = ("organisation", "activity_type")
    search_fields = ("title_el", "title_en", "organisation__name_el", "organisation__name_en")
    autocomplete_fields = ["organisation"]
    filter_horizontal = ("categories", "target_groups", "languages", "support_wanted")
