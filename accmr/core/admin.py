from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .actions import after_edit, approve_change, record, reject_change, review_entries
from .changes import changed, diff, diff_lines, snapshot
from .models import AuditEntry, ChangeSet, Page, Status


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Shown to the organisation's editors."),
    )


def ask_reason(model_admin, request, queryset, action: str):
    """The reason typed on the intermediate page, or that page (again, if left empty).

    Admin actions that reject something call this first: nothing changes until a reason
    is given, and the reason is what the organisation is told.
    """
    form = RejectForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"]
    return TemplateResponse(
        request,
        "admin/core/reject.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": _("Give a reason"),
            "opts": model_admin.model._meta,
            "entries": queryset,
            "form": form,
            "action": action,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        },
    )


class ModeratedAdmin(admin.ModelAdmin):
    """Bulk approve, reject with a reason, and archive, for any Moderated model."""

    actions = ["approve_selected", "reject_selected", "archive_selected"]

    def _report(self, request, count, text):
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve and publish the selected entries"), permissions=["change"])
    def approve_selected(self, request, queryset):
        n = review_entries(queryset, status=Status.PUBLISHED, by=request.user)
        self._report(
            request, n, ngettext("%(count)d entry published.", "%(count)d entries published.", n)
        )

    @admin.action(
        description=_("Reject the selected entries, with a reason"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        reason = ask_reason(self, request, queryset, "reject_selected")
        if isinstance(reason, TemplateResponse):
            return reason
        n = review_entries(queryset, status=Status.REJECTED, by=request.user, note=reason)
        self._report(
            request, n, ngettext("%(count)d entry rejected.", "%(count)d entries rejected.", n)
        )
        return None

    @admin.action(description=_("Archive the selected entries"), permissions=["change"])
    def archive_selected(self, request, queryset):
        n = review_entries(queryset, status=Status.ARCHIVED, by=request.user)
        self._report(
            request, n, ngettext("%(count)d entry archived.", "%(count)d entries archived.", n)
        )


@admin.register(Page)
class PageAdmin(TranslationAdmin):
    list_display = ("title", "slug", "updated_at")
    fieldsets = [(None, {"fields": ["slug", ("title_el", "title_en"), ("body_el", "body_en")]})]

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()


class AuditInline(GenericTabularInline):
    """The audit history of an entry, read-only, newest first."""

    model = AuditEntry
    ct_field, ct_fk_field = "content_type", "object_id"
    fields = ("at", "user", "action", "summary", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("audit history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("changes"))
    def summary(self, entry):
        lines = diff_lines(entry.content_type.model_class(), entry.changes)
        return format_html_join(mark_safe("<br>"), "{}: {} → {}", lines)


class AuditedAdmin(admin.ModelAdmin):
    """Records every save made in the admin in the entry's audit history, with a diff."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [*inlines, AuditInline] if obj is not None else inlines

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


@admin.register(ChangeSet)
class ChangeSetAdmin(admin.ModelAdmin):
    list_display = ("entry_name", "content_type", "submitted_by", "submitted_at", "state")
    list_filter = ("state", "content_type")
    list_select_related = ("content_type", "submitted_by")
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/core/changeset_review.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("entry"))
    def entry_name(self, change_set):
        return str(change_set.entry)

    def _may(self, request, action: str, change_set) -> bool:
        """Seeing or deciding a change-set is seeing or changing its entry: the moderator
        needs the permission on the change-set and on the entry's model."""
        opts = change_set.content_type.model_class()._meta
        own = getattr(self, f"has_{action}_permission")(request, change_set)
        return own and request.user.has_perm(
            f"{opts.app_label}.{get_permission_codename(action, opts)}"
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        change_set = self.get_object(request, object_id)
        if change_set is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self._may(request, "view", change_set):
            raise PermissionDenied
        can_decide = self._may(request, "change", change_set)
        if request.method == "POST" and not can_decide:
            raise PermissionDenied
        if request.method == "POST" and change_set.state == ChangeSet.State.PENDING:
            if "approve" in request.POST:
                approve_change(change_set, by=request.user)
                self.message_user(request, _("The change is applied and public."), messages.SUCCESS)
                return redirect("admin:core_changeset_changelist")
            form = RejectForm(request.POST)
            if form.is_valid():
                reject_change(change_set, by=request.user, note=form.cleaned_data["reason"])
                self.message_user(request, _("The change was rejected."), messages.SUCCESS)
                return redirect("admin:core_changeset_changelist")
        else:
            form = RejectForm()
        entry = change_set.entry
        model = type(entry)
        rows = diff_lines(model, diff(entry, change_set.data))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review a change to “%(entry)s”") % {"entry": entry},
            "opts": self.opts,
            "change_set": change_set,
            "entry": entry,
            "rows": rows,
            "form": form,
            "original": change_set,
            "can_decide": can_decide,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _decidable(self, request, queryset) -> list[ChangeSet]:
        return [
            change_set
            for change_set in queryset.filter(state=ChangeSet.State.PENDING)
            if self._may(request, "change", change_set)
        ]

    @admin.action(description=_("Approve and apply the selected changes"), permissions=["change"])
    def approve_selected(self, request, queryset):
        pending = self._decidable(request, queryset)
        for change_set in pending:
            approve_change(change_set, by=request.user)
        n = len(pending)
        self.message_user(
            request,
            ngettext("%(count)d change applied.", "%(count)d changes applied.", n) % {"count": n},
        )

    @admin.action(
        description=_("Reject the selected changes, with a reason"), permissions=["change"]
    )
    def reject_selected(self, request, queryset):
        reason = ask_reason(self, request, queryset, "reject_selected")
        if isinstance(reason, TemplateResponse):
            return reason
        pending = self._decidable(request, queryset)
        for change_set in pending:
            reject_change(change_set, by=request.user, note=reason)
        n = len(pending)
        self.message_user(
            request,
            ngettext("%(count)d change rejected.", "%(count)d changes rejected.", n) % {"count": n},
        )
        return None
