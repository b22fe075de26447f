"""The editors' dashboard home: their organisation's entries by state."""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accmr.core.models import ChangeSet, Status

from .access import SESSION_KEY, editor_required
from .models import Membership


@editor_required
def dashboard(request):
    organisation = request.membership.organisation
    # Reverse relation: members does not import the services app.
    services = organisation.services.order_by("name_key_el")
    waiting = set(
        ChangeSet.objects.filter(
            content_type=ContentType.objects.get_for_model(services.model),
            object_id__in=services.values("pk"),
            state=ChangeSet.State.PENDING,
        ).values_list("object_id", flat=True)
    )
    groups = [(value, label, []) for value, label in Status.choices]
    by_status = {value: entries for value, _label, entries in groups}
    for service in services:
        service.change_waiting = service.pk in waiting
        by_status[service.status].append(service)
    return render(
        request,
        "members/dashboard.html",
        {
            "organisation": organisation,
            "membership": request.membership,
            "groups": groups,
            "memberships": Membership.objects.filter(user=request.user).select_related(
                "organisation"
            ),
        },
    )


@require_POST
@editor_required
def switch_organisation(request):
    raw = request.POST.get("organisation", "")
    membership = (
        Membership.objects.filter(user=request.user, organisation_id=int(raw)).first()
        if raw.isdigit()
        else None
    )
    if membership is None:
        messages.error(request, _("You are not an editor of that organisation."))
    else:
        request.session[SESSION_KEY] = membership.organisation_id
        messages.success(
            request, _("You are now working for %(name)s.") % {"name": membership.organisation}
        )
    return redirect("dashboard")
