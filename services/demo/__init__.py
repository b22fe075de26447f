"""The services' demo data (services.toml beside this module) and, for --scale, bulk
copies of it spread over the synthetic organisations."""

from datetime import time, timedelta
from decimal import Decimal
from itertools import batched
from pathlib import Path

from django.utils import timezone

from accmr.core.demo import DemoRun, copy_of, missing_copies, offset, read_toml, save_copies
from accmr.core.models import Status
from accmr.taxonomy.models import Category, District, Language, TargetGroup

from ..models import Closure, Schedule, Service

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
EVERY_DAY = [*WEEKDAYS, "SA", "SU"]
# Opening hours by kind of service: (kind, [(days, opens, closes), …], opens on holidays,
# note in Greek, note in English); each (days, …) is one period, as an editor enters it. A
# period closing before it opens runs past midnight. A service whose description names
# days or hours says `hours = "<kind>"` in services.toml (tests/test_hours_demo.py).
HOURS = {
    "office": ("regular", [(WEEKDAYS, "09:00", "17:00")], False, "", ""),
    "afternoon": ("regular", [(WEEKDAYS, "16:00", "19:00")], False, "", ""),
    "daily": ("regular", [(EVERY_DAY, "10:00", "20:00")], True, "", ""),
    "tuesday": ("regular", [(["TU"], "10:00", "14:00")], False, "", ""),
    "wednesday": ("regular", [(["WE"], "11:00", "13:00")], False, "", ""),
    "thursday-evening": ("regular", [(["TH"], "18:00", "20:00")], False, "", ""),
    "sunday": ("regular", [(["SU"], "10:00", "13:00")], True, "", ""),
    "monthly": (
        "appointment",
        [],
        False,
        "Η διανομή γίνεται μία φορά τον μήνα· τηλεφωνήστε για την ημερομηνία.",
        "Parcels are handed out once a month: call for the date.",
    ),
    "clinic": (
        "regular",
        [(WEEKDAYS, "08:00", "14:00")],
        False,
        "Ελάτε έως τις 12:00 για να εξυπηρετηθείτε την ίδια μέρα.",
        "Arrive by 12:00 to be seen the same day.",
    ),
    "split": (
        "regular",
        [(WEEKDAYS, "09:00", "13:00"), (WEEKDAYS, "17:00", "20:00")],
        False,
        "",
        "",
    ),
    "classes": (
        "regular",
        [(["MO", "TU", "WE", "TH"], "10:00", "12:00"), (["MO", "WE"], "18:00", "21:00")],
        False,
        "Εγγραφές στην πρώτη συνάντηση κάθε μήνα.",
        "Enrolment at the first class of each month.",
    ),
    "evening": ("regular", [(["MO", "WE"], "18:00", "21:00")], False, "", ""),
    "kitchen": ("regular", [(EVERY_DAY, "12:00", "15:00")], True, "", ""),
    "night": (
        "regular",
        [(EVERY_DAY, "20:00", "08:00")],
        True,
        "Είσοδος έως τις 23:00.",
        "Entry until 23:00.",
    ),
    "weekend": ("regular", [(["SA", "SU"], "10:00", "14:00")], False, "", ""),
    "saturday": ("regular", [(["SA"], "12:00", "15:00")], True, "", ""),
    "always": ("always", [], True, "", ""),
    "appointment": (
        "appointment",
        [],
        False,
        "Κλείστε ραντεβού στο τηλέφωνο ή με e-mail.",
        "Book an appointment by phone or e-mail.",
    ),
}
LEGAL = {"asylum-procedure", "family-reunification", "residence-permits", "labour-rights"}


def hours_kind(row: dict) -> str:
    """Realistic hours for a demo service: a helpline 24 hours, legal advice by
    appointment, a municipal clinic in the mornings, language classes in the evening…"""
    slug, flags, categories = row["slug"], set(row["flags"]), set(row["categories"])
    if row.get("hours"):
        return row["hours"]
    if "night-shelter" in slug:
        return "night"
    if any(word in slug for word in ("helpline", "hotline", "info-line", "shelter")):
        return "always"
    if categories & LEGAL:
        return "appointment"
    if slug.startswith("clinics-") or "primary-care" in categories and "outreach" not in flags:
        return "clinic"
    if "greek-language" in categories:
        return "classes"
    if "other-languages" in categories:
        return "evening"
    if "food" in categories:
        return "kitchen"
    if "culture-inclusion" in categories:
        return "weekend"
    return "split" if slug.startswith("kyada-") else "office"


