"""E-mail in the recipient's language, sent only once the current transaction commits."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .clients import site_url


def send_later(*, to: Iterable[str], template: str, context: dict, language: str) -> None:
    """Queue `template` (`<template>_subject.txt` and `<template>.txt`) for after commit.

    If the transaction rolls back, nothing is sent; the message is rendered in `language`,
    whatever the language of the request that caused it.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    context = {"site_url": site_url(), **context}

    def send():
        with translation.override(language):
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)

    transaction.on_commit(send)
