from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "accmr.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from accmr.core.cache import CONTENT, bump_on_change
        from accmr.core.sections import (
            ReviewedKind,
            Section,
            register_reviewed_kind,
            register_section,
        )

        from .actions import after_edit
        from .demo import load as load_demo
        from .models import Organisation

        # The directory of members is a section like the others; its demo loader runs
        # first (INSTALLED_APPS order): every other section's entries need an owner.
        register_section(
            Section(
                key="members",
                order=50,
                urls="accmr.members.urls",
                list_url_name="members:list",
                menu_label=_("Members"),
                demo=load_demo,
            )
        )
        pending = Organisation.Approval.PENDING
        register_reviewed_kind(
            ReviewedKind(
                model=Organisation,
                waiting_label=_("Organisations waiting for approval"),
                waiting=lambda: Organisation.objects.filter(approval=pending),
                waiting_query=f"approval__exact={pending}",
                after_edit=after_edit,
            )
        )
        # Public pages show organisations' names and only approved organisations' entries.
        bump_on_change(Organisation, CONTENT)
