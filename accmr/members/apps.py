from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "accmr.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from accmr.core.cache import CONTENT, bump_on_change
        from accmr.core.demo import register_demo
        from accmr.core.entries import ReviewedKind, register_reviewed_kind

        from .actions import after_edit
        from .demo import load as load_demo
        from .models import Organisation

        register_demo("members", load_demo, order=10)
        pending = Organisation.Approval.PENDING
        register_reviewed_kind(
            ReviewedKind(
                Organisation,
                waiting_label=_("Organisations waiting for approval"),
                waiting=lambda: Organisation.objects.filter(approval=pending),
                waiting_query=f"approval__exact={pending}",
                after_edit=after_edit,
            )
        )
        # Public pages show organisations' names and only approved organisations' entries.
        bump_on_change(Organisation, CONTENT)
