from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from accmr.core.admin import AuditedAdmin, ask_reason
from accmr.core.cache import CONTENT, bump

from .actions import decide_registration
from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ("name", "actor_type", "district", "approval", "trusted")
    list_filter = ("approval", "trusted", "actor_type", "district")
    list_select_related = ("actor_type", "district")
    search_fields = ("name_el", "name_en", "email", "name_key_el")
    filter_horizontal = ("activity_fields",)
    inlines = [MembershipInline]
    actions = ["approve", "reject", "suspend"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("name_el", "name_en"),
                    "slug",
                    "actor_type",
                    ("description_el", "description_en"),
                ]
            },
        ),
        (
            _("Contact"),
            {
                "fields": [
                    "website",
                    "email",
                    "phone",
                    ("address_el", "address_en"),
                    "district",
                    "logo",
                ]
            },
        ),
        (
            _("Membership"),
            {
                "fields": [
                    "activity_fields",
                    "preferred_language",
                    "approval",
                    "approval_note",
                    "trusted",
                ]
            },
        ),
    ]

    @admin.action(
        description=_("Approve the selected organisations and tell them"), permissions=["change"]
    )
    def approve(self, request, queryset):
        pending = list(queryset.exclude(approval=Organisation.Approval.APPROVED))
        for organisation in pending:
            decide_registration(organisation, approve=True)
        n = len(pending)
        self.message_user(
            request,
            ngettext("%(count)d organisation approved.", "%(count)d organisations approved.", n)
            % {"count": n},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reject the selected registrations, with a reason"), permissions=["change"]
    )
    def reject(self, request, queryset):
        reason = ask_reason(self, request, queryset, "reject")
        if isinstance(reason, TemplateResponse):
            return reason
        for organisation in queryset:
            decide_registration(organisation, approve=False, note=reason)
        n = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.", n)
            % {"count": n},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Suspend the selected organisations"), permissions=["change"])
    def suspend(self, request, queryset):
        n = queryset.update(approval=Organisation.Approval.SUSPENDED)
        bump(CONTENT)  # update() sends no signal; their entries leave the public pages
        self.message_user(
            request,
            ngettext("%(count)d organisation suspended.", "%(count)d organisations suspended.", n)
            % {"count": n},
            messages.SUCCESS,
        )
