from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import ActivityType, ActorType, Category, District, Language, SupportType, TargetGroup


class TermAdmin(TranslationAdmin):
    list_display = ("name", "slug", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_el", "name_en", "slug")

    def get_readonly_fields(self, request, obj=None):
        # Slugs are public URL keys: set once, never edited.
        return ("slug",) if obj else ()


class TreeTermAdmin(TermAdmin):
    list_display = ("name", "parent", "slug", "position", "is_active")
    list_filter = ("is_active", ("parent", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("parent",)


admin.site.register(Category, TreeTermAdmin)
for model in (ActorType, TargetGroup, ActivityType):
    admin.site.register(model, TermAdmin)


@admin.register(District)
class DistrictAdmin(TermAdmin):
    list_display = ("name", "neighbourhoods", "slug", "position", "is_active")


@admin.register(Language)
class LanguageAdmin(TermAdmin):
    list_display = ("name", "native_name", "slug", "position", "is_active")


@admin.register(SupportType)
class SupportTypeAdmin(TreeTermAdmin):
    list_display = ("name", "parent", "slug", "needs_language", "position", "is_active")
    list_filter = ("is_active", "needs_language", ("parent", admin.RelatedOnlyFieldListFilter))
