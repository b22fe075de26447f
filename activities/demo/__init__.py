"""The activities' demo data (activities.toml beside this module): at least 40 bilingual
activities from every kind of organiser, over the past month and the next three; with
--scale, bulk copies of them in proportion to the services."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from itertools import batched
from pathlib import Path

from django.utils import timezone

from accmr.core.demo import DemoRun, copy_of, missing_copies, offset, read_toml, save_copies
from accmr.core.models import Status
from accmr.taxonomy.models import (
    ActivityType,
    Category,
    District,
    Language,
    SupportType,
    TargetGroup,
)

from ..models import Activity, Session

HERE = Path(__file__).parent
DESCRIPTION = (
    "Η συμμετοχή είναι ανοιχτή σε όσους αναφέρονται παραπάνω. Για ερωτήσεις, επικοινωνήστε "
    "με τον οργανισμό.",
    "Open to the people listed above. For questions, contact the organisation.",
)


def rows() -> list[dict]:
    return read_toml(HERE / "activities.toml")["activities"]


def load(run: DemoRun) -> None:
    terms = {
        model: {t.slug: t for t in model.objects.all()}
        for model in (ActivityType, Category, District, Language, TargetGroup)
    }
    activities = rows()
    for index, row in enumerate(activities):
        _activity(run, index, row, terms)
    run.say(f"Demo data: {len(activities)} activities.")
    if run.scale:
        run.say(f"Synthetic volume: {_synthetic(run)} activities added for --scale {run.scale}.")


WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _moment(run: DemoRun, days: int, at: str, on: list[str] | None = None) -> datetime:
    """`days` from today at `at`; with `on` (weekday codes), moved on to the first of those
    days, so a "Sunday running club" meets on Sundays whatever day the demo is built."""
    day = run.today + timedelta(days=days)
    while on and WEEKDAYS[day.weekday()] not in on:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.fromisoformat(at)))


def _activity(run: DemoRun, index: int, row: dict, terms) -> None:
    organisation = run.shared["organisations"][row["organisation"]]
    fields = {
        "organisation": organisation,
        "title_el": row["title_el"],
        "title_en": row["title_en"],
        "summary_el": row["summary_el"],
        "summary_en": row["summary_en"],
        "description_el": DESCRIPTION[0],
        "description_en": DESCRIPTION[1],
        "activity_type": terms[ActivityType][row["type"]],
        "cost": "free",
        "registration_url": f"https://{row['organisation']}.example.org/register",
        "capacity": 20 + (index * 7) % 60,
        "status": Status.PUBLISHED,
        "published_at": timezone.now(),
        "address_el": "",
        "address_en": "",
        "postcode": "",
        "district": None,
        "latitude": None,
        "longitude": None,
    }
    if row["place"]:
        place = run.shared["places"][row["place"]]
        number = 2 + (index * 5) % 80
        fields.update(
            address_el=f"{place['street_el']} {number}",
            address_en=f"{number} {place['street_en']}",
            postcode=place["postcode"],
            district=terms[District][place["district"]],
            latitude=Decimal(str(place["latitude"])) + offset(index + 11),
            longitude=Decimal(str(place["longitude"])) + offset(index + 17),
        )
    activity, _ = Activity.objects.update_or_create(slug=row["slug"], defaults=fields)
    activity.categories.set([terms[Category][row["category"]]])
    activity.target_groups.set([terms[TargetGroup][g] for g in row["targets"]])
    activity.languages.set([terms[Language][code] for code in row["languages"]])
    activity.support_wanted.set(SupportType.objects.filter(slug__in=row.get("support", [])))
    activity.sessions.all().delete()
    Session.objects.bulk_create(
        Session(
            activity=activity,
            starts=(starts := _moment(run, days, row["at"], row.get("on"))),
            ends=starts + timedelta(hours=row["hours"]),
            online_url=row.get("online", ""),
        )
        for days in row["days"]
    )
    activity.save()  # its search text reads the district and organisation


def _synthetic(run: DemoRun) -> int:
    """Copies of the demo activities over the synthetic organisations: 20×N (5,000 at
    --scale 250, a quarter of the services), each with its template's sessions, moved on
    by 0–4 days."""
    missing = missing_copies(Activity, "synthetic-activity", run.scale * 20)
    organisations = run.shared["synthetic_organisations"]
    templates = list(
        Activity.objects.filter(slug__in=[row["slug"] for row in rows()]).prefetch_related(
            "sessions", "categories"
        )
    )
    for chunk in batched(missing, 2000):
        batch = []
        for n, slug in chunk:
            template = templates[n % len(templates)]
            copy = copy_of(
                template, slug=slug, organisation=organisations[n % len(organisations)], n=n
            )
            copy.refresh_keys()
            batch.append((n, copy, template))
        created = save_copies([(copy, template) for _n, copy, template in batch], ("categories",))
        Session.objects.bulk_create(
            Session(
                activity_id=created[copy.slug],
                starts=s.starts + timedelta(days=n % 5),
                ends=s.ends + timedelta(days=n % 5),
                online_url=s.online_url,
            )
            for n, copy, template in batch
            for s in template.sessions.all()
        )
    return len(missing)
