"""Helpers for the support board's tests: posts, supporters' light accounts, and replies as
a visitor types them and confirms them from the mailed link."""

import re
import time

from django.core import signing
from django.utils import timezone

from accmr.core.forms import HUMAN_SALT
from accmr.core.models import Status
from accmr.members.models import Membership, Organisation
from accmr.taxonomy.models import ActorType, District, SupportType
from support.models import SupportPost

from .factories import OrganisationFactory, UserFactory

BOARD = "/support/"


def supporter(name="Ελένη Κ.", kind="individual", email="eleni@example.net"):
    """A supporter's light account and its one user."""
    account = Organisation.objects.create(
        name_el=name,
        actor_type=ActorType.objects.get(slug=kind),
        approval=Organisation.Approval.APPROVED,
        is_supporter=True,
    )
    user = UserFactory(username=email, email=email)
    Membership.objects.create(user=user, organisation=account, role=Membership.Role.ADMIN)
    return account


def post(title, *, kind="request", by=None, types=("linen",), district="3", **fields):
    entry = SupportPost.objects.create(
        organisation=by or OrganisationFactory(),
        kind=kind,
        title_el=title,
        title_en=fields.pop("title_en", f"{title} (en)"),
        description_el=fields.pop("description_el", "Περιγραφή."),
        district=District.objects.get(slug=district) if district else None,
        status=fields.pop("status", Status.PUBLISHED),
        published_at=fields.pop("published_at", timezone.now()),
        **fields,
    )
    entry.support_types.set(SupportType.objects.filter(slug__in=types))
    return entry


def titles(response) -> list[str]:
    return [p.title_el for p in response.context["page_obj"].object_list]


def shown(seconds_ago: float = 60) -> str:
    return signing.dumps(time.time() - seconds_ago, salt=HUMAN_SALT)


def confirm(client, send, message) -> str:
    """Open the link mailed in `message` and confirm the reply there, as its sender does;
    returns the conversation's own page."""
    link = re.search(r"/support/conversation/\S+", message.body).group(0)
    page = client.get(link)
    assert page.status_code == 302
    send(client, page.url, {"confirm": "1"})
    return page.url


def reply(**changes) -> dict:
    return {
        "name": "Μαρία",
        "email": "maria@example.net",
        "message": "Έχω είκοσι κουβέρτες. Πότε μπορώ να τις φέρω;",
        "consent": "on",
        "website": "",
        "shown": shown(),
        **changes,
    }
