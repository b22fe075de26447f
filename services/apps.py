from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Services")

    def ready(self):
        from accmr.core.home import register_home_section

        from .views import home_section

        register_home_section("services/_home.html", home_section, order=10)
