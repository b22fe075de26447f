from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupportConfig(AppConfig):
    """The support board. It lists other sections' entries that would welcome support
    (activities today) through their EntryType, never importing them; nothing below it
    imports it."""

    name = "support"
    verbose_name = _("Support board")

    def ready(self):
        from django.conf import settings

        from accmr.core.periodic import PeriodicJob
        from accmr.core.sections import EntryType, register_section

        from .actions import announce_to_matches, expire_posts, purge_personal_data
        from .demo import load as load_demo
        from .forms import SupportPostForm
        from .models import SupportPost
        from .views import home_section, profile_groups

        register_section(
            EntryType(
                model=SupportPost,
                form_class=SupportPostForm,
                card_template="support/_post_card.html",
                add_label=_("Post an offer or a request"),
                none_published_label=_("This organisation has nothing on the support board."),
                urls="support.urls",
                list_url_name="support:list",
                dashboard_urls="support.dashboard_urls",
                menu_label=pgettext_lazy("menu", "Support"),
                order=40,
                profile_groups=profile_groups,
                for_supporters=True,
                dashboard_template="support/_dashboard_post.html",
                # Tell the posters who asked to hear of posts like it.
                after_publish=announce_to_matches,
                private_paths=("support/conversation/",),  # a poster's exchange with a replier
                home_template="support/_home.html",
                home_context=home_section,
                demo=load_demo,
                periodic=(
                    PeriodicJob(
                        name="expire_support_posts",
                        run=lambda: {"posts expired": expire_posts()},
                        interval=timedelta(days=1),
                        description=_(
                            "Marks expired the support posts past their date and tells "
                            "their posters."
                        ),
                    ),
                    PeriodicJob(
                        name="purge_support_personal_data",
                        run=lambda: {
                            "conversations emptied": purge_personal_data(
                                settings.SUPPORT_PURGE_DAYS
                            )
                        },
                        interval=timedelta(days=1),
                        description=_(
                            "Removes the names, addresses and messages of conversations on "
                            "posts that left the board over SUPPORT_PURGE_DAYS days ago."
                        ),
                    ),
                ),
            )
        )
