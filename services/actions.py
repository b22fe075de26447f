"""Services' writes beyond the kit's: the verification reminders (a periodic job)."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accmr.core.mail import send_later

from .models import Service, VerificationReminder


def send_verification_reminders() -> int:
    """E-mail each organisation, in its language, the list of its public services nobody
    has confirmed for SERVICE_REMIND_AFTER_DAYS, with a link to the dashboard where one
    click confirms each; returns how many organisations were reminded.

    An organisation is reminded at most once every REMINDER_INTERVAL_DAYS: its mail and
    the time it was sent commit together, one organisation at a time.
    """
    now = timezone.now()
    unverified_since = timezone.localdate() - timedelta(days=settings.SERVICE_REMIND_AFTER_DAYS)
    quiet_since = now - timedelta(days=settings.REMINDER_INTERVAL_DAYS)
    stale = (
        Service.objects.published()
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=unverified_since))
        .filter(
            Q(organisation__verification_reminder__isnull=True)
            | Q(organisation__verification_reminder__sent_at__lt=quiet_since)
        )
        .select_related("organisation")
        .order_by("organisation_id", "name_key_el")
    )
    by_organisation = defaultdict(list)
    for service in stale:
        by_organisation[service.organisation].append(service)
    for organisation, services in by_organisation.items():
        with transaction.atomic():
            send_later(
                to=organisation.contact_emails(),
                template="services/email/verification_reminder",
                context={"organisation": organisation, "services": services},
                language=organisation.preferred_language,
            )
            VerificationReminder.objects.update_or_create(
                organisation=organisation, defaults={"sent_at": now}
            )
    return len(by_organisation)
