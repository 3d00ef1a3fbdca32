"""Endpoints for children (read and write) and families (read)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema

from iro_service.api.viewsets import WRITE_ERRORS, RecordsViewSet, RecordsWriteViewSet
from iro_service.people import selectors, services
from iro_service.people.api.serializers import (
    ChildChangeSerializer,
    ChildSerializer,
    ChildWriteSerializer,
    FamilySerializer,
)
from iro_service.people.filtersets import ChildFilterSet, FamilyFilterSet
from iro_service.people.models import Family, FamilyMembership


class ChildViewSet(RecordsWriteViewSet):
    """Children known to the IRO service, with their current IRO."""

    serializer_class = ChildSerializer
    filterset_class = ChildFilterSet
    access_what = "Child record"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.child_list(user=self.request.user, ordering=("local_child_id",))

    def child_ids_of(self, instance):
        return [instance.pk]

    @extend_schema(request=ChildWriteSerializer, responses={201: ChildSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Add a child (people.services.child_create)."""
        child = self.call_service(services.child_create, **self.input_data(ChildWriteSerializer))
        return self.written(child, created=True)

    @extend_schema(request=ChildChangeSerializer, responses={200: ChildSerializer, **WRITE_ERRORS})
    def partial_update(self, request, *args, **kwargs):
        """Change a child's details (people.services.child_update). Send the `version` you read."""
        child = self.get_object()
        changes = self.input_data(ChildChangeSerializer, instance=child)
        version = self.pop_version(changes)
        child = self.call_service(
            services.child_update, child=child, changes=changes, seen_updated_at=version
        )
        return self.written(child, created=False)


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
