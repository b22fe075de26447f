from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _

from accmr.core.access import get_entry_for_viewer
from accmr.core.cache import public_page
from accmr.core.lists import FilteredList
from accmr.core.sections import ProfileGroup

from .exports import TOOLBOX_EXPORT
from .filters import ToolboxFilter
from .models import ToolboxItem


class ToolboxList(FilteredList):
    model = ToolboxItem
    filterset_class = ToolboxFilter
    template_name = "toolbox/item_list.html"
    card_template = "toolbox/_item_card.html"
    sorts = {"newest": (_("newest first"), "newest"), "title": (_("title"), "by_name")}
    export = TOOLBOX_EXPORT
    title = _("Toolbox")
    filters_label = _("Filter the toolbox")


def profile_groups(organisation, items) -> list[ProfileGroup]:
    """A member's profile lists its publications newest first."""
    return [ProfileGroup("", items.newest())]


@public_page()
def item_detail(request, slug):
    item = get_entry_for_viewer(request, ToolboxItem.objects.for_detail(), slug)
    return render(request, "toolbox/item_detail.html", {"item": item})


def _stored(field):
    """The open file of `field`, or a 404 (the site's page) if it is not in storage."""
    if not field:
        raise Http404
    try:
        return field.storage.open(field.name, "rb")
    except OSError:  # FileNotFoundError among others
        raise Http404 from None


def item_download(request, slug):
    """The document under a safe name of its own, with its type and as an attachment;
    counted (not for moderators looking at an unpublished one)."""
    item = get_entry_for_viewer(request, ToolboxItem.objects.defer("document_text"), slug)
    stored = _stored(item.file)
    if item.is_published and request.method == "GET":
        ToolboxItem.objects.filter(pk=item.pk).update(download_count=F("download_count") + 1)
    response = FileResponse(
        stored, as_attachment=True, filename=item.download_name, content_type=item.content_type
    )
    patch_cache_control(response, private=True, max_age=3600)
    return response


def item_preview(request, slug):
    """The first page's picture (its URL carries the file's name, so it is cached long)."""
    item = get_entry_for_viewer(request, ToolboxItem.objects.defer("document_text"), slug)
    response = FileResponse(_stored(item.preview), content_type="image/png")
    if item.is_published:
        patch_cache_control(response, public=True, max_age=86400 * 30)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
