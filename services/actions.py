"""Editors' writes on services. Published entries change only through review."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accmr.core.actions import record, save_edit
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
    stored = None if creating else Service.objects.get(pk=service.pk)
    if stored is not None and stored.status == Status.PUBLISHED and not organisation.trusted:
        return stored, save_edit(form, by=by, review=True)

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
    if creating:
        form.save()
        record(service, action=AuditEntry.Action.CREATED, by=by)
    else:
        save_edit(form, by=by, review=False, also=("status",))
    return service, outcome


@transaction.atomic
def set_status(service: Service, *, status: str, by) -> None:
    """Archive a service, or bring an archived one back as a draft."""
    before = service.status
    service.status = status
    service.save(update_fields=["status", "updated_at"])
    if status == Status.ARCHIVED:
        ChangeSet.objects.filter(
            content_type=ContentType.objects.get_for_model(Service),
            object_id=service.pk,
            state=ChangeSet.State.PENDING,
        ).update(state=ChangeSet.State.WITHDRAWN)
    record(service, action=AuditEntry.Action.STATUS, by=by, changes={"status": [before, status]})


@transaction.atomic
def confirm_accurate(service: Service, *, by) -> None:
    """The organisation confirms the entry is still right: it is verified as of today."""
    service.assured_date = timezone.localdate()
    service.save(update_fields=["assured_date", "updated_at"])
    record(service, action=AuditEntry.Action.VERIFIED, by=by)
