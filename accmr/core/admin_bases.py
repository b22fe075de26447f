"""The admin bases the sections build on: moderated entries decided on their own pages
(approve, reject with a reason, confirm what was seen), the audit history inline, and
the forms that guard a save against a newer one. Registrations live in admin.py."""

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .actions import (
    after_edit,
    entry_version,
    record,
    review_entries,
)
from .changes import changed, diff_lines, snapshot
from .models import AuditEntry, Status
from .sections import entry_type_for


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Shown to the organisation's editors."),
    )


# The decision forms at the top of a change page use this prefix, so their fields never
# meet the change form's own below them.
DECISION = "decision"


def decision_page(model_admin, request, obj, *, form, url: str, title, button):
    """The page a decision posted from a change page comes back to when its reason is
    missing or too long: the reason's form again, with what was typed and the error."""
    return TemplateResponse(
        request,
        "admin/core/decide_one.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "button": button,
            "opts": model_admin.model._meta,
            "original": obj,
            "form": form,
            "url": url,
            "seen": request.POST.get("seen", ""),
            "change_url": change_url(obj),
        },
        status=400,
    )


def change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def decision_url(model_admin, name: str):
    """An admin URL `<pk>/<name>/` of `model_admin`'s model, for a change page's buttons."""
    opts = model_admin.model._meta
    view = model_admin.admin_site.admin_view(getattr(model_admin, f"{name}_view"))
    return path(
        f"<path:object_id>/{name}/", view, name=f"{opts.app_label}_{opts.model_name}_{name}"
    )


