"""Editors create, edit, archive, restore and verify their organisation's entries.

One set of views serves every registered entry type (accmr.core.sections); each type gets
its URLs under /dashboard/<app label>/ in the namespace "<model>_dashboard".
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import include, path, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accmr.core.actions import confirm_accurate, publishes_directly, save_entry, set_entry_status
from accmr.core.files import room_for
from accmr.core.models import Status
from accmr.core.sections import EntryType, entry_types

from .access import editor_required, get_entry_for_editor, get_entry_for_preview

OUTCOMES = {
    "saved": gettext_lazy("Saved as a draft. Submit it when it is ready for review."),
    "withdrawn": gettext_lazy(
        "Saved as a draft and taken out of review. Submit it again when it is ready."
    ),
    "updated": gettext_lazy("Saved. The changes are public now."),
    "draft_only": gettext_lazy(
        "Saved as a draft. Your organisation is waiting for approval; you can publish once the City approves it."
    ),
    Status.PENDING: gettext_lazy("Submitted: the City will review it before it is public."),
    Status.PUBLISHED: gettext_lazy("Published."),
    "proposed": gettext_lazy(
        "Your changes are waiting for review. The published version stays public until they are approved."
    ),
    "unchanged": gettext_lazy("Nothing was changed."),
}


def open_type(view):
    """After editor_required: 403 for a type the organisation may not keep (a supporter's
    account keeps support posts only)."""

    @wraps(view)
    def wrapper(request, entry_type: EntryType, *args, **kwargs):
        if not entry_type.open_to(request.membership.organisation):
            raise PermissionDenied
        return view(request, entry_type, *args, **kwargs)

    return wrapper


def _edit(request, entry_type: EntryType, entry, copy_of=None):
    organisation = request.membership.organisation
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    form = entry_type.form_class(
        data, files, instance=entry, copy_of=copy_of if data is None else None
    )
    formsets = form.formsets(data, files)
    # Validate everything (not up to the first failure) so every error shows at once.
    valid = [form.is_valid(), *(fs.is_valid() for fs in formsets.values())]
    if (
        request.method == "POST"
        and all(valid)
        and form.check_version(formsets)
        and room_for(form, organisation)
    ):
        _entry, outcome = save_entry(
            form=form,
            owner=organisation,
            by=request.user,
            submit="submit" in request.POST,
            formsets=formsets,
        )
        messages.success(request, OUTCOMES[outcome])
        for warning in form.warnings():
            messages.warning(request, warning)
        return redirect("dashboard")
    context = {
        "form": form,
        "formsets": formsets.values(),
        "entry": entry,
        "entry_type": entry_type,
        "organisation": organisation,
        "publishes_directly": publishes_directly(entry, organisation),
    }
    return render(request, entry_type.form_template, context)


@editor_required
@open_type
def entry_create(request, entry_type: EntryType):
    return _edit(
        request, entry_type, entry_type.model(organisation=request.membership.organisation)
    )


@editor_required
@open_type
def entry_duplicate(request, entry_type: EntryType, pk: int):
    """A new draft starting from a copy of an entry (a recurring activity, a service in a
    second place): the create form, filled in; saving it is creating it."""
    source = get_entry_for_editor(request, entry_type.model, pk)
    return _edit(
        request, entry_type, entry_type.model(organisation=request.membership.organisation), source
    )


@editor_required
@open_type
def entry_edit(request, entry_type: EntryType, pk: int):
    entry = get_entry_for_editor(request, entry_type.model, pk)
    if entry.status == Status.ARCHIVED:
        messages.error(request, _("Restore the entry before editing it."))
        return redirect("dashboard")
    return _edit(request, entry_type, entry)


@editor_required
@open_type
def entry_archive(request, entry_type: EntryType, pk: int):
    """Asks first (GET), archives on POST: the entry leaves the public site at once."""
    entry = get_entry_for_editor(request, entry_type.model, pk)
    if request.method != "POST":
        return render(request, "members/entry_archive.html", {"entry": entry})
    set_entry_status(entry, status=Status.ARCHIVED, by=request.user)
    messages.success(request, _("Archived: the entry is no longer public."))
    return redirect("dashboard")


@require_POST
@editor_required
@open_type
def entry_restore(request, entry_type: EntryType, pk: int):
    entry = get_entry_for_editor(request, entry_type.model, pk)
    if entry.status == Status.ARCHIVED:
        set_entry_status(entry, status=Status.DRAFT, by=request.user)
        messages.success(request, _("Restored as a draft. Submit it to publish it again."))
    return redirect("dashboard")


@require_POST
@editor_required
@open_type
def entry_verify(request, entry_type: EntryType, pk: int):
    """Only what the public sees can be confirmed as still accurate: a draft or an entry
    waiting for review is checked when it is submitted or reviewed."""
    entry = get_entry_for_editor(request, entry_type.model, pk)
    if entry.status != Status.PUBLISHED:
        messages.error(request, _("Only a published entry can be confirmed as still accurate."))
        return redirect("dashboard")
    confirm_accurate(entry, by=request.user)
    messages.success(request, _("Thank you: the entry is marked as verified today."))
    return redirect("dashboard")


@never_cache
def entry_preview(request, entry_type: EntryType, pk: int):
    """The entry's public page as it will look, whatever its status, for its editors and
    the moderators (the page says it is not public). The public view itself renders it,
    so the preview can never drift from the real page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entry = get_entry_for_preview(request, entry_type.model, pk)
    public = resolve(entry.get_absolute_url())
    request.previewing = entry  # lets the public view's access helper show it
    return public.func(request, *public.args, **public.kwargs)


def entry_urls() -> list:
    """/dashboard/<key>/new/, <pk>/edit/, duplicate/, archive/, restore/, preview/,
    verify/ for every type."""
    patterns = []
    for entry_type in entry_types():
        kwargs = {"entry_type": entry_type}
        views = [
            path("new/", entry_create, kwargs, name="create"),
            path("<int:pk>/edit/", entry_edit, kwargs, name="edit"),
            path("<int:pk>/duplicate/", entry_duplicate, kwargs, name="duplicate"),
            path("<int:pk>/archive/", entry_archive, kwargs, name="archive"),
            path("<int:pk>/restore/", entry_restore, kwargs, name="restore"),
            path("<int:pk>/preview/", entry_preview, kwargs, name="preview"),
        ]
        if entry_type.verifiable:
            views.append(path("<int:pk>/verify/", entry_verify, kwargs, name="verify"))
        patterns.append(
            path(f"dashboard/{entry_type.key}/", include((views, entry_type.namespace)))
        )
    return patterns
