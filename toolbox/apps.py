from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ToolboxConfig(AppConfig):
    name = "toolbox"
    verbose_name = _("Toolbox")

    def ready(self):
        from accmr.core.demo import register_demo
        from accmr.core.entries import EntryType, register_entry_type

        from .demo import load as load_demo
        from .forms import ToolboxItemForm
        from .models import ToolboxItem
        from .views import profile_groups

        register_entry_type(
            EntryType(
                model=ToolboxItem,
                form_class=ToolboxItemForm,
                card_template="toolbox/_item_card.html",
                add_label=_("Submit a publication"),
                none_published_label=_("This organisation has no publications in the toolbox."),
                list_url_name="toolbox:list",
                menu_label=pgettext_lazy("menu", "Toolbox"),
                order=30,
                profile_groups=profile_groups,
                moderators_add=True,
            )
        )
        register_demo("toolbox", load_demo, order=40)
