"""The services list's CSV and XLSX columns."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accmr.core.exports import Export, yes_no

from .hours import describe_week
from .models import Service


def _address(s: Service) -> str:
    if s.address_confidential:
        return _("Confidential: contact the service for the address")
    if s.location_type != Service.LocationType.PHYSICAL:
        return s.get_location_type_display()
    return ", ".join(filter(None, [s.address, s.postcode]))


REFERRAL_TEXTS = (
    "description",
    "eligibility_description",
    "application_process",
    "required_documents",
)

SERVICE_EXPORT = Export(
    filename="services",
    sheet=gettext_lazy("Services"),
    url_name="services:detail",
    fields=(
        *(
            f"{name}_{lang}"
            for name in ("name", "address", *REFERRAL_TEXTS)
            for lang in ("el", "en")
        ),
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
        "wheelchair_access",
        "assured_date",
        "hours",
        *(f"hours_notes_{lang}" for lang in ("el", "en")),
    ),
    related=("organisation", "district"),
    relations=("categories", "languages", "target_groups"),
    children=("schedules",),
    # (label, value, column width in the XLSX)
    columns=(
        (gettext_lazy("Name"), lambda s: s.name, 40),
        (gettext_lazy("Organisation"), lambda s: s.organisation.name, 32),
        (gettext_lazy("Categories"), lambda s: s.export_terms["categories"], 32),
        (gettext_lazy("Municipal district"), lambda s: s.district.name if s.district else "", 28),
        (gettext_lazy("Address"), _address, 36),
        (gettext_lazy("Phone"), lambda s: s.phone, 18),
        (gettext_lazy("E-mail"), lambda s: s.email, 28),
        (gettext_lazy("Website"), lambda s: s.website, 30),
        (
            gettext_lazy("Opening hours"),
            lambda s: "; ".join(
                filter(
                    None, [describe_week(s.hours, s.export_children["schedules"]), s.hours_notes]
                )
            ),
            44,
        ),
        (gettext_lazy("Cost"), lambda s: s.get_cost_display(), 16),
        (gettext_lazy("Referral required"), lambda s: yes_no(s.referral_required), 12),
        (gettext_lazy("Wheelchair access"), lambda s: s.get_wheelchair_access_display(), 14),
        (gettext_lazy("Languages spoken"), lambda s: s.export_terms["languages"], 24),
        (gettext_lazy("Target groups"), lambda s: s.export_terms["target_groups"], 28),
        (gettext_lazy("Description"), lambda s: s.description or "", 60),
        (gettext_lazy("Who can use it"), lambda s: s.eligibility_description or "", 50),
        (gettext_lazy("How to apply"), lambda s: s.application_process or "", 50),
        (gettext_lazy("Documents to bring"), lambda s: s.required_documents or "", 40),
        (pgettext_lazy("service", "Last verified"), lambda s: s.assured_date, 14),
        (gettext_lazy("Link"), lambda s: s.export_url, 50),
    ),
)
