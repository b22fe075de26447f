"""The services list's CSV and XLSX columns."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accmr.core.exports import Export, yes_no

from .models import Service


def _address(s: Service) -> str:
    if s.address_confidential:
        return _("Confidential: contact the service for the address")
    if s.location_type != Service.LocationType.PHYSICAL:
        return s.get_location_type_display()
    return ", ".join(filter(None, [s.address, s.postcode]))


SERVICE_EXPORT = Export(
    filename="services",
    sheet=gettext_lazy("Services"),
    url_name="services:detail",
    fields=(
        *(f"{name}_{lang}" for name in ("name", "address") for lang in ("el", "en")),
        *(f"{rel}__name_{lang}" for rel in ("organisation", "district") for lang in ("el", "en")),
        "slug",
        "postcode",
        "address_confidential",
        "location_type",
        "phone",
        "email",
        "website",
        "cost",
        "referral_required",
        "assured_date",
    ),
    related=("organisation", "district"),
    relations=("categories", "languages", "target_groups"),
    columns=(
        (gettext_lazy("Name"), lambda s: s.name),
        (gettext_lazy("Organisation"), lambda s: s.organisation.name),
        (gettext_lazy("Categories"), lambda s: s.export_terms["categories"]),
        (gettext_lazy("Municipal district"), lambda s: s.district.name if s.district else ""),
        (gettext_lazy("Address"), _address),
        (gettext_lazy("Phone"), lambda s: s.phone),
        (gettext_lazy("E-mail"), lambda s: s.email),
        (gettext_lazy("Website"), lambda s: s.website),
        (gettext_lazy("Cost"), lambda s: s.get_cost_display()),
        (gettext_lazy("Referral required"), lambda s: yes_no(s.referral_required)),
        (gettext_lazy("Languages spoken"), lambda s: s.export_terms["languages"]),
        (gettext_lazy("Target groups"), lambda s: s.export_terms["target_groups"]),
        (
            pgettext_lazy("service", "Last verified"),
            lambda s: s.assured_date.isoformat() if s.assured_date else "",
        ),
        (gettext_lazy("Link"), lambda s: s.export_url),
    ),
)
