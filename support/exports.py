"""The board's CSV and XLSX columns (core.exports)."""

from django.utils.translation import gettext_lazy

from accmr.core.exports import Export

SUPPORT_EXPORT = Export(
    filename="support",
    sheet=gettext_lazy("Support board"),
    url_name="support:detail",
    url_key="pk",
    fields=(
        *(f"{name}_{lang}" for name in ("title", "description") for lang in ("el", "en")),
        *(f"organisation__name_{lang}" for lang in ("el", "en")),
        "organisation__is_supporter",
        "organisation__actor_type__slug",
        "kind",
        "quantity",
        "district__name_el",
        "district__name_en",
        "urgency",
        "state",
        "expires_on",
        "published_at",
    ),
    related=("organisation__actor_type", "district"),
    relations=("support_types", "languages"),
    columns=(
        (gettext_lazy("Offer or request"), lambda p: p.get_kind_display(), 12),
        (gettext_lazy("Title"), lambda p: p.title, 40),
        (gettext_lazy("Posted by"), lambda p: str(p.poster), 30),
        (gettext_lazy("Kind of support"), lambda p: p.export_terms["support_types"], 32),
        (gettext_lazy("Languages"), lambda p: p.export_terms["languages"], 20),
        (gettext_lazy("Quantity"), lambda p: p.quantity, 20),
        (gettext_lazy("Municipal district"), lambda p: p.district.name if p.district else "", 20),
        (gettext_lazy("How urgent"), lambda p: p.get_urgency_display(), 10),
        (gettext_lazy("State"), lambda p: p.get_shown_state_display(), 12),
        (gettext_lazy("On the board until"), lambda p: p.expires_on, 14),
        (gettext_lazy("Description"), lambda p: p.description, 60),
        (gettext_lazy("Link"), lambda p: p.export_url, 40),
    ),
)
