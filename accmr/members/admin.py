from django.contrib import admin, messages
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from accmr.core.admin import AuditedAdmin, ask_reason
from accmr.core.uploads import ImageUploadField

from .actions import set_approval
from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ("name", "actor_type", "district", "approval", "trusted", "is_supporter")
    list_filter = ("approval", "trusted", "is_supporter", "actor_type", "district")
    list_select_related = ("actor_type", "district")
    search_fields = ("name_el", "name_en", "email", "name_key_el")
    filter_horizontal = ("activity_fields",)
    # The admin's logo uploads are checked and re-encoded like the editors'.
    formfield_overrides = {models.ImageField: {"form_class": ImageUploadField}}
    inlines = [MembershipInline]
    readonly_fields = ("is_supporter",)
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
                    "is_supporter",
                ]
            },
        ),
    ]

    def _decide(self, request, queryset, approval: str, note: str = "") -> int:
        return sum(set_approval(o, approval, by=request.user, note=note) for o in queryset)

    @admin.action(
        description=_("Approve the selected organisations and tell them"), permissions=["change"]
    )
    def approve(self, request, queryset):
        n = self._decide(request, queryset, Organisation.Approval.APPROVED)
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
        n = self._decide(request, queryset, Organisation.Approval.REJECTED, reason)
        self.message_user(
            request,
            ngettext("%(count)d registration rejected.", "%(count)d registrations rejected.", n)
            % {"count": n},
            messages.SUCCESS,
        )
        return None

    @admin.action(description=_("Suspend the selected organisations"), permissions=["change"])
    def suspend(self, request, queryset):
        n = self._decide(request, queryset, Organisation.Approval.SUSPENDED)
        self.message_user(
            request,
            ngettext("%(count)d organisation suspended.", "%(count)d organisations suspended.", n)
            % {"count": n},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        """An approval set on the change page (where the "new registration" e-mail leads)
        is decided like the list actions: kept aside, then set_approval() after the save."""
        if change and {"approval", "approval_note"} & set(form.changed_data):
            form.decided_approval = (obj.approval, obj.approval_note)
            obj.approval = form.initial["approval"]
            obj.approval_note = form.initial["approval_note"]
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if decided := getattr(form, "decided_approval", None):
            approval, note = decided
            set_approval(form.instance, approval, by=request.user, note=note)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class OrganisationForm(form):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("approval") in (
                    Organisation.Approval.REJECTED,
                    Organisation.Approval.SUSPENDED,
                ) and not cleaned.get("approval_note"):
                    self.add_error("approval_note", _("Say why; the organisation is told."))
                return cleaned

        return OrganisationForm
