from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from accmr.core.sections import EntryType, register_section

        from .demo import load as load_demo
        from .forms import ActivityForm
        from .models import Activity
        from .views import asking_for_support, home_section, profile_groups

        register_section(
            EntryType(
                model=Activity,
                form_class=ActivityForm,
                card_template="activities/_activity_card.html",
                add_label=_("Add an activity"),
                none_published_label=_("This organisation has no published activities."),
                urls="activities.urls",
                list_url_name="activities:list",
                menu_label=pgettext_lazy("menu", "Activities"),
                order=20,
                profile_groups=profile_groups,
                asking_for_support=asking_for_support,
                # A card shows the next session: it changes when that one is over.
                card_variant=lambda a: str(a.shown_session.pk) if a.shown_session else "",
                asking_template="activities/_asking_for_support.html",
                home_template="activities/_home.html",
                home_context=home_section,
                demo=load_demo,
                child_relations=("sessions",),
            )
        )
