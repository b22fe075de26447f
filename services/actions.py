"""Editors' writes on services. Published entries change only through review."""

from django.db import transaction
from django.utils import timezone

from accmr.core.actions import propose_change, record
from accmr.core.changes import changed, from_form, snapshot
from accmr.core.models import AuditEntry, ChangeSet, Status

from .models import Service


def _status_after_submit(organisation) -> str:
    return Status.PUBLISHED if organisation.trusted else Status.PENDING


@transaction.atomic
def save_service(*, form, organisation, by, submit: bool) -> tuple[Service, str]:
    """Create or update a service from an editor's form; returns it and what happened.

    - a new or unpublished entry is saved; with `submit` it goes to review (or straight
      to the public list for a trusted organisation); a pending organisation only drafts;
    - a published entry of a non-trusted organisation keeps its public version: the edit
      waits as a change-set for a moderator.
    """
    service = form.instance
    creating = service.pk is None
    # The form has already changed the instance in memory: compare with the stored row.
    current = None if creating else Service.objects.get(pk=service.pk)
    if current is not None and current.status == Status.PUBLISHED and not organisation.trusted:
        change = propose_change(current, data=from_form(form, form.changed_data), by=by)
        return current, "proposed" if change else "unchanged"
    before = snapshot(current, [*form.changed_data, "status"]) if current else {}

    service.organisation = organisation
    outcome = "saved"
    if submit and organisation.is_approved:
        service.status = _status_after_submit(organisation)
        outcome = service.status
        if service.status == Status.PUBLISHED and service.published_at is None:
            service.published_at = timezone.now()
    elif submit:
        outcome = "draft_only"
    if service.assured_date is None:
        service.assured_date = timezone.localdate()
    form.save()
    if creating:
        record(service, action=AuditEntry.Action.CREATED, by=by)
    elif changes := changed(before, snapshot(service, before.keys())):
        record(service, action=AuditEntry.Action.EDITED, by=by, changes=changes)
    return service, outcome


@transaction.atomic
def set_status(service: Service, *, status: str, by) -> None:
    """Archive a service, or bring an archived one back as a draft."""
    before = service.status
    service.status = status
    service.save(update_fields=["status", "updated_at"])
    if status == Status.ARCHIVED:
        ChangeSet.objects.filter(
            object_id=service.pk, state=ChangeSet.State.PENDING, content_type__model="service"
        ).update(state=ChangeSet.State.WITHDRAWN)
    record(service, action=AuditEntry.Action.STATUS, by=by, changes={"status": [before, status]})


@transaction.atomic
def confirm_accurate(service: Service, *, by) -> None:
    """The organisation confirms the entry is still right: it is verified as of today."""
    service.assured_date = timezone.localdate()
    service.save(update_fields=["assured_date", "updated_at"])
    record(service, action=AuditEntry.Action.VERIFIED, by=by)
