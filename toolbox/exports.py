"""The toolbox list's CSV and XLSX columns (core.exports)."""

from django.utils.translation import gettext_lazy

from accmr.core.exports import Export

TOOLBOX_EXPORT = Export(
    filename="toolbox",
    sheet=gettext_lazy("Toolbox"),
    url_name="toolbox:detail",
    fields=(
        *(
            f"{name}_{lang}"
            for name in ("title", "summary", "publisher_name")
            for lang in ("el", "en")
        ),
        *(f"organisation__name_{lang}" for lang in ("el", "en")),
        "slug",
        "kind",
        "published_on",
        "external_url",
        "file_kind",
        "file_size",
        "page_count",
    ),
    related=("organisation",),
    relations=("topics", "document_languages"),
    columns=(
        (gettext_lazy("Title"), lambda i: i.title, 40),
        (gettext_lazy("Kind"), lambda i: i.get_kind_display(), 20),
        (gettext_lazy("Publisher"), lambda i: i.publisher, 32),
        (gettext_lazy("Publication date"), lambda i: i.published_on, 14),
        (gettext_lazy("Topics"), lambda i: i.export_terms["topics"], 32),
        (
            gettext_lazy("Languages of the document"),
            lambda i: i.export_terms["document_languages"],
            24,
        ),
        (gettext_lazy("File"), lambda i: i.file_label, 14),
        (gettext_lazy("Pages"), lambda i: i.page_count, 8),
        (gettext_lazy("External link"), lambda i: i.external_url, 40),
        (gettext_lazy("Summary"), lambda i: i.summary or "", 50),
        (gettext_lazy("Link"), lambda i: i.export_url, 50),
    ),
)
