from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services")

    def ready(self):
        from accmr.core.periodic import PeriodicJob
        from accmr.core.sections import EntryType, register_section

        from .actions import send_verification_reminders
        from .demo import load as load_demo
        from .forms import ServiceForm
        from .hours import card_variant
        from .models import Service
        from .views import home_section

        register_section(
            EntryType(
                model=Service,
                form_class=ServiceForm,
                card_template="services/_service_card.html",
                add_label=_("Add a service"),
                none_published_label=_(
                    "This organisation has no published services at the moment."
                ),
                urls="services.urls",
                list_url_name="services:list",
                menu_label=pgettext_lazy("menu", "Services"),
                order=10,
                card_variant=card_variant,
                home_template="services/_home.html",
                home_context=home_section,
                demo=load_demo,
                # Its opening periods and dated closures are reviewed with it.
                child_relations=("schedules", "closures"),
                periodic=(
                    PeriodicJob(
                        name="send_verification_reminders",
                        run=lambda: {"organisations reminded": send_verification_reminders()},
                        interval=timedelta(days=1),
                        description=_(
                            "E-mails each organisation its services nobody has confirmed "
                            "for six months, at most once a month."
                        ),
                    ),
                ),
            )
        )
