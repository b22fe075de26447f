"""Two programmes, so the kit's list, page and export have demo rows like every section."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accmr.core.models import Status

from .models import Programme, Session

PROGRAMMES = [
    ("Εργαστήρι αφήγησης", "Storytelling workshop", "Κάθε Σάββατο.", "Every Saturday."),
    ("Λέσχη ανάγνωσης", "Reading club", "Μία φορά τον μήνα.", "Once a month."),
]


def load(run) -> None:
    owner = next(
        o
        for o in run.shared["organisations"].values()
        if o.is_approved and not (o.is_supporter or o.is_private_individual)
    )
    starts = timezone.make_aware(datetime.combine(run.today + timedelta(days=7), time(10)))
    for title_el, title_en, summary_el, summary_en in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            organisation=owner,
            title_el=title_el,
            defaults={
                "title_en": title_en,
                "summary_el": summary_el,
                "summary_en": summary_en,
                "status": Status.PUBLISHED,
            },
        )
        if created:
            Session.objects.create(programme=programme, starts=starts)
