from django.contrib import admin, messages
from django.db import models, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from accmr.core.admin_bases import (
    DECISION,
    AuditedAdmin,
    DecidedOnItsPage,
    RejectForm,
    ask_reason,
    change_url,
)
from accmr.core.uploads import ImageUploadField
from accmr.core.widgets import LabelledFileWidget

from .actions import set_approval
from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(DecidedOnItsPage, AuditedAdmin, TranslationAdmin):
    """Organisations; a registration's page opens on who registered, when, whether they
    confirmed their address, and (while pending) Approve and Reject with a reason, which
    post to `<pk>/decide/` and decide as the list's actions do (set_approval)."""

    list_display = ("name", "actor_type", "district", "approval", "trusted", "is_supporter")
    reject_button = _("Reject the registration")
    list_filter = ("approval", "trusted", "is_supporter", "actor_type", "district")
    list_select_related = ("actor_type", "district")
    search_fields = ("name_el", "name_en", "email", "name_key_el")
    filter_horizontal = ("activity_fields",)
    # The admin's logo uploads are checked and re-encoded like the editors'.
    formfield_overrides = {
        models.ImageField: {"form_class": ImageUploadField, "widget": LabelledFileWidget}
    }
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_supporter:
            first_admin = (
                obj.memberships.filter(role=Membership.Role.ADMIN)
                .select_related("user")
                .order_by("created_at", "pk")
                .first()
            )
            context["registration"] = {
                "registrant": first_admin.user if first_admin else None,
                # The stored state: after a refused save, `obj` holds what was typed.
                "pending": Organisation.objects.filter(
                    pk=obj.pk, approval=Organisation.Approval.PENDING
                ).exists(),
                "can_decide": self.has_change_permission(request, obj),
                "form": RejectForm(prefix=DECISION),
                "url": reverse("admin:members_organisation_decide", args=[obj.pk]),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def decide(self, request, organisation, *, approve: bool, note: str):
        """Approve or reject one pending registration from its page (set_approval: the
        organisation is told in its language); one decided meanwhile is left as it is."""
        if approve:
            approval = Organisation.Approval.APPROVED
            done = _("“%(name)s” is approved; the organisation is told by e-mail.")
        else:
            approval = Organisation.Approval.REJECTED
            done = _(
                "The registration of “%(name)s” is rejected; the organisation is told why by e-mail."
            )
        with transaction.atomic():
            pending = Organisation.objects.select_for_update().filter(
                pk=organisation.pk, approval=Organisation.Approval.PENDING
            )
            decided = pending.exists() and set_approval(
                organisation, approval, by=request.user, note=note
            )
        if not decided:
            self.message_user(
                request,
                _("This registration was decided meanwhile. Here it is as it stands now."),
                messages.WARNING,
            )
            return redirect(change_url(organisation))
        self.message_user(request, done % {"name": organisation}, messages.SUCCESS)
        return redirect("admin:members_organisation_changelist")

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
