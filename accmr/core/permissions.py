"""The "Moderators" group: exactly the permissions moderation needs, kept in step with the
registered entry types after every migrate.

A moderator sees and decides entries, organisations and proposed changes (view and
change: nothing is hard-deleted, and entries are created by their organisations, except
where a type lets moderators publish their own, as the toolbox does: add), sees the
child rows reviewed with an entry (its `child_relations`: opening hours, sessions),
reads the audit history and the terms the entries use, and sees the outgoing mail (its
state, never a text or an address) to send again what failed. Accounts, groups and the
terms themselves stay with superusers.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

MODERATORS = "Moderators"


def moderator_permissions() -> list[tuple[str, str]]:
    """(app label, codename) of every permission the Moderators group holds."""
    from .models import AuditEntry, ChangeSet, OutgoingMail, Report
    from .sections import entry_types, reviewed_kinds

    decided = [ChangeSet, Report, OutgoingMail, *(k.model for k in reviewed_kinds())]
    decided += [t.model for t in entry_types()]
    pairs = [
        (m._meta.app_label, f"{action}_{m._meta.model_name}")
        for m in decided
        for action in ("view", "change")
    ]
    pairs += [
        (t.model._meta.app_label, f"add_{t.model._meta.model_name}")
        for t in entry_types()
        if t.moderators_add
    ]
    # The rows reviewed with an entry show, read-only, in its change page's inlines.
    children = [
        t.model._meta.get_field(relation).related_model
        for t in entry_types()
        for relation in t.child_relations
    ]
    pairs += [(c._meta.app_label, f"view_{c._meta.model_name}") for c in children]
    pairs.append((AuditEntry._meta.app_label, f"view_{AuditEntry._meta.model_name}"))
    return pairs


def sync_moderators_group(**_kwargs) -> Group:
    """Create the group or set its permissions to exactly moderator_permissions() (a
    post_migrate receiver; permissions not created yet are added on a later signal)."""
    query = Q(pk__in=[])
    for app_label, codename in moderator_permissions():
        query |= Q(content_type__app_label=app_label, codename=codename)
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.set(Permission.objects.filter(query))
    return group


def moderator_emails() -> list[str]:
    """The addresses of everyone who moderates: the group's active members and superusers."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(is_superuser=True) | Q(groups__name=MODERATORS))
    return sorted(set(moderators.values_list("email", flat=True)))
