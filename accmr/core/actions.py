"""Writes shared by every app: moderators' decisions on Moderated entries."""

from django.contrib.auth.models import User
from django.db import transaction


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
        changed += 1
    return changed
