"""Writes shared by every app: moderation, change-sets and the audit history."""

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from .changes import apply, changed, diff, from_form, snapshot
from .mail import send_later
from .models import AuditEntry, ChangeSet, Status


@transaction.atomic
def review_entries(entries, *, status: str, by: User, note: str = "") -> int:
    """Give every entry in `entries` the moderator's decision; returns how many changed.

    Each row is saved on its own (not a bulk update) so per-row hooks such as the audit
    history see every change.
    """
    changed = 0
    for entry in entries.select_for_update(of=("self",)):
        if entry.status == status and entry.review_note == note:
            continue
        before = entry.status
        entry.mark_reviewed(status=status, by=by, note=note)
        entry.save(
            update_fields=[
                "status",
                "published_at",
                "reviewed_by",
                "reviewed_at",
                "review_note",
                "updated_at",
            ]
        )
        record(
            entry,
            action=AuditEntry.Action.STATUS,
            by=by,
            changes={"status": [before, status]},
            note=note,
        )
        if before == Status.PENDING and status in (Status.PUBLISHED, Status.REJECTED):
            notify_owner(entry, template=f"core/email/entry_{status}", context={"note": note})
        changed += 1
    return changed


def notify_owner(entry, *, template: str, context: dict) -> None:
    """Mail the organisation that owns `entry` (if it has one) in its language, after commit."""
    # An organisation's own profile is owned by itself.
    organisation = getattr(entry, "organisation", None) or (
        entry if hasattr(entry, "contact_emails") else None
    )
    if organisation is None:
        return
    send_later(
        to=organisation.contact_emails(),
        template=template,
        context={"entry": entry, "organisation": organisation, **context},
        language=organisation.preferred_language,
    )


def record(entry, *, action: str, by=None, changes: dict | None = None, note: str = ""):
    """Add an audit entry for `entry` (every change to a public entry goes through here)."""
    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        user=by if by is not None and by.is_authenticated else None,
        action=action,
        changes=changes or {},
        note=note,
    )


@transaction.atomic
def propose_change(entry, *, data: dict, by) -> ChangeSet | None:
    """Keep an edit of a published entry for review; the entry itself does not change.

    A newer edit replaces the one still waiting. Returns None when nothing differs.
    """
    changes = diff(entry, data)
    if not changes:
        return None
    content_type = ContentType.objects.get_for_model(entry)
    ChangeSet.objects.filter(
        content_type=content_type, object_id=entry.pk, state=ChangeSet.State.PENDING
    ).update(state=ChangeSet.State.WITHDRAWN)
    change_set = ChangeSet.objects.create(
        content_type=content_type,
        object_id=entry.pk,
        data={name: new for name, (_old, new) in changes.items()},
        submitted_by=by,
    )
    record(entry, action=AuditEntry.Action.CHANGE_PROPOSED, by=by, changes=changes)
    return change_set


def _decide(change_set: ChangeSet, *, state: str, by, note: str = "") -> None:
    change_set.state = state
    change_set.record_review(by=by, note=note)
    change_set.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])


@transaction.atomic
def approve_change(change_set: ChangeSet, *, by) -> dict:
    """Apply a pending change-set to its entry; returns the changes actually made."""
    entry = change_set.entry
    changes = diff(entry, change_set.data)
    apply(entry, change_set.data)
    _decide(change_set, state=ChangeSet.State.APPROVED, by=by)
    record(entry, action=AuditEntry.Action.CHANGE_APPROVED, by=by, changes=changes)
    notify_owner(entry, template="core/email/change_approved", context={})
    return changes


@transaction.atomic
def reject_change(change_set: ChangeSet, *, by, note: str) -> None:
    _decide(change_set, state=ChangeSet.State.REJECTED, by=by, note=note)
    record(change_set.entry, action=AuditEntry.Action.CHANGE_REJECTED, by=by, note=note)
    notify_owner(change_set.entry, template="core/email/change_rejected", context={"note": note})


@transaction.atomic
def save_edit(form, *, by, review: bool, also: tuple[str, ...] = ()) -> str:
    """Apply an editor's ModelForm to an existing entry, or keep it for review.

    Returns "proposed" (a change-set waits), "unchanged" or "saved". `also` names fields
    the caller set on the instance itself (a status), so the audit entry includes them.
    """
    # The form has already changed the instance in memory: compare with the stored row.
    current = type(form.instance)._default_manager.get(pk=form.instance.pk)
    if review:
        change = propose_change(current, data=from_form(form, form.changed_data), by=by)
        return "proposed" if change else "unchanged"
    before = snapshot(current, [*form.changed_data, *also])
    form.save()
    if changes := changed(before, snapshot(form.instance, before.keys())):
        record(form.instance, action=AuditEntry.Action.EDITED, by=by, changes=changes)
    return "saved"
