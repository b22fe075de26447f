from accmr.core.filters import PortalFilterSet, SearchFilter
from accmr.taxonomy.filters import district_filter

from .models import Programme


class ProgrammeFilter(PortalFilterSet):
    q = SearchFilter()
    district = district_filter("sessions__district__slug")

    class Meta:
        model = Programme
        fields = []
