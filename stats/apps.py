from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The statistics page: read-only aggregates of every section. It reads every app and
    no app imports it; its headline totals reach the home page through the kit."""

    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from accmr.core.sections import Section, register_section

        from .views import home_totals

        register_section(
            Section(
                key="stats",
                order=90,
                urls="stats.urls",
                list_url_name="stats:page",
                menu_label=_("Statistics"),
                home_template="stats/_home_totals.html",
                home_context=home_totals,
            )
        )
