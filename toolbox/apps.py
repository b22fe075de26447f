from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ToolboxConfig(AppConfig):
    name = "toolbox"
    verbose_name = _("Toolbox")

    def ready(self):
        from accmr.core.sections import EntryType, register_section

        from . import tasks  # noqa: F401  (connects the reading's post_save receiver)
        from .demo import load as load_demo
        from .forms import ToolboxItemForm
        from .models import ToolboxItem
        from .views import profile_groups

        register_section(
            EntryType(
                model=ToolboxItem,
                form_class=ToolboxItemForm,
                card_template="toolbox/_item_card.html",
                dashboard_template="toolbox/_dashboard_item.html",
                add_label=_("Submit a publication"),
                none_published_label=_("This organisation has no publications in the toolbox."),
                urls="toolbox.urls",
                list_url_name="toolbox:list",
                menu_label=pgettext_lazy("menu", "Toolbox"),
                order=30,
                profile_groups=profile_groups,
                moderators_add=True,
                # Admins publish; a member's items are always reviewed, trusted or not.
                reviewed_always=True,
                demo=load_demo,
            )
        )
