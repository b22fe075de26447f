"""python manage.py seed_demo [--scale N]: load the bilingual demo data (idempotent)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accmr.core.models import Status
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import ActorType, Category, District, Language, TargetGroup
from services.demo_data import ORGANISATIONS, PLACES, SERVICES
from services.models import Service

# Short bilingual texts per top category for the fields every service has.
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


DEMO_PASSWORD = "accmr-demo-2026"
# (login, organisation key or None for the moderator, role)
DEMO_EDITORS = [
    ("editor@kem.example.org", "kem", Membership.Role.ADMIN),
    ("editor@legal-borders.example.org", "legal-borders", Membership.Role.ADMIN),
    ("editor@legal-borders.example.org", "law-clinic", Membership.Role.EDITOR),
    ("editor@somali-community.example.org", "somali-community", Membership.Role.ADMIN),
    ("moderator@accmr.example.org", None, None),
]


def _offset(index: int) -> Decimal:
    """A small, repeatable offset (±0.002°) so pins in one neighbourhood do not overlap."""
    return Decimal((index * 37) % 41 - 20) / Decimal(10000)


class Command(BaseCommand):
    help = "Load the bilingual demo organisations and services; --scale N adds synthetic volume."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            help="Add about 80×N synthetic services (N=250 → 20,000).",
        )

    @transaction.atomic
    def handle(self, *args, scale=0, **options):
        self.today = timezone.localdate()
        self.terms = {
            model: {t.slug: t for t in model.objects.all()}
            for model in (ActorType, Category, District, Language, TargetGroup)
        }
        organisations = {key: self._organisation(key, *row) for key, row in ORGANISATIONS.items()}
        for index, row in enumerate(SERVICES):
            self._service(index, organisations, *row)
        say = self.stdout.write if options["verbosity"] else lambda message: None
        say(f"Demo data: {len(organisations)} organisations, {len(SERVICES)} services.")
        for line in self._accounts(organisations):
            say(line)
        if scale:
            created = self._synthetic(scale)
            say(f"Synthetic volume: {created} services added for --scale {scale}.")
            if created and connection.vendor == "postgresql":
                # Fresh planner statistics: after a bulk load the estimates say 1 row and
                # the list pages get nested-loop plans ten times slower.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")

    def _accounts(self, organisations) -> list[str]:
        """Demo logins (development only): editors of some organisations and a moderator."""
        User = get_user_model()
        moderators, _ = Group.objects.get_or_create(name="Moderators")
        moderators.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=["core", "taxonomy", "members", "services"]
            )
        )
        lines = [f"Demo accounts (password {DEMO_PASSWORD!r}, development only):"]
        for username, org_key, role in DEMO_EDITORS:
            user = self._user(User, username)
            if org_key:
                Membership.objects.get_or_create(
                    user=user, organisation=organisations[org_key], defaults={"role": role}
                )
                lines.append(f"  {username} – {role} of {organisations[org_key].name_en}")
            else:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
                user.groups.add(moderators)
                lines.append(f"  {username} – moderator (admin site)")
        return lines

    def _user(self, User, username):
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": username, "first_name": username.split("@")[0]}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _organisation(self, key, actor, place, name_el, name_en, desc_el, desc_en, website):
        district, _h_el, _h_en, street_el, street_en, postcode, *_ = PLACES[place]
        number = 10 + len(key)
        organisation, _ = Organisation.objects.update_or_create(
            slug=key,
            defaults={
                "name_el": name_el,
                "name_en": name_en,
                "description_el": desc_el,
                "description_en": desc_en,
                "actor_type": self.terms[ActorType][actor],
                "website": website,
                "email": f"info@{key}.example.org",
                "phone": f"+30 210 5{len(key):02d} {sum(map(ord, key)) % 9000 + 1000}",
                "address_el": f"{street_el} {number}, {postcode} Αθήνα",
                "address_en": f"{number} {street_en}, {postcode} Athens",
                "district": self.terms[District][district],
                "preferred_language": "en" if actor.startswith("international") else "el",
                "approval": Organisation.Approval.APPROVED,
                "trusted": actor == "local-government",
            },
        )
        return organisation

    def _service(
        self,
        index,
        organisations,
        slug,
        org,
        place,
        name_el,
        name_en,
        desc_el,
        desc_en,
        categories,
        groups,
        languages,
        flags,
    ):
        flags = set(flags.split())
        organisation = organisations[org]
        location = (
            Service.LocationType.VIRTUAL
            if "virtual" in flags
            else Service.LocationType.OUTREACH
            if "outreach" in flags
            else Service.LocationType.PHYSICAL
        )
        fields = {
            "organisation": organisation,
            "name_el": name_el,
            "name_en": name_en,
            "description_el": desc_el,
            "description_en": desc_en,
            "location_type": location,
            "address_el": "",
            "address_en": "",
            "postcode": "",
            "district": None,
            "latitude": None,
            "longitude": None,
            "address_confidential": "confidential" in flags,
            "phone": f"+30 210 6{index:02d} {1000 + index * 37}",
            "email": f"{slug[:30]}@{org}.example.org",
            "website": organisation.website,
            "cost": "paid" if "paid" in flags else "mixed" if "mixed" in flags else "free",
            "fees_description_el": "Μειωμένα δίδακτρα για πρόσφυγες και ανέργους."
            if {"paid", "mixed"} & flags
            else "",
            "fees_description_en": "Reduced fees for refugees and unemployed people."
            if {"paid", "mixed"} & flags
            else "",
            "referral_required": "referral" in flags,
            "wheelchair_access": "wheelchair" in flags,
            "interpretation_available": "interpretation" in flags,
            "funding_el": "Συγχρηματοδότηση από την Ευρωπαϊκή Ένωση (AMIF)"
            if org in ("kem", "iom")
            else "",
            "funding_en": "Co-funded by the European Union (AMIF)" if org in ("kem", "iom") else "",
            "status": Status.PENDING if "pending" in flags else Status.PUBLISHED,
            "valid_until": self.today - timedelta(days=30) if "expired" in flags else None,
            "assured_date": self.today
            - timedelta(days=400 + index if "stale" in flags else (index * 11) % 170),
        }
        access = ACCESS["referral" if "referral" in flags else "default"]
        fields.update(
            application_process_el=access[0],
            application_process_en=access[1],
            required_documents_el=access[2],
            required_documents_en=access[3],
            eligibility_description_el=ELIGIBILITY[0],
            eligibility_description_en=ELIGIBILITY[1],
        )
        if place:
            district, _h_el, _h_en, street_el, street_en, postcode, lat, lon = PLACES[place]
            number = 3 + (index * 7) % 90
            fields["district"] = self.terms[District][district]
            if location == Service.LocationType.PHYSICAL:
                fields.update(
                    address_el=f"{street_el} {number}",
                    address_en=f"{number} {street_en}",
                    postcode=postcode,
                    latitude=Decimal(str(lat)) + _offset(index),
                    longitude=Decimal(str(lon)) + _offset(index + 5),
                )
        if fields["status"] == Status.PUBLISHED:
            fields["published_at"] = timezone.now()
        service, _ = Service.objects.update_or_create(slug=slug, defaults=fields)
        service.categories.set([self.terms[Category][c] for c in categories.split()])
        service.target_groups.set([self.terms[TargetGroup][g] for g in groups.split()])
        service.languages.set([self.terms[Language][code] for code in languages.split()])

    def _synthetic(self, scale: int) -> int:
        """Bulk-create copies of the demo services spread over synthetic organisations."""
        actor_types = list(self.terms[ActorType].values())
        districts = self.terms[District]
        wanted = {f"synthetic-{n}" for n in range(scale * 80)}
        missing = sorted(
            wanted - set(Service.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        )
        organisations = []
        for n in range(scale * 2):
            organisation, _ = Organisation.objects.get_or_create(
                slug=f"synthetic-org-{n}",
                defaults={
                    "name_el": f"Συνεργαζόμενος φορέας {n}",
                    "name_en": f"Partner organisation {n}",
                    "actor_type": actor_types[n % len(actor_types)],
                    "approval": Organisation.Approval.APPROVED,
                },
            )
            organisations.append(organisation)
        templates = list(
            Service.objects.filter(slug__in=[row[0] for row in SERVICES]).prefetch_related(
                "categories", "target_groups", "languages"
            )
        )
        templates = [t for t in templates if t.status == Status.PUBLISHED and t.valid_until is None]
        Through = (
            Service.categories.through,
            Service.target_groups.through,
            Service.languages.through,
        )
        for start in range(0, len(missing), 2000):
            batch = []
            for slug in missing[start : start + 2000]:
                n = int(slug.rsplit("-", 1)[1])
                template = templates[n % len(templates)]
                copy = Service(
                    **{
                        f.attname: getattr(template, f.attname)
                        for f in Service._meta.concrete_fields
                        if f.attname not in ("id", "slug", "organisation_id", "search_text")
                    }
                )
                copy.slug = slug
                copy.organisation = organisations[n % len(organisations)]
                copy.name_el = f"{template.name_el} · {n}"
                copy.name_en = f"{template.name_en} · {n}"
                if copy.district_id:
                    copy.district = districts[str(n % 7 + 1)]
                    if copy.latitude is not None:
                        place = list(PLACES.values())[n % len(PLACES)]
                        copy.district = districts[place[0]]
                        copy.latitude = Decimal(str(place[6])) + _offset(n)
                        copy.longitude = Decimal(str(place[7])) + _offset(n + 3)
                copy.assured_date = self.today - timedelta(days=n % 500)
                copy.refresh_keys()
                batch.append((copy, template))
            Service.objects.bulk_create([copy for copy, _ in batch])
            created = {
                s.slug: s.pk for s in Service.objects.filter(slug__in=[c.slug for c, _ in batch])
            }
            for through, field, related in zip(
                Through,
                ("category_id", "targetgroup_id", "language_id"),
                ("categories", "target_groups", "languages"),
                strict=True,
            ):
                through.objects.bulk_create(
                    [
                        through(service_id=created[copy.slug], **{field: term.pk})
                        for copy, template in batch
                        for term in getattr(template, related).all()
                    ]
                )
        return len(missing)
