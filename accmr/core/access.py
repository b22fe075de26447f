"""Who may see a public entry, and what staff may see beyond the public pages. Views
never fetch an entry by slug any other way.

Staff status only lets a person into the admin: what they see there, and anything not
public elsewhere, follows their view permission on the model it belongs to."""

from django.apps import apps
from django.db import models
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import Http404

from .uploads import PRIVATE, UploadStorage


def may_view(user, model) -> bool:
    """True if `user` may view rows of `model` that are not public (a staff account with
    the model's view permission, or a superuser)."""
    opts = model._meta
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )


def get_entry_for_viewer(request, queryset, slug: str | None = None, *, pk: int | None = None):
    """The entry at `slug` (or `pk`) in `queryset` if this visitor may see it; 404 otherwise.

    Visitors see published entries only. Moderators who may view the model in the admin
    also see unpublished ones, so they can check an entry before approving it; the page
    marks it as not public. So does the one entry a preview has cleared for this request
    (`request.previewing`, set by the members app's preview for the entry's own editors),
    whatever its status.
    """
    previewing = getattr(request, "previewing", None)
    if isinstance(previewing, queryset.model):
        queryset = queryset.filter(pk=previewing.pk)
    elif not may_view(request.user, queryset.model):
        queryset = queryset.published()
    try:
        return queryset.get(**({"slug": slug} if pk is None else {"pk": pk}))
    except queryset.model.DoesNotExist:
        raise Http404 from None


def may_view_private_file(user, name: str) -> bool:
    """True if `user` may open the private upload `name` ("private/…"): it belongs to a
    row of a model they may view (an unapproved organisation's logo), or to a proposed
    change and they may view changes. A file nothing refers to is nobody's (a query per
    model with private uploads)."""
    from .models import ChangeSet

    if not (user.is_authenticated and user.is_staff and name.startswith(PRIVATE)):
        return False
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.FileField) and isinstance(f.storage, UploadStorage)
        ]
        for field in fields:
            if may_view(user, model) and model._default_manager.filter(**{field: name}).exists():
                return True
    # A change-set holds the names of the files it proposes among its JSON values.
    return may_view(user, ChangeSet) and (
        ChangeSet.objects.annotate(text=Cast("data", TextField()))
        .filter(text__contains=f'"{name}"')
        .exists()
    )
