"""E-mail in the recipient's language, queued with the transaction that causes it and
delivered by a task (accmr.core.tasks.deliver_mail), which retries when the server fails."""

from collections.abc import Iterable

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .clients import site_url
from .models import OutgoingMail
from .tasks import deliver_mail, enqueue


def send_later(*, to: Iterable[str], template: str, context: dict, language: str) -> None:
    """Queue `template` (`<template>_subject.txt` and `<template>.txt`) to be sent.

    The message is rendered now, in `language` whatever the language of the request that
    caused it, and kept (OutgoingMail) in the caller's transaction with the task that
    sends it: if the transaction rolls back, nothing is kept or sent; once it commits, the
    mail is sent even if this process dies, and a mail server that is down or slow costs
    the request nothing.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {"site_url": site_url(), **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    # The row and its task commit together even when the caller has no transaction.
    with transaction.atomic(savepoint=False):
        mail = OutgoingMail.objects.create(
            recipients=recipients, subject=subject, body=body, language=language
        )
        enqueue(deliver_mail, mail.pk)
