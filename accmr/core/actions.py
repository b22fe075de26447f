"""Writes shared by every app: moderation, change-sets and the audit history."""

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .changes import (
    apply,
    changed,
    child_rows,
    diff,
    from_form,
    rows_from_formset,
    snapshot,
    values,
    version,
)
from .mail import send_later
from .models import AuditEntry, ChangeSet, Report, Status
from .permissions import moderator_emails
from .sections import entry_type_for, kind_of


class Stale(Exception):
    """A decision on something that changed or was decided since the moderator saw it."""


def entry_version(entry) -> str:
    """The fingerprint of an entry as a moderator reviews it (see changes.version)."""
    return version(values(entry))


def change_version(change_set: ChangeSet, entry) -> str:
    """The fingerprint of a change-set's review: the proposal and the entry it changes."""
    return version({"entry": values(entry), "proposed": change_set.data})


@transaction.atomic
def review_entries(
    entries, *, status: str, by: User, note: str = "", seen=None
) -> tuple[list, list]:
    """Give every entry in `entries` the moderator's decision; returns the entries decided
    and those left alone because they changed since the moderator saw them.

    With `seen` (pk → entry_version() as the moderator was shown it), an entry that has
    changed since is left as it is, so what is published is exactly what was reviewed.
    Each row is locked and saved on its own (not a bulk update), so two moderators
    deciding at once cannot both act, and per-row hooks such as the audit see every change.
    """
    decided, stale = [], []
    for entry in entries.select_for_update(of=("self",)).order_by("pk"):
        if entry.status == status and entry.review_note == note:
            continue
        if seen is not None and seen.get(entry.pk) != entry_version(entry):
            stale.append(entry)
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
        if status == Status.ARCHIVED:
            withdraw_pending(entry, by=by, reason="archived")
        if before == Status.PENDING and status in (Status.PUBLISHED, Status.REJECTED):
            notify_owner(entry, template=f"core/email/entry_{status}", context={"note": note})
        if status == Status.PUBLISHED:
            after_publish(entry)
        decided.append(entry)
    return decided, stale


