from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    """The statistics page: read-only aggregates of every section. It reads every app and
    no app imports it; its headline totals reach the home page through the kit."""

    name = "stats"
    verbose_name = _("Statistics")

    def ready(self):
        from accmr.core.home import register_home_section

        from .views import home_totals

        register_home_section("stats/_home_totals.html", home_totals, order=90)
