"""Login throttling per account, whatever the address: django-axes locks an account out
from one address (or IPv6 /64) after a few failures; guesses spread over many addresses
are counted here, and the account itself waits, each time longer.

The wait is LOGIN_ACCOUNT_LOCKOUT_MINUTES, doubled at every lockout that follows the last
within a day, at most a day. The account's owner is mailed once per lockout, in the
language of their organisation, with nothing the guesser typed or where from. A success
(after the wait) or a password reset starts the count again.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accmr.core.mail import send_later

from .models import LoginThrottle

WINDOW = timedelta(hours=1)
LONGEST = timedelta(days=1)


def account_key(user, typed: str) -> str:
    return f"user:{user.pk}" if user is not None else typed.strip().lower()[:250]


def locked_until(key: str) -> datetime | None:
    """When the account's current lockout ends, or None if it may log in (a query)."""
    until = LoginThrottle.objects.filter(account=key).values_list("locked_until", flat=True)
    until = until.first()
    return until if until is not None and until > timezone.now() else None


@transaction.atomic
def record_failure(key: str, user=None) -> datetime | None:
    """Count one failed login to the account; returns the end of the lockout it starts,
    if it does (and mails `user`, the owner, if there is one)."""
    now = timezone.now()
    throttle, _ = LoginThrottle.objects.select_for_update().get_or_create(
        account=key, defaults={"counting_since": now}
    )
    if now - throttle.counting_since > WINDOW:
        throttle.failures, throttle.counting_since = 0, now
    throttle.failures += 1
    if throttle.failures < settings.LOGIN_ACCOUNT_FAILURE_LIMIT:
        throttle.save(update_fields=["failures", "counting_since"])
        return None
    if throttle.locked_until is None or now - throttle.locked_until > LONGEST:
        throttle.lockouts = 0  # the last lockout is long past: start from the shortest
    wait = timedelta(minutes=settings.LOGIN_ACCOUNT_LOCKOUT_MINUTES) * 2**throttle.lockouts
    throttle.lockouts += 1
    throttle.failures, throttle.counting_since = 0, now
    throttle.locked_at, throttle.locked_until = now, now + min(wait, LONGEST)
    throttle.save()
    if user is not None:
        _tell_owner(user, until=throttle.locked_until)
    return throttle.locked_until


def record_success(key: str) -> None:
    """The owner is in: count afresh (a query; none if nothing was counted)."""
    LoginThrottle.objects.filter(account=key).delete()


def lift(user) -> None:
    """The owner proved they read the account's mail (a password reset): no wait."""
    record_success(account_key(user, ""))


def _tell_owner(user, *, until: datetime) -> None:
    if not user.email:
        return
    membership = user.memberships.select_related("organisation").order_by("pk").first()
    send_later(
        to=[user.email],
        template="members/email/login_paused",
        context={
            "email": user.email,
            "failures": settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
            "until": timezone.localtime(until),
        },
        language=membership.organisation.preferred_language if membership else "el",
    )
