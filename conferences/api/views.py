"""Endpoints for child protection conferences and plans. Writes go through
conferences.services, so a REST client meets exactly the checks the web pages apply."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from conferences import services
from conferences.api.serializers import (
    ChildProtectionPlanSerializer,
    ConferenceBookInput,
    ConferenceRecordInput,
    ConferenceSerializer,
    ConferenceStandDownInput,
)
from conferences.filtersets import ChildProtectionPlanFilterSet, ConferenceFilterSet
from conferences.models import AgencyInvitation, ChildProtectionPlan, Conference, ConferenceChild
from iro_service.core.api.viewsets import WRITE_ERRORS, RecordsViewSet, RecordsWriteViewSet


class ConferenceViewSet(RecordsWriteViewSet):
    """Child protection conferences with the children considered and the agencies invited.
    POST books one; POST .../record/ records what it decided (starting and ending plans);
    POST .../stand-down/ stands it down and books the rearranged one."""

    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilterSet
    access_what = "Conference"
    http_method_names = ["get", "post", "head", "options"]
    # The permissions the web pages check for the same workflows.
    action_permissions = {
        "create": "conferences.book_conference",
        "stand_down": "conferences.book_conference",
        "record": "conferences.record_conference",
    }
    # What one child's decision failed on is a field of ``decisions``.
    error_fields = {"outcome": "decisions", "categories": "decisions", "end_reason": "decisions"}

    def get_queryset(self):
        return Conference.objects.order_by("-date", "pk").prefetch_related(
            Prefetch("children", queryset=ConferenceChild.objects.order_by("pk")),
            Prefetch("invitations", queryset=AgencyInvitation.objects.order_by("agency")),
        )

    def child_ids_of(self, instance):
        return [link.child_id for link in instance.children.all()]

    @extend_schema(request=ConferenceBookInput, responses={201: ConferenceSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Book a conference (conferences.services.conference_book)."""
        data = self.input_data(ConferenceBookInput)
        conference = self.call_service(
            services.conference_book,
            family=data["family"],
            conference_type=data["conference_type"],
            on=data["date"],
            chair=data["chair"],
            children=[(row["child"], row["stage"]) for row in data["children"]],
            strategy_discussion=data["strategy_discussion"],
            transfer_notified_on=data["transfer_notified_on"],
            agencies=list(dict.fromkeys(data["agencies"])),
        )
        return self.written(conference, created=True)

    @extend_schema(request=ConferenceRecordInput, responses={200: ConferenceSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record what a held conference decided for each child, starting, continuing or ending
        their plans (conferences.services.conference_record)."""
        conference = self.get_object()
        data = self.input_data(ConferenceRecordInput)
        conference = self.call_service(
            services.conference_record,
            conference=conference,
            decisions={
                row["child"]: services.ChildDecision(
                    outcome=row["outcome"], categories=tuple(row["categories"]), end_reason=row["end_reason"]
                )
                for row in data["decisions"]
            },
            attendance=[services.AgencyAttendance(**row) for row in data["attendance"]],
            seen_updated_at=data["version"],
        )
        return self.written(conference, created=False)

    @extend_schema(
        request=ConferenceStandDownInput,
        # 201 with the rearranged conference when one was booked; 200 with the stood-down one.
        responses={200: ConferenceSerializer, 201: ConferenceSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="stand-down")
    def stand_down(self, request, pk=None):
        """Stand down a booked conference with the reason; with `rearranged_on`, book the
        rearranged conference and return it (conferences.services.conference_stand_down)."""
        conference = self.get_object()
        data = self.input_data(ConferenceStandDownInput)
        result = self.call_service(
            services.conference_stand_down,
            conference=conference,
            reason=data["reason"],
            detail=data["detail"],
            rearranged_on=data["rearranged_on"],
            seen_updated_at=data["version"],
        )
        return self.written(result, created=result.pk != conference.pk)


class ChildProtectionPlanViewSet(RecordsViewSet):
    """Child protection plans. They start and end at conferences: record them through
    POST /conferences/{id}/record/."""

    serializer_class = ChildProtectionPlanSerializer
    filterset_class = ChildProtectionPlanFilterSet
    access_what = "Child protection plan"

    def get_queryset(self):
        return ChildProtectionPlan.objects.order_by("child_id", "start_date", "pk")
