from accmr.core.exports import Export

PROGRAMME_EXPORT = Export(
    filename="programmes",
    sheet="Programmes",
    url_name="kit:detail",
    url_key="pk",
    fields=("title_el", "title_en", "summary_el", "summary_en", "organisation__name_el"),
    related=("organisation",),
    columns=(
        ("Title", lambda p: p.title, 40),
        ("Organisation", lambda p: p.organisation.name, 32),
        ("Summary", lambda p: p.summary, 60),
        ("Link", lambda p: p.export_url, 40),
    ),
)
