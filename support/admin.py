from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from accmr.core.admin_bases import AuditedAdmin, ModeratedAdmin

from .models import Conversation, SupportPost


@admin.register(SupportPost)
class SupportPostAdmin(ModeratedAdmin, AuditedAdmin, TranslationAdmin):
    """Moderation of the board (status) beside each post's own lifecycle (state). The
    conversations stay between their two sides: the admin shows only how many there are."""

    list_display = (
        "title",
        "kind",
        "poster",
        "urgency",
        "state",
        "expires_on",
        "status",
        "conversations",
    )
    list_filter = ("status", "state", "kind", "urgency", "organisation__is_supporter", "district")
    list_select_related = ("organisation__actor_type",)
    search_fields = ("title_el", "title_en", "organisation__name_el")
    autocomplete_fields = ["organisation"]
    filter_horizontal = ("support_types", "languages")
    readonly_fields = ("closed_at",)

    def get_queryset(self, request):
        # A subquery, not a GROUP BY: the moderation actions lock these rows (FOR UPDATE).
        counts = (
            Conversation.objects.confirmed()
            .filter(post=OuterRef("pk"))
            .order_by()
            .values("post")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super().get_queryset(request).annotate(conversation_count=Coalesce(Subquery(counts), 0))
        )

    @admin.display(description=SupportPost._meta.get_field("organisation").verbose_name)
    def poster(self, post):
        return post.organisation.name

    @admin.display(description=_("conversations"), ordering="conversation_count")
    def conversations(self, post):
        return post.conversation_count
