"""Read endpoints for children and families."""

from django.db.models import Prefetch

from iro_service.core.api.viewsets import RecordsViewSet
from iro_service.people import selectors
from iro_service.people.api.serializers import ChildSerializer, FamilySerializer
from iro_service.people.filtersets import ChildFilterSet, FamilyFilterSet
from iro_service.people.models import Family, FamilyMembership


class ChildViewSet(RecordsViewSet):
    """Children known to the IRO service, with their current IRO."""

    serializer_class = ChildSerializer
    filterset_class = ChildFilterSet
    access_what = "Child record"

    def get_queryset(self):
        return selectors.child_list(ordering=("local_child_id",))

    def child_ids_of(self, instance):
        return [instance.pk]


class FamilyViewSet(RecordsViewSet):
    """Households, with the children in them over time."""

    serializer_class = FamilySerializer
    filterset_class = FamilyFilterSet
    access_what = "Family record"

    def get_queryset(self):
        return Family.objects.order_by("reference").prefetch_related(
            Prefetch("memberships", queryset=FamilyMembership.objects.order_by("start_date"))
        )

    def child_ids_of(self, instance):
        return [membership.child_id for membership in instance.memberships.all()]
