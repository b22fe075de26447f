from dataclasses import dataclass
from datetime import datetime

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accmr.core.access import may_view
from accmr.core.models import ChangeSet, Report, Status
from accmr.core.sections import entry_types, reviewed_kinds

register = template.Library()
NEWEST = 3


@dataclass
class Waiting:
    """One line of the moderators' overview: what waits, how many, and the newest few."""

    label: str
    count: int
    url: str
    newest: list[tuple[datetime, str, str]]  # (since, name, admin URL)


def _admin_url(model, name: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{name}", args=args)


def _entries(model, queryset, label, since_field: str, query: str) -> Waiting:
    rows = queryset.order_by(f"-{since_field}")[:NEWEST]
    return Waiting(
        label=label,
        count=queryset.count(),
        url=f"{_admin_url(model, 'changelist')}?{query}",
        newest=[
            (getattr(row, since_field), str(row), _admin_url(model, "change", row.pk))
            for row in rows
        ],
    )


def _by_kind(model, queryset, label, since_field: str, query: str, content_type) -> Waiting:
    """Change-sets or reports of one kind of entry (their entries fetched per kind)."""
    queryset = queryset.filter(content_type=content_type)
    line = _entries(model, queryset.prefetch_related("entry"), label, since_field, query)
    line.url += f"&kind={content_type.pk}"
    return line


@register.simple_tag
def review_queue(user) -> list[Waiting]:
    """What waits for a moderator, newest first within each line: organisations to
    approve, new entries and proposed changes of every kind, open problem reports (a few
    queries per kind). Only the lines of what `user` may view: staff status alone shows
    nothing, not even a pending organisation's name."""
    reviewed = [k for k in reviewed_kinds() if may_view(user, k.model)]
    queue = [
        _entries(k.model, k.waiting(), k.waiting_label, k.since_field, k.waiting_query)
        for k in reviewed
    ]
    entry_models = [t.model for t in entry_types()]
    kinds = [*(k.model for k in reviewed), *entry_models]
    types = ContentType.objects.get_for_models(*kinds)
    changes, reports = may_view(user, ChangeSet), may_view(user, Report)
    for model in kinds:
        plural = capfirst(model._meta.verbose_name_plural)
        if model in entry_models and may_view(user, model):
            queue.append(
                _entries(
                    model,
                    model._default_manager.filter(status=Status.PENDING),
                    _("%(kind)s: new, waiting for review") % {"kind": plural},
                    "updated_at",
                    f"status__exact={Status.PENDING}",
                )
            )
        if changes:
            queue.append(
                _by_kind(
                    ChangeSet,
                    ChangeSet.objects.pending(),
                    _("%(kind)s: changes waiting for review") % {"kind": plural},
                    "submitted_at",
                    f"state__exact={ChangeSet.State.PENDING}",
                    types[model],
                )
            )
    for model in entry_models if reports else ():  # organisations are not reported, entries are
        queue.append(
            _by_kind(
                Report,
                Report.objects.open(),
                _("%(kind)s: open problem reports")
                % {"kind": capfirst(model._meta.verbose_name_plural)},
                "created_at",
                "state=open",
                types[model],
            )
        )
    return queue