def _hours(service: Service, kind: str) -> None:
    mode, periods, holidays, note_el, note_en = HOURS[kind]
    service.hours, service.opens_on_holidays = mode, holidays
    service.hours_notes_el, service.hours_notes_en = note_el, note_en
    service.save(update_fields=["hours", "opens_on_holidays", "hours_notes_el", "hours_notes_en"])
    service.schedules.all().delete()
    Schedule.objects.bulk_create(
        Schedule(
            service=service,
            byday=",".join(days),
            opens_at=time.fromisoformat(opens),
            closes_at=time.fromisoformat(closes),
        )
        for days, opens, closes in periods
    )


HERE = Path(__file__).parent
# Short bilingual texts for the fields every service has: (how to apply, documents).
ACCESS = {
    "default": (
        "Τηλεφωνήστε ή ελάτε τις ώρες λειτουργίας. Οι επαγγελματίες μπορούν να στείλουν παραπομπή με e-mail.",
        "Call or walk in during opening hours. Professionals can send a referral by e-mail.",
        "Ταυτότητα ή έγγραφο καταγραφής, αν υπάρχει.",
        "An ID or registration document, if the person has one.",
    ),
    "referral": (
        "Μόνο με παραπομπή από κοινωνικό λειτουργό ή άλλη υπηρεσία. Στείλτε το έντυπο παραπομπής με e-mail.",
        "Only by referral from a social worker or another service. Send the referral form by e-mail.",
        "Έντυπο παραπομπής και έγγραφο ταυτοποίησης.",
        "A referral form and an identity document.",
    ),
}
ELIGIBILITY = (
    "Για όσους ανήκουν στις ομάδες-στόχο που αναφέρονται, ανεξάρτητα από εθνικότητα.",
    "For people in the target groups listed, whatever their nationality.",
)
FEES = (
    "Μειωμένα δίδακτρα για πρόσφυγες και ανέργους.",
    "Reduced fees for refugees and unemployed people.",
)
FUNDING = (
    "Συγχρηματοδότηση από την Ευρωπαϊκή Ένωση (AMIF)",
    "Co-funded by the European Union (AMIF)",
)


def rows() -> list[dict]:
    return read_toml(HERE / "services.toml")["services"]


def load(run: DemoRun) -> None:
    terms = {
        model: {t.slug: t for t in model.objects.all()}
        for model in (Category, District, Language, TargetGroup)
    }
    services = rows()
    for index, row in enumerate(services):
        _service(run, index, row, terms)
    run.say(f"Demo data: {len(services)} services.")
    if run.scale:
        created = _synthetic(run, terms[District])
        run.say(f"Synthetic volume: {created} services added for --scale {run.scale}.")


