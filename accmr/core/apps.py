from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "accmr.core"
    label = "core"
    verbose_name = _("Portal")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .cache import CONTENT, bump_on_change
        from .models import Page

        bump_on_change(Page, CONTENT)

        from .files import watch

        watch()  # delete uploads once nothing refers to them

        from django.db.models.signals import post_migrate

        from .permissions import sync_moderators_group

        # After every app's permissions exist (auth creates them on its own post_migrate).
        post_migrate.connect(sync_moderators_group, dispatch_uid="accmr.sync_moderators")
