"""The board's filters: offers or requests, of what support, where, how urgent, from whom."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accmr.core.filters import ChoicesFilter, PortalFilterSet, SearchFilter
from accmr.members.filters import actor_type_filter
from accmr.taxonomy.filters import category_filters, district_filter
from accmr.taxonomy.models import ActorType, SupportType

from .models import SupportPost


class SupportFilter(PortalFilterSet):
    q = SearchFilter()
    kind = ChoicesFilter(
        label=_("Offers or requests"),
        choices=[
            (SupportPost.Kind.REQUEST, pgettext_lazy("support posts", "Requests")),
            (SupportPost.Kind.OFFER, pgettext_lazy("support posts", "Offers")),
        ],
        panel_open=True,
    )
    support_type, support_subtype = category_filters(
        "support_types",
        label=_("Kind of support"),
        child_label=_("Specifically"),
        children="support_subtype",
        panel_open=True,
        terms=SupportType,
    )
    district = district_filter()
    urgency = ChoicesFilter(label=_("How urgent"), choices=SupportPost.Urgency.choices)
    actor_type = actor_type_filter(label=_("Who posts"), queryset=ActorType.objects.active())

    class Meta:
        model = SupportPost
        fields = []
