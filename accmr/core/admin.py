from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .actions import review_entries
from .models import Page, Status


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

    @admin.action(description=_("Approve and publish the selected entries"))
    def approve_selected(self, request, queryset):
        n = review_entries(queryset, status=Status.PUBLISHED, by=request.user)
        self._report(
            request, n, ngettext("%(count)d entry published.", "%(count)d entries published.", n)
        )

    @admin.action(description=_("Reject the selected entries, with a reason"))
    def reject_selected(self, request, queryset):
        reason = ask_reason(self, request, queryset, "reject_selected")
        if isinstance(reason, TemplateResponse):
            return reason
        n = review_entries(queryset, status=Status.REJECTED, by=request.user, note=reason)
        self._report(
            request, n, ngettext("%(count)d entry rejected.", "%(count)d entries rejected.", n)
        )
        return None

    @admin.action(description=_("Archive the selected entries"))
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
