"""FilterSets for the people API."""

import django_filters

from iro_service.people.codes import Ethnicity, Sex
from iro_service.people.models import Child, Family


class ChildFilterSet(django_filters.FilterSet):
    local_child_id = django_filters.CharFilter(lookup_expr="iexact")
    sex = django_filters.ChoiceFilter(choices=Sex.choices)
    ethnicity = django_filters.ChoiceFilter(choices=Ethnicity.choices)
    born_on_or_after = django_filters.DateFilter(field_name="date_of_birth", lookup_expr="gte")
    born_on_or_before = django_filters.DateFilter(field_name="date_of_birth", lookup_expr="lte")
    iro = django_filters.NumberFilter(method="filter_iro", label="Current IRO (staff id)")

    class Meta:
        model = Child
        fields = ["local_child_id", "sex", "ethnicity"]

    def filter_iro(self, queryset, name, value):
        return queryset.filter(iro_allocations__iro_id=value, iro_allocations__end_date__isnull=True)


class FamilyFilterSet(django_filters.FilterSet):
    reference = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Family
        fields = ["reference"]
