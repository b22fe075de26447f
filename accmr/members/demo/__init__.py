"""The members' demo data: places, organisations (with synthetic ones for --scale) and
demo logins, read from the TOML files beside this module."""

from pathlib import Path

from django.contrib.auth import get_user_model

from accmr.core.demo import DemoRun, read_toml
from accmr.core.permissions import sync_moderators_group
from accmr.taxonomy.models import ActorType, District

from ..models import Membership, Organisation

HERE = Path(__file__).parent
DEMO_PASSWORD = "accmr-demo-2026"


def places() -> dict[str, dict]:
    """Places by key: district slug, names, streets, postcode, latitude and longitude."""
    return read_toml(HERE / "places.toml")


def load(run: DemoRun) -> None:
    actor_types = {t.slug: t for t in ActorType.objects.all()}
    districts = {d.slug: d for d in District.objects.all()}
    where = places()
    organisations = {
        key: _organisation(key, row, where[row["place"]], actor_types, districts)
        for key, row in read_toml(HERE / "organisations.toml").items()
    }
    run.shared["organisations"] = organisations
    run.shared["places"] = where
    run.say(f"Demo data: {len(organisations)} organisations.")
    for line in _accounts(organisations):
        run.say(line)
    if run.scale:
        run.shared["synthetic_organisations"] = _synthetic(run.scale, list(actor_types.values()))


def _organisation(key, row, place, actor_types, districts) -> Organisation:
    number = 10 + len(key)
    organisation, _ = Organisation.objects.update_or_create(
        slug=key,
        defaults={
            "name_el": row["name_el"],
            "name_en": row["name_en"],
            "description_el": row["description_el"],
            "description_en": row["description_en"],
            "actor_type": actor_types[row["actor_type"]],
            "website": row["website"],
            "email": f"info@{key}.example.org",
            "phone": f"+30 210 5{len(key):02d} {sum(map(ord, key)) % 9000 + 1000}",
            "address_el": f"{place['street_el']} {number}, {place['postcode']} Αθήνα",
            "address_en": f"{number} {place['street_en']}, {place['postcode']} Athens",
            "district": districts[place["district"]],
            "preferred_language": "en" if row["actor_type"].startswith("international") else "el",
            "approval": Organisation.Approval.APPROVED,
            "trusted": row["actor_type"] == "local-government",
        },
    )
    return organisation


def _accounts(organisations) -> list[str]:
    """Demo logins (development only): editors of some organisations and a moderator."""
    User = get_user_model()
    moderators = sync_moderators_group()
    lines = [f"Demo accounts (password {DEMO_PASSWORD!r}, development only):"]
    for account in read_toml(HERE / "accounts.toml")["accounts"]:
        user, created = User.objects.get_or_create(
            username=account["login"],
            defaults={"email": account["login"], "first_name": account["login"].split("@")[0]},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if account.get("moderator"):
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(moderators)
            lines.append(f"  {user.username} – moderator (admin site)")
        else:
            organisation = organisations[account["organisation"]]
            Membership.objects.get_or_create(
                user=user, organisation=organisation, defaults={"role": account["role"]}
            )
            lines.append(f"  {user.username} – {account['role']} of {organisation.name_en}")
    return lines


def _synthetic(scale: int, actor_types) -> list[Organisation]:
    """2×N approved partner organisations that the synthetic entries belong to."""
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
    return organisations
