"""The core's own admin pages: static pages, proposed changes, problem reports and the
outgoing mail, on the bases in admin_bases.py (which the sections import)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .actions import (
    Stale,
    approve_change,
    change_version,
    reject_change,
    resolve_reports,
)
from .admin_bases import (
    DECISION,
    RejectForm,
    ask_reason,
    change_url,
    decision_page,
    decision_url,
)
from .changes import diff, diff_lines, word_diff
from .models import ChangeSet, OutgoingMail, Page, Report
from .sections import entry_types, reviewed_kinds
from .tasks import send_again


@admin.register(Page)
class PageAdmin(TranslationAdmin):
    list_display = ("title", "slug", "updated_at")
    fieldsets = [(None, {"fields": ["slug", ("title_el", "title_en"), ("body_el", "body_en")]})]

    def get_readonly_fields(self, request, obj=None):
        return ("slug",) if obj else ()


class EntryKindFilter(admin.SimpleListFilter):
    """The kinds of entry that can have changes (organisations and every registered
    type), not every model Django knows."""

    title = _("kind of entry")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        models = [*(k.model for k in reviewed_kinds()), *(t.model for t in entry_types())]
        types = ContentType.objects.get_for_models(*models)
        return [(str(types[m].pk), capfirst(m._meta.verbose_name_plural)) for m in models]

    def queryset(self, request, queryset):
        choices = {value for value, _label in self.lookup_choices}
        if self.value() in choices:
            return queryset.filter(content_type_id=int(self.value()))
        return queryset.none() if self.value() else queryset


@admin.register(ChangeSet)
class ChangeSetAdmin(admin.ModelAdmin):
    list_display = ("entry_name", "kind", "submitted_by", "submitted_at", "state")
    list_filter = ("state", EntryKindFilter)
    list_select_related = ("content_type", "submitted_by")
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/core/changeset_review.html"

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("entry"))
    def entry_name(self, change_set):
        return str(change_set.entry)

    @admin.display(description=_("kind of entry"))
    def kind(self, change_set):
        return capfirst(change_set.content_type.model_class()._meta.verbose_name)

    def changelist_view(self, request, extra_context=None):
        """Opens on what waits for a decision; the state filter shows the rest."""
        if request.method == "GET" and not request.GET and self.has_view_permission(request):
            return redirect(f"{request.path}?state__exact={ChangeSet.State.PENDING}")
        return super().changelist_view(request, extra_context)

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
        entry = change_set.entry
        seen = change_version(change_set, entry)
        form = RejectForm()
        if request.method == "POST":
            try:
                if "approve" in request.POST:
                    approve_change(change_set, by=request.user, seen=request.POST.get("seen"))
                    self.message_user(
                        request, _("The change is applied and public."), messages.SUCCESS
                    )
                    return redirect("admin:core_changeset_changelist")
                form = RejectForm(request.POST)
                if form.is_valid():
                    reject_change(change_set, by=request.user, note=form.cleaned_data["reason"])
                    self.message_user(request, _("The change was rejected."), messages.SUCCESS)
                    return redirect("admin:core_changeset_changelist")
            except Stale:
                self.message_user(
                    request,
                    _(
                        "This change was decided, withdrawn or changed since you opened it. "
                        "Here it is as it stands now."
                    ),
                    messages.WARNING,
                )
                return redirect(request.path)
        model = type(entry)
        rows = [
            (label, *word_diff(old, new))
            for label, old, new in diff_lines(model, diff(entry, change_set.data))
        ]
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
            "seen": seen,
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _decidable(self, request, queryset) -> list[ChangeSet]:
        return [
            change_set
            for change_set in queryset.filter(state=ChangeSet.State.PENDING)
            if self._may(request, "change", change_set)
        ]

    @staticmethod
    def _each(change_sets, decide, **kwargs) -> int:
        """Decide each change-set; returns how many were decided (not already decided or
        withdrawn by the time this got to them)."""
        n = 0
        for change_set in change_sets:
            try:
                decide(change_set, **kwargs)
                n += 1
            except Stale:
                pass
        return n

    @admin.action(description=_("Approve and apply the selected changes"), permissions=["change"])
    def approve_selected(self, request, queryset):
        n = self._each(self._decidable(request, queryset), approve_change, by=request.user)
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
        n = self._each(
            self._decidable(request, queryset), reject_change, by=request.user, note=reason
        )
        self.message_user(
            request,
            ngettext("%(count)d change rejected.", "%(count)d changes rejected.", n) % {"count": n},
        )
        return None


class ReportStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.open()
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Kept for the moderators; never sent to the reporter."),
    )


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Visitors' problem reports: read, fix the entry, mark resolved (nothing is deleted);
    the change page opens on the report and its Resolve button (`<pk>/resolve/`)."""

    list_display = ("created_at", "entry_link", "kind", "problem", "message_start", "email")
    list_filter = (ReportStateFilter, "problem", EntryKindFilter)
    list_select_related = ("content_type",)
    actions = ["mark_resolved"]
    readonly_fields = [
        "entry_link",
        "kind",
        "problem",
        "message",
        "email",
        "language",
        "created_at",
        "resolved_at",
        "resolved_by",
        "resolution_note",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("entry")  # a query per type

    def changelist_view(self, request, extra_context=None):
        """Opens on the reports nobody has resolved yet."""
        if request.method == "GET" and not request.GET and self.has_view_permission(request):
            return redirect(f"{request.path}?state=open")
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("entry"))
    def entry_link(self, report):
        entry = report.entry
        if entry is None:
            return "–"
        return format_html('<a href="{}">{}</a>', entry.get_absolute_url(), entry)

    @admin.display(description=_("kind of entry"))
    def kind(self, report):
        return capfirst(report.content_type.model_class()._meta.verbose_name)

    @admin.display(description=_("details"))
    def message_start(self, report):
        return report.message if len(report.message) <= 80 else f"{report.message[:79]}…"

    def get_urls(self):
        return [decision_url(self, "resolve"), *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        """A report's history is on its page: when it was reported, resolved and by whom."""
        return redirect("admin:core_report_change", object_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Nothing here is edited: the page's only button is Mark resolved.
        context.update(show_save=False, show_save_and_continue=False)
        if obj is not None:
            context["resolution"] = {
                "kind": self.kind(obj),
                "can_resolve": obj.resolved_at is None and self.has_change_permission(request, obj),
                "form": ResolveForm(prefix=DECISION),
                "url": reverse("admin:core_report_resolve", args=[obj.pk]),
                "entry_admin_url": self._entry_admin_url(obj),
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _entry_admin_url(report) -> str:
        entry = report.entry
        if entry is None:
            return ""
        return change_url(entry)

    def resolve_view(self, request, object_id):
        """Resolve one report from its page, with an optional note; the reporter is told
        (resolve_reports)."""
        report = self.get_object(request, object_id)
        if report is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, report):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(change_url(report))
        form = ResolveForm(request.POST, prefix=DECISION)
        if not form.is_valid():
            return decision_page(
                self,
                request,
                report,
                form=form,
                url=request.path,
                title=_("Resolve the report"),
                button=_("Mark resolved"),
            )
        reports = Report.objects.filter(pk=report.pk)
        if resolve_reports(reports, by=request.user, note=form.cleaned_data["note"]):
            text = (
                _("The report is resolved. The reporter is told by e-mail.")
                if report.email
                else _("The report is resolved.")
            )
            self.message_user(request, text, messages.SUCCESS)
        else:
            self.message_user(request, _("This report was already resolved."), messages.WARNING)
        return redirect("admin:core_report_changelist")

    @admin.action(description=_("Mark the selected reports resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        n = len(resolve_reports(queryset, by=request.user))
        self.message_user(
            request,
            ngettext("%(count)d report resolved.", "%(count)d reports resolved.", n) % {"count": n},
        )


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The portal's e-mails and how their sending went, to send again what failed. Neither
    a text nor an address is shown: they are private persons' data, and a text may hold a
    sign-in link."""

    list_display = ("created_at", "subject", "recipient_count", "state", "attempts", "error")
    list_filter = ("state",)
    actions = ["send_again_selected"]
    readonly_fields = [
        "subject",
        "language",
        "recipient_count",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "next_try_at",
        "sent_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # sent mail is purged after a month (accmr.core.tasks.purge_sent_mail)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")

    @admin.display(description=_("recipients"))
    def recipient_count(self, mail):
        return len(mail.recipients)

    @admin.display(description=_("last error"))
    def error(self, mail):
        """The start of the last error, so the list fits the screen; its page has it all."""
        return Truncator(mail.last_error).chars(60)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Nothing here is edited: a failed mail is sent again from the list's action.
        context.update(show_save=False, show_save_and_continue=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["change"])
    def send_again_selected(self, request, queryset):
        n = send_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail queued to be sent again.",
                "%(count)d e-mails queued to be sent again.",
                n,
            )
            % {"count": n},
        )
