import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy as _

from accmr.core.forms import BilingualModelForm, translated_fields
from accmr.core.uploads import generated_name
from accmr.taxonomy.forms import offer_categories, offer_languages

from . import documents
from .models import ToolboxItem

ACCEPT = ".pdf,.docx,.odt,.xlsx,.ods," + ",".join(kind[2] for kind in documents.KINDS.values())
# Markup, quotes and control characters have no business in a document's name.
UNSAFE_NAME = re.compile(r'[<>"\\/:|?*\x00-\x1f\x7f]')


class DocumentUploadField(forms.FileField):
    """A PDF, DOCX, ODT, XLSX or ODS file of at most MAX_UPLOAD_BYTES, its type read from
    its content and checked (documents.check: quick, no pages read); it is handed on under
    a generated name with the right extension. The item reads it later, in a task."""

    default_error_messages = {
        "too_big": _("The file is larger than %(size)s MB. Please upload a smaller one."),
        "unsafe_name": _(
            "The file's name contains characters that are not allowed (such as < > \" / \\). "
            "Rename the file and upload it again."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def to_python(self, data):
        if (
            getattr(data, "oversized", False)
            or getattr(data, "size", 0) > settings.MAX_UPLOAD_BYTES
        ):
            raise ValidationError(
                self.error_messages["too_big"],
                code="too_big",
                params={"size": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        upload = super().to_python(data)  # refuses an empty file
        if upload is None:
            return None
        if UNSAFE_NAME.search(upload.name or ""):
            raise ValidationError(self.error_messages["unsafe_name"], code="unsafe_name")
        content = upload.read()
        try:
            document = documents.check(content)
        except documents.NotADocument as refused:
            raise ValidationError(refused.message, code="not_document") from None
        checked = SimpleUploadedFile(
            generated_name(document.extension),
            content,
            content_type=documents.KINDS[document.kind][2],
        )
        return checked


SECTIONS = [
    (_("The document"), ["file", "external_url", "published_on"]),
    (_("Classification"), ["kind", "topics", "document_languages"]),
]


class ToolboxItemForm(BilingualModelForm):
    sections = SECTIONS

    class Meta:
        model = ToolboxItem
        # The translated ones (translation.py) come first, side by side in both languages.
        fields = [
            *translated_fields(ToolboxItem),
            *(name for _legend, names in SECTIONS for name in names),
        ]
        field_classes = {"file": DocumentUploadField}
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "document_languages": forms.CheckboxSelectMultiple,
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offer_categories(self.fields["topics"])
        offer_languages(self.fields["document_languages"])
        size = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
        self.fields["file"].help_text = _(
            "A PDF, DOCX, ODT, XLSX or ODS file of up to %(size)s MB; or give a link below, "
            "or both."
        ) % {"size": size}
        self.fields["external_url"].help_text = _(
            "The document's page on the publisher's site, if it has one."
        )

    def clean(self):
        cleaned = super().clean()
        # The stored file unless cleared (False) or replaced: FileField cleans to it.
        if (
            not cleaned.get("file")
            and not cleaned.get("external_url")
            and not self.has_error("file")
        ):
            self.add_error("file", _("Upload the document, give a link to it, or both."))
        return cleaned