def notify_owner(entry, *, template: str, context: dict) -> None:
    """Mail the owner of `entry` (see OwnedEntry's owner contract) in its language, after
    commit; an entry without an owner (an admin's own) is nobody's to tell."""
    owner = getattr(entry, "owner", None)
    if owner is None:
        return
    send_later(
        to=owner.contact_emails(),
        template=template,
        context={"entry": entry, "organisation": owner, **context},
        language=owner.preferred_language,
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

    The edit replaces the change still waiting (the editor's form started from it, see
    BilingualModelForm); its author is told. Returns None when the edit proposes
    nothing new: the waiting change stays, or, if the edit differs in nothing from the
    published version, the waiting change is withdrawn.
    """
    changes = diff(entry, data)
    waiting = ChangeSet.objects.waiting_for(entry)
    proposed = {name: new for name, (_old, new) in changes.items()}
    if waiting is not None and waiting.data == proposed:
        return None
    withdraw_pending(entry, by=by, reason="replaced")
    if not changes:
        return None
    change_set = ChangeSet.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        data=proposed,
        submitted_by=by,
    )
    record(entry, action=AuditEntry.Action.CHANGE_PROPOSED, by=by, changes=changes)
    return change_set


def withdraw_pending(entry, *, by, reason: str) -> None:
    """Withdraw the change waiting for `entry`, if any ("replaced" by a newer edit, or the
    entry was "archived"), and tell its author unless they did it themselves."""
    waiting = ChangeSet.objects.for_entry(entry).pending().select_for_update()
    for change_set in waiting:
        change_set.state = ChangeSet.State.WITHDRAWN
        change_set.save(update_fields=["state"])
        author = change_set.submitted_by
        if author is None or author == by or not author.email:
            continue
        owner = getattr(entry, "owner", None)
        send_later(
            to=[author.email],
            template="core/email/change_withdrawn",
            context={"entry": entry, "by": by, "reason": reason},
            language=owner.preferred_language if owner else "el",
        )


def _lock_pending(change_set: ChangeSet) -> ChangeSet:
    """The change-set, locked, if it still waits for a decision; Stale otherwise (a second
    moderator, or a second click, decided it meanwhile)."""
    locked = ChangeSet.objects.select_for_update().filter(pk=change_set.pk).first()
    if locked is None or locked.state != ChangeSet.State.PENDING:
        raise Stale
    return locked


def _decide(change_set: ChangeSet, *, state: str, by, note: str = "") -> None:
    change_set.state = state
    change_set.record_review(by=by, note=note)
    change_set.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_note"])


@transaction.atomic
def approve_change(change_set: ChangeSet, *, by, seen: str | None = None) -> dict:
    """Apply a pending change-set to its entry; returns the changes actually made.

    Raises Stale if it was decided meanwhile or, with `seen` (change_version() as the
    moderator was shown it), if the proposal or the entry changed since.
    """
    change_set = _lock_pending(change_set)
    model = change_set.content_type.model_class()
    entry = model._default_manager.select_for_update().get(pk=change_set.object_id)
    if seen is not None and seen != change_version(change_set, entry):
        raise Stale
    changes = diff(entry, change_set.data)
    apply(entry, change_set.data)
    after_edit(entry, changes)
    _decide(change_set, state=ChangeSet.State.APPROVED, by=by)
    record(entry, action=AuditEntry.Action.CHANGE_APPROVED, by=by, changes=changes)
    notify_owner(entry, template="core/email/change_approved", context={})
    return changes


@transaction.atomic
def reject_change(change_set: ChangeSet, *, by, note: str) -> None:
    """Reject a pending change-set with a reason; Stale if it was decided meanwhile."""
    change_set = _lock_pending(change_set)
    _decide(change_set, state=ChangeSet.State.REJECTED, by=by, note=note)
    record(change_set.entry, action=AuditEntry.Action.CHANGE_REJECTED, by=by, note=note)
    notify_owner(change_set.entry, template="core/email/change_rejected", context={"note": note})


@transaction.atomic
def save_edit(form, *, by, review: bool, also: tuple[str, ...] = (), formsets=None) -> str:
    """Apply an editor's ModelForm (and the inline formsets of its child rows, by
    relation name) to an existing entry, or keep it all for review as one change-set.

    Returns "proposed" (a change-set waits), "unchanged" or "saved". `also` names fields
    the caller set on the instance itself (a status), so the audit entry includes them.
    """
    formsets = formsets or {}
    # The form has already changed the instance in memory: compare with the stored row.
    current = type(form.instance)._default_manager.get(pk=form.instance.pk)
    if review:
        # Every field, not only those changed from the form's initial values: the form
        # starts from the waiting change, which this edit replaces (propose_change diffs).
        rows = {name: rows_from_formset(formset) for name, formset in formsets.items()}
        data = {**from_form(form, form.fields), **rows}
        change = propose_change(current, data=data, by=by)
        return "proposed" if change else "unchanged"
    before = snapshot(current, [*form.changed_data, *also])
    before_rows = {name: child_rows(current, name) for name in formsets}
    _save(form, formsets)
    changes = changed(before, snapshot(form.instance, before.keys()))
    for name, rows in before_rows.items():
        if (after := child_rows(form.instance, name)) != rows:
            changes[name] = [rows, after]
    if changes:
        record(form.instance, action=AuditEntry.Action.EDITED, by=by, changes=changes)
        after_edit(form.instance, changes)
    # A change that was waiting (the owner has since become trusted) was in the form.
    withdraw_pending(form.instance, by=by, reason="replaced")
    return "saved"


def _save(form, formsets: dict) -> None:
    """Save the entry's form, then its child rows' formsets against the saved entry."""
    form.save()
    for formset in formsets.values():
        formset.instance = form.instance
        formset.save()


def after_edit(entry, changes: dict) -> None:
    """Let what derives from the entry follow once `changes` are saved (an organisation's
    name is in its entries' search text): its kind's declared `after_edit`."""
    if (kind := kind_of(entry)) and kind.after_edit:
        kind.after_edit(entry, set(changes))


def after_publish(entry) -> None:
    """Let an entry that has just become public act on it (a support post tells the
    posters of matching posts): its type's declared `after_publish`."""
    if (kind := entry_type_for(entry)) and kind.after_publish:
        kind.after_publish(entry)


def publishes_directly(entry, owner) -> bool:
    """A trusted owner's entries skip review, unless their type is always reviewed."""
    kind = kind_of(entry)
    return owner.is_trusted and not (kind and kind.reviewed_always)


@transaction.atomic
def save_entry(*, form, owner, by, submit: bool, formsets=None) -> tuple[object, str]:
    """Create or update an owned entry from an editor's form (and the inline formsets of
    its child rows, by relation name); returns it and what happened.

    - a new or unpublished entry is saved; with `submit` it goes to review (or straight
      to the public list for a trusted owner); an owner not yet approved only drafts;
    - a published entry of a non-trusted owner keeps its public version: the edit waits
      as a change-set for a moderator.
    - an unpublished entry saved without submitting is a draft again (a pending one leaves
      review: "withdrawn").
    Outcomes: "saved", "withdrawn", "draft_only", "pending", "published", "updated",
    "proposed", "unchanged".
    """
    entry = form.instance
    creating = entry.pk is None
    stored = None if creating else type(entry)._default_manager.get(pk=entry.pk)
    if (
        stored is not None
        and stored.status == Status.PUBLISHED
        and not publishes_directly(entry, owner)
    ):
        return stored, save_edit(form, by=by, review=True, formsets=formsets)

    entry.owner = owner
    if submit and owner.is_approved:
        entry.status = Status.PUBLISHED if publishes_directly(entry, owner) else Status.PENDING
        outcome = entry.status
        if entry.status == Status.PENDING:
            entry.submitted_at = timezone.now()
        if entry.status == Status.PUBLISHED and entry.published_at is None:
            entry.published_at = timezone.now()
    elif stored is not None and stored.status == Status.PUBLISHED:
        outcome = "updated"  # a trusted owner's direct edit of a public entry
    else:
        outcome = "draft_only" if submit else "saved"
        # An edit without submitting takes the entry out of review: the moderator never
        # decides on text that changed after it was submitted.
        if stored is not None and stored.status == Status.PENDING and not submit:
            outcome = "withdrawn"
        entry.status = Status.DRAFT
    if hasattr(entry, "assured_date") and entry.assured_date is None:
        entry.assured_date = timezone.localdate()
    if creating:
        _save(form, formsets or {})
        record(entry, action=AuditEntry.Action.CREATED, by=by)
    else:
        save_edit(form, by=by, review=False, also=("status",), formsets=formsets)
    if outcome == Status.PUBLISHED:
        after_publish(entry)
    return entry, outcome


@transaction.atomic
def set_entry_status(entry, *, status: str, by) -> None:
    """Archive an entry (its waiting changes are withdrawn with it), or bring an archived
    one back as a draft."""
    before = entry.status
    entry.status = status
    entry.save(update_fields=["status", "updated_at"])
    if status == Status.ARCHIVED:
        withdraw_pending(entry, by=by, reason="archived")
    record(entry, action=AuditEntry.Action.STATUS, by=by, changes={"status": [before, status]})


@transaction.atomic
def confirm_accurate(entry, *, by) -> None:
    """The owner confirms the entry is still right: it is verified as of today."""
    entry.assured_date = timezone.localdate()
    entry.save(update_fields=["assured_date", "updated_at"])
    record(entry, action=AuditEntry.Action.VERIFIED, by=by)


@transaction.atomic
def file_report(entry, *, problem: str, message: str, email: str, language: str) -> Report:
    """Keep a visitor's report about `entry` and mail it to the entry's editors (in their
    organisation's language) and to the moderators, after commit."""
    report = Report.objects.create(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=entry.pk,
        problem=problem,
        message=message,
        email=email,
        language=language,
    )
    context = {"report": report, "entry": entry}
    if (owner := getattr(entry, "owner", None)) is not None:
        send_later(
            to=owner.team_emails(),
            template="core/email/entry_reported",
            context=context,
            language=owner.preferred_language,
        )
    send_later(
        to=moderator_emails(),
        template="core/email/entry_reported",
        context={**context, "moderators": True},
        language=settings.LANGUAGE_CODE,
    )
    return report


@transaction.atomic
def resolve_reports(reports, *, by, note: str = "") -> list[Report]:
    """Mark the open reports among `reports` resolved (with the moderator's note, kept for
    the moderators) and tell each reporter who left an address, in the language they
    reported in, after commit; returns the reports resolved.

    The address is a stranger's choice, so the mail carries only our fixed text and the
    entry's title and link: nothing a stranger wrote, nor the note. Rows are locked, so
    a report resolved twice at once is resolved, and mailed, once.
    """
    resolved = []
    for report in reports.open().select_for_update().order_by("pk"):
        report.resolved_at, report.resolved_by, report.resolution_note = timezone.now(), by, note
        report.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
        if report.email and report.entry is not None:
            send_later(
                to=[report.email],
                template="core/email/report_resolved",
                context={"entry": report.entry},
                language=report.language,
            )
        resolved.append(report)
    return resolved
