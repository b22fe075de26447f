from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accmr.core.entries import entry_types
from accmr.core.models import ChangeSet, Status

register = template.Library()


@register.simple_tag
def review_queue() -> list[tuple[str, int, str]]:
    """(what, how many wait, admin list of them) for every registered entry type and for
    the pending edits, for the moderators' overview (two queries per type)."""
    queue = []
    for entry_type in entry_types():
        opts = entry_type.model._meta
        waiting = entry_type.model._default_manager.filter(status=Status.PENDING).count()
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        queue.append((entry_type.label_plural, waiting, f"{url}?status__exact={Status.PENDING}"))
        content_type = ContentType.objects.get_for_model(entry_type.model)
        changes = ChangeSet.objects.filter(
            state=ChangeSet.State.PENDING, content_type=content_type
        ).count()
        changes_url = reverse("admin:core_changeset_changelist")
        queue.append(
            (
                f"{entry_type.label_plural}: {ChangeSet._meta.verbose_name_plural}",
                changes,
                f"{changes_url}?state__exact=pending&content_type__id__exact={content_type.pk}",
            )
        )
    return queue