def confirm_decision(
    model_admin,
    request,
    queryset,
    action: str,
    *,
    title,
    intro,
    button,
    form=None,
    versions=False,
):
    """The intermediate page of a bulk decision: the selected entries (each with the
    version the moderator is shown, if `versions`), an optional form, and a button."""
    return TemplateResponse(
        request,
        "admin/core/decide.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": title,
            "intro": intro,
            "button": button,
            "opts": model_admin.model._meta,
            "entries": [(e, entry_version(e) if versions else "") for e in queryset],
            "form": form,
            "action": action,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


def ask_reason(model_admin, request, queryset, action: str):
    """The reason typed on the intermediate page, or that page (again, if left empty).

    Admin actions that reject something call this first: nothing changes until a reason
    is given, and the reason is what the organisation is told.
    """
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"]
    return confirm_decision(
        model_admin,
        request,
        queryset,
        action,
        title=_("Give a reason"),
        intro=_("These entries will be rejected. The editors will see your reason."),
        button=_("Reject"),
        form=form,
    )


def seen_versions(request) -> dict[int, str]:
    """pk → version from the confirmation page's hidden `seen-<pk>` inputs."""
    return {
        int(key[5:]): value
        for key, value in request.POST.items()
        if key.startswith("seen-") and key[5:].isascii() and key[5:].isdigit()
    }


class VersionedAdminForm(forms.ModelForm):
    """An admin change form that refuses to save over a version the moderator never saw:
    the hidden `seen_version` holds the entry's fingerprint when the page was opened."""

    seen_version = forms.CharField(widget=forms.HiddenInput, required=False, label="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_version = entry_version(self.instance) if self.instance.pk else ""
        self.fields["seen_version"].initial = self.current_version

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if seen and seen != self.current_version:
            raise ValidationError(
                _(
                    "Someone changed this entry since you opened it. Open it again to see "
                    "the current version; what you typed is kept below."
                )
            )
        return cleaned


class DecidedOnItsPage:
    """A change page's Approve and Reject-with-a-reason buttons post to `<pk>/decide/`;
    this reads them (permission, a missing reason shown again with what was typed) and
    hands the decision to the admin's `decide(request, obj, approve=…, note=…)`."""

    reject_button = _("Reject")

    def get_urls(self):
        return [decision_url(self, "decide"), *super().get_urls()]

    def decide_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(change_url(obj))
        approve, note = "approve" in request.POST, ""
        if not approve:
            form = RejectForm(request.POST, prefix=DECISION)
            if not form.is_valid():
                return decision_page(
                    self,
                    request,
                    obj,
                    form=form,
                    url=request.path,
                    title=_("Give a reason"),
                    button=self.reject_button,
                )
            note = form.cleaned_data["reason"]
        return self.decide(request, obj, approve=approve, note=note)


class ModeratedAdmin(DecidedOnItsPage, admin.ModelAdmin):
    """Bulk approve (after a look at what is published), reject with a reason, and
    archive, for any Moderated model; a status set on the change page is decided the
    same way (review_entries: e-mail, publication date, reviewer, audit).

    A pending entry's change page opens on what a moderator decides with: who submitted
    it and when, a preview of its public page, Approve, and Reject with a reason, which
    post to `<pk>/decide/` and decide exactly as the bulk actions do.

    What the moderation itself sets is read-only here, after a section admin's own
    `readonly_fields`: a section admin lists only those.
    """

    actions = ["approve_selected", "reject_selected", "archive_selected"]
    change_form_template = "admin/core/moderated_change_form.html"
    # Moderated's fields that review_entries and the clock set: shown, never typed.
    moderation_fields = ("published_at", "reviewed_by", "reviewed_at", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.moderation_fields)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The stored row: after a refused save, `obj` holds what was typed in the form.
        stored = self.model._default_manager.filter(pk=obj.pk).first() if obj else None
        if stored is not None and stored.status == Status.PENDING:
            entry_type = entry_type_for(stored)
            context["decision"] = {
                "owner": getattr(stored, "owner", None),
                "seen": entry_version(stored),
                "can_decide": self.has_change_permission(request, obj),
                "form": RejectForm(prefix=DECISION),
                "url": reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_decide", args=[obj.pk]
                ),
                "preview_url": reverse(f"{entry_type.namespace}:preview", args=[obj.pk])
                if entry_type
                else "",
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def decide(self, request, entry, *, approve: bool, note: str):
        """Approve or reject one pending entry from its change page, on the version the
        page showed (`seen`): a changed or already decided entry is left as it is."""
        if entry.status != Status.PENDING:
            self.message_user(
                request,
                _("This entry is no longer waiting for review: it is “%(status)s”.")
                % {"status": entry.get_status_display()},
                messages.WARNING,
            )
            return redirect(change_url(entry))
        entries = self.model._default_manager.filter(pk=entry.pk)
        seen = {entry.pk: request.POST.get("seen", "")}
        decided, stale = review_entries(
            entries,
            status=Status.PUBLISHED if approve else Status.REJECTED,
            by=request.user,
            note=note,
            seen=seen,
        )
        if approve:
            done = _("“%(entry)s” is published; its organisation is told by e-mail.")
        else:
            done = _("“%(entry)s” is rejected; its organisation is told why by e-mail.")
        if stale or not decided:
            self.message_user(
                request,
                _(
                    "Someone changed this entry since you opened it, so nothing was decided. "
                    "Here it is as it stands now: review it again."
                ),
                messages.WARNING,
            )
            return redirect(change_url(entry))
        self.message_user(request, done % {"entry": entry}, messages.SUCCESS)
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def _report(self, request, count, text, stale=0):
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
        if stale:
            self.message_user(
                request,
                ngettext(
                    "%(count)d entry changed since you saw it and was left as it is; "
                    "review it again.",
                    "%(count)d entries changed since you saw them and were left as they are; "
                    "review them again.",
                    stale,
                )
                % {"count": stale},
                messages.WARNING,
            )

    @admin.action(description=_("Approve and publish the selected entries"), permissions=["change"])
    def approve_selected(self, request, queryset):
        if "apply" not in request.POST:
            return confirm_decision(
                self,
                request,
                queryset,
                "approve_selected",
                title=_("Publish the selected entries"),
                intro=_("These entries will be published as they are now."),
                button=_("Publish"),
                versions=True,
            )
        seen = seen_versions(request)
        decided, stale = review_entries(
            queryset, status=Status.PUBLISHED, by=request.user, seen=seen
        )
        n = len(decided)
        self._report(
            request,
            n,
            ngettext("%(count)d entry published.", "%(count)d entries published.", n),
            len(stale),
        )
        return None

    @admin.action(
        description=_("Reject the selected entries, with a reason"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        reason = ask_reason(self, request, queryset, "reject_selected")
        if isinstance(reason, TemplateResponse):
            return reason
        n = len(review_entries(queryset, status=Status.REJECTED, by=request.user, note=reason)[0])
        self._report(
            request, n, ngettext("%(count)d entry rejected.", "%(count)d entries rejected.", n)
        )
        return None

    @admin.action(description=_("Archive the selected entries"), permissions=["change"])
    def archive_selected(self, request, queryset):
        n = len(review_entries(queryset, status=Status.ARCHIVED, by=request.user)[0])
        self._report(
            request, n, ngettext("%(count)d entry archived.", "%(count)d entries archived.", n)
        )

    def save_model(self, request, obj, form, change):
        """A new entry published here is reviewed by whoever published it; a status
        changed on an existing entry is kept aside and decided after the other fields."""
        if not change:
            if obj.status == Status.PUBLISHED:
                obj.mark_reviewed(status=obj.status, by=request.user)
        elif "status" in form.changed_data:
            form.decided_status = obj.status
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if status := getattr(form, "decided_status", None):
            note = form.instance.review_note if status == Status.REJECTED else ""
            entries = type(form.instance)._default_manager.filter(pk=form.instance.pk)
            review_entries(entries, status=status, by=request.user, note=note)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ModeratedForm(form):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("status") == Status.REJECTED and not cleaned.get("review_note"):
                    self.add_error("review_note", _("Give the reason for the rejection."))
                return cleaned

        return ModeratedForm


class AuditInline(GenericTabularInline):
    """The audit history of an entry, read-only, newest first."""

    model = AuditEntry
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = ("at", "user", "action", "summary", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("audit history")
    anchor = "core-auditentry-content_type-object_id-group"  # its id: the formset's prefix

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def summary(self, entry):
        lines = diff_lines(entry.content_type.model_class(), entry.changes)
        return format_html_join(mark_safe("<br>"), "{}: {} → {}", lines)


class AuditedAdmin(admin.ModelAdmin):
    """Records every save made in the admin in the entry's audit history, with a diff, and
    refuses a save over a version the moderator did not see (VersionedAdminForm)."""

    form = VersionedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (None, {"fields": ["seen_version"], "classes": ["hidden"]})]

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [*inlines, AuditInline] if obj is not None else inlines

    def history_view(self, request, object_id, extra_context=None):
        """The History button opens the audit at the foot of the change page: Django's own
        history knows only the admin's saves, not the editors', the reviews or the changes."""
        change = f"admin:{self.opts.app_label}_{self.opts.model_name}_change"
        return redirect(f"{reverse(change, args=[object_id])}#{AuditInline.anchor}")

    def save_model(self, request, obj, form, change):
        if change and form.changed_data:
            old = type(obj)._default_manager.get(pk=obj.pk)
            form.audit_before = snapshot(old, form.changed_data)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not change:
            record(obj, action=AuditEntry.Action.CREATED, by=request.user)
            return
        before = getattr(form, "audit_before", {})
        if changes := changed(before, snapshot(obj, before.keys())):
            record(obj, action=AuditEntry.Action.EDITED, by=request.user, changes=changes)
            after_edit(obj, changes)
