"""Editors create, edit, archive, restore and verify their organisation's services."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accmr.core.models import Status
from accmr.members.access import editor_required

from .access import get_service_for_editor
from .actions import confirm_accurate, save_service, set_status
from .forms import ServiceForm
from .models import Service

OUTCOMES = {
    "saved": gettext_lazy("Saved as a draft. Submit it when it is ready for review."),
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


def _edit(request, service: Service):
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        service, outcome = save_service(
            form=form,
            organisation=request.membership.organisation,
            by=request.user,
            submit="submit" in request.POST,
        )
        messages.success(request, OUTCOMES[outcome])
        return redirect("dashboard")
    return render(
        request,
        "services/dashboard/service_form.html",
        {"form": form, "service": service, "organisation": request.membership.organisation},
    )


@editor_required
def service_create(request):
    return _edit(request, Service(organisation=request.membership.organisation))


@editor_required
def service_edit(request, pk):
    service = get_service_for_editor(request, pk)
    if service.status == Status.ARCHIVED:
        messages.error(request, _("Restore the service before editing it."))
        return redirect("dashboard")
    return _edit(request, service)


@require_POST
@editor_required
def service_archive(request, pk):
    set_status(get_service_for_editor(request, pk), status=Status.ARCHIVED, by=request.user)
    messages.success(request, _("Archived: the service is no longer public."))
    return redirect("dashboard")


@require_POST
@editor_required
def service_restore(request, pk):
    service = get_service_for_editor(request, pk)
    if service.status == Status.ARCHIVED:
        set_status(service, status=Status.DRAFT, by=request.user)
        messages.success(request, _("Restored as a draft. Submit it to publish it again."))
    return redirect("dashboard")


@require_POST
@editor_required
def service_verify(request, pk):
    confirm_accurate(get_service_for_editor(request, pk), by=request.user)
    messages.success(request, _("Thank you: the service is marked as verified today."))
    return redirect("dashboard")
