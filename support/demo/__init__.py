"""The board's demo data: bilingual offers and requests from the demo members and from
two supporters (a person and a company), read from support.toml."""

from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accmr.core.demo import DemoRun, copy_of, read_toml
from accmr.core.models import Status
from accmr.members.demo import DEMO_PASSWORD
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import ActorType, District, Language, SupportType

from ..models import SupportPost

HERE = Path(__file__).parent


def load(run: DemoRun) -> None:
    data = read_toml(HERE / "support.toml")
    owners = {**run.shared["organisations"], **_supporters(data["supporters"])}
    types = {t.slug: t for t in SupportType.objects.all()}
    districts = {d.slug: d for d in District.objects.all()}
    languages = {language.slug: language for language in Language.objects.all()}
    now = timezone.now()
    posts = []
    for number, row in enumerate(data["posts"].values()):
        published = now - timedelta(days=row.get("age", number % 12), hours=number)
        post, _ = SupportPost.objects.update_or_create(
            organisation=owners[row["by"]],
            title_el=row["title_el"],
            defaults={
                "kind": row["kind"],
                "title_en": row.get("title_en", ""),
                "description_el": row.get("description_el", ""),
                "description_en": row.get("description_en", ""),
                "quantity_el": row.get("quantity_el", ""),
                "quantity_en": row.get("quantity_en", ""),
                "district": districts.get(str(row.get("district", ""))),
                "urgency": row.get("urgency", SupportPost.Urgency.NORMAL),
                "expires_on": run.today + timedelta(days=row.get("days_left", 20 + number % 9)),
                "state": row.get("state", SupportPost.State.OPEN),
                "status": Status.PUBLISHED,
                "published_at": published,
            },
        )
        post.support_types.set([types[slug] for slug in row["types"]])
        post.languages.set([languages[code] for code in row.get("languages", [])])
        posts.append(post)
    run.say(f"Demo data: {len(posts)} support posts.")
    if run.scale:
        added = _synthetic(run, posts)
        run.say(f"Synthetic volume: {added} support posts added for --scale {run.scale}.")


SYNTHETIC = " · #"


def _synthetic(run: DemoRun, templates: list[SupportPost]) -> int:
    """Copies of the demo posts over the synthetic organisations, 4×N (1,000 at --scale
    250), on the board; a second run adds only what is missing."""
    wanted = run.scale * 4
    made = SupportPost.objects.filter(title_en__contains=SYNTHETIC).count()
    owners = run.shared["synthetic_organisations"]
    on_board = [p for p in templates if p.state in SupportPost.ON_BOARD]
    prefetch_related_objects(on_board, "support_types", "languages")
    prefetch_related_objects(owners, "actor_type")
    copies = []
    for n in range(made, wanted):
        template = on_board[n % len(on_board)]
        copy = copy_of(template, slug="", organisation=owners[n % len(owners)], n=n)
        copy.title_en = f"{template.title_en or template.title_el}{SYNTHETIC}{n}"
        copy.title_el = f"{template.title_el}{SYNTHETIC}{n}"
        copy.refresh_keys()
        copies.append((copy, template))
    SupportPost.objects.bulk_create([copy for copy, _ in copies], batch_size=500)
    for relation, column in (("support_types", "supporttype_id"), ("languages", "language_id")):
        through = getattr(SupportPost, relation).through
        through.objects.bulk_create(
            (
                through(supportpost_id=copy.pk, **{column: term.pk})
                for copy, template in copies
                for term in getattr(template, relation).all()
            ),
            batch_size=2000,
        )
    return len(copies)


def _supporters(rows: dict) -> dict[str, Organisation]:
    """The supporters' accounts, with a demo login each (their e-mail, DEMO_PASSWORD)."""
    User = get_user_model()
    kinds = {t.slug: t for t in ActorType.objects.filter(slug__in=["individual", "private-sector"])}
    found = {}
    for key, row in rows.items():
        supporter, _ = Organisation.objects.update_or_create(
            slug=key,
            defaults={
                "name_el": row["name"],
                "actor_type": kinds[row["kind"]],
                "approval": Organisation.Approval.APPROVED,
                "is_supporter": True,
                "preferred_language": row.get("language", "el"),
            },
        )
        user, created = User.objects.get_or_create(
            username=row["email"], defaults={"email": row["email"], "first_name": row["name"]}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=supporter, defaults={"role": Membership.Role.ADMIN}
        )
        found[key] = supporter
    return found
