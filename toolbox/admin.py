from django.contrib import admin
from django.db import models
from modeltranslation.admin import TranslationAdmin

from accmr.core.admin_bases import AuditedAdmin, ModeratedAdmin, VersionedAdminForm
from accmr.core.widgets import LabelledFileWidget

from .forms import DocumentUploadField
from .models import ToolboxItem


class ToolboxItemAdminForm(VersionedAdminForm):
    class Meta:
        model = ToolboxItem
        fields = "__all__"  # noqa: DJ007 (the admin lays them out)
        field_classes = {"file": DocumentUploadField}


@admin.register(ToolboxItem)
class ToolboxItemAdmin(ModeratedAdmin, AuditedAdmin, TranslationAdmin):
    """Admins publish items of their own (a member or a free-text publisher) and review
    the members' submissions; the downloads count is theirs to read."""

    form = ToolboxItemAdminForm
    list_display = ("title", "publisher", "kind", "published_on", "status", "download_count")
    list_filter = ("status", "kind", "file_kind")
    list_select_related = ("organisation",)
    search_fields = ("title_el", "title_en", "publisher_name_el", "organisation__name_el")
    autocomplete_fields = ["organisation"]
    filter_horizontal = ("topics", "document_languages")
    readonly_fields = ("file_kind", "file_size", "page_count", "download_count")
    formfield_overrides = {
        models.FileField: {"form_class": DocumentUploadField, "widget": LabelledFileWidget}
    }

    @admin.display(description=ToolboxItem._meta.get_field("publisher_name").verbose_name)
    def publisher(self, item):
        return item.publisher