def _service(run: DemoRun, index: int, row: dict, terms) -> None:
    flags = set(row["flags"])
    organisation = run.shared["organisations"][row["organisation"]]
    org = row["organisation"]
    location = (
        Service.LocationType.VIRTUAL
        if "virtual" in flags
        else Service.LocationType.OUTREACH
        if "outreach" in flags
        else Service.LocationType.PHYSICAL
    )
    access = ACCESS["referral" if "referral" in flags else "default"]
    charged = bool({"paid", "mixed"} & flags)
    eu_funded = org in ("kem", "iom")
    fields = {
        "organisation": organisation,
        "name_el": row["name_el"],
        "name_en": row["name_en"],
        "description_el": row["description_el"],
        "description_en": row["description_en"],
        "location_type": location,
        "address_el": "",
        "address_en": "",
        "postcode": "",
        "district": None,
        "latitude": None,
        "longitude": None,
        "address_confidential": "confidential" in flags,
        "phone": f"+30 210 6{index:02d} {1000 + index * 37}",
        "email": f"{row['slug'][:30]}@{org}.example.org",
        "website": organisation.website,
        "cost": "paid" if "paid" in flags else "mixed" if "mixed" in flags else "free",
        "fees_description_el": FEES[0] if charged else "",
        "fees_description_en": FEES[1] if charged else "",
        "referral_required": "referral" in flags,
        "wheelchair_access": (
            "yes" if "wheelchair" in flags else "no" if "no-wheelchair" in flags else ""
        ),
        "interpretation_available": "interpretation" in flags,
        "funding_el": FUNDING[0] if eu_funded else "",
        "funding_en": FUNDING[1] if eu_funded else "",
        "status": Status.PENDING if "pending" in flags else Status.PUBLISHED,
        "valid_until": run.today - timedelta(days=30) if "expired" in flags else None,
        "assured_date": run.today
        - timedelta(days=400 + index if "stale" in flags else (index * 11) % 170),
        "application_process_el": access[0],
        "application_process_en": access[1],
        "required_documents_el": access[2],
        "required_documents_en": access[3],
        "eligibility_description_el": ELIGIBILITY[0],
        "eligibility_description_en": ELIGIBILITY[1],
    }
    if row["place"]:
        place = run.shared["places"][row["place"]]
        number = 3 + (index * 7) % 90
        fields["district"] = terms[District][place["district"]]
        if location == Service.LocationType.PHYSICAL:
            fields.update(
                address_el=f"{place['street_el']} {number}",
                address_en=f"{number} {place['street_en']}",
                postcode=place["postcode"],
                latitude=Decimal(str(place["latitude"])) + offset(index),
                longitude=Decimal(str(place["longitude"])) + offset(index + 5),
            )
    if fields["status"] == Status.PUBLISHED:
        fields["published_at"] = timezone.now()
    service, _ = Service.objects.update_or_create(slug=row["slug"], defaults=fields)
    service.categories.set([terms[Category][c] for c in row["categories"]])
    service.target_groups.set([terms[TargetGroup][g] for g in row["target_groups"]])
    service.languages.set([terms[Language][code] for code in row["languages"]])
    _hours(service, hours_kind(row))
    service.closures.all().delete()
    for days_ahead, length, reason_el, reason_en in row.get("closures", []):
        starts = run.today + timedelta(days=days_ahead)
        Closure.objects.create(
            service=service,
            starts_on=starts,
            ends_on=starts + timedelta(days=length - 1),
            reason_el=reason_el,
            reason_en=reason_en,
        )


def _synthetic(run: DemoRun, districts) -> int:
    """Bulk-create 80×N copies of the published demo services over the synthetic
    organisations; returns how many were missing (and so created)."""
    missing = missing_copies(Service, "synthetic", run.scale * 80)
    organisations = run.shared["synthetic_organisations"]
    places = list(run.shared["places"].values())
    templates = [
        t
        for t in Service.objects.filter(slug__in=[row["slug"] for row in rows()]).prefetch_related(
            "categories", "target_groups", "languages", "schedules"
        )
        if t.status == Status.PUBLISHED and t.valid_until is None
    ]
    for chunk in batched(missing, 2000):
        batch = []
        for n, slug in chunk:
            template = templates[n % len(templates)]
            copy = copy_of(
                template, slug=slug, organisation=organisations[n % len(organisations)], n=n
            )
            if copy.district_id:
                copy.district = districts[str(n % 7 + 1)]
                if copy.latitude is not None:
                    place = places[n % len(places)]
                    copy.district = districts[place["district"]]
                    copy.latitude = Decimal(str(place["latitude"])) + offset(n)
                    copy.longitude = Decimal(str(place["longitude"])) + offset(n + 3)
            copy.assured_date = run.today - timedelta(days=n % 500)
            copy.refresh_keys()
            batch.append((copy, template))
        created = save_copies(batch, ("categories", "target_groups", "languages"))
        Schedule.objects.bulk_create(
            Schedule(
                service_id=created[copy.slug],
                byday=period.byday,
                opens_at=period.opens_at,
                closes_at=period.closes_at,
            )
            for copy, template in batch
            for period in template.schedules.all()
        )
    return len(missing)
