"""Endpoints for child protection: strategy discussions and section 47 enquiries, conferences
(with their paperwork), the agencies invited, plans and appeals. Writes go through
conferences.services, so a REST client meets exactly the checks the web pages apply."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from conferences import services
from conferences.api.serializers import (
    AgencyInvitationDetailSerializer,
    AppealChangeInput,
    AppealRecordInput,
    AppealSerializer,
    ChildProtectionPlanSerializer,
    ConferenceBookInput,
    ConferenceRecordDistributionInput,
    ConferenceRecordInput,
    ConferenceReportsInput,
    ConferenceSerializer,
    ConferenceStandDownInput,
    Section47AssessmentInput,
    Section47EnquirySerializer,
    StrategyDiscussionRecordInput,
    StrategyDiscussionSerializer,
)
from conferences.filtersets import (
    AgencyInvitationFilterSet,
    AppealFilterSet,
    ChildProtectionPlanFilterSet,
    ConferenceFilterSet,
    Section47EnquiryFilterSet,
    StrategyDiscussionFilterSet,
)
from conferences.models import (
    AgencyInvitation,
    Appeal,
    ChildProtectionPlan,
    Conference,
    ConferenceChild,
    Section47Enquiry,
    StrategyDiscussion,
)
from iro_service.api.viewsets import WRITE_ERRORS, RecordsViewSet, RecordsWriteViewSet, with_dfe_warnings


class ConferenceViewSet(RecordsWriteViewSet):
    """Child protection conferences with the children considered and the agencies invited.
    POST books one; POST .../record/ records what it decided (starting and ending plans);
    POST .../stand-down/ stands it down and books the rearranged one; POST .../reports/ and
    .../record-distribution/ record the dates of its paperwork."""

    serializer_class = ConferenceSerializer
    filterset_class = ConferenceFilterSet
    access_what = "Conference"
    http_method_names = ["get", "post", "head", "options"]
    # The permissions the web pages check for the same workflows.
    action_permissions = {
        "create": "conferences.book_conference",
        "stand_down": "conferences.book_conference",
        "record": "conferences.record_conference",
        "reports": "conferences.track_conference_paperwork",
        "record_distribution": "conferences.track_conference_paperwork",
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

    @extend_schema(
        request=ConferenceBookInput, responses={201: with_dfe_warnings(ConferenceSerializer), **WRITE_ERRORS}
    )
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

    @extend_schema(
        request=ConferenceRecordInput,
        responses={200: with_dfe_warnings(ConferenceSerializer), **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record what a held conference decided for each child, starting, continuing or ending
        their plans (conferences.services.conference_record)."""
        conference = self.get_object()
        self.refuse_unless_theirs(
            chair_id=conference.chair_id, child_ids=[link.child_id for link in conference.children.all()]
        )
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
        responses={
            200: with_dfe_warnings(ConferenceSerializer),
            201: with_dfe_warnings(ConferenceSerializer),
            **WRITE_ERRORS,
        },
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

    @extend_schema(request=ConferenceReportsInput, responses={200: ConferenceSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        """Record the dates the social worker's report reached the parents and the chair
        (conferences.services.conference_reports_record). A date not sent keeps its value."""
        conference = self.get_object()
        data = self.input_data(ConferenceReportsInput)
        version = data.pop("version")
        dates = {
            "report_to_parents_on": conference.report_to_parents_on,
            "report_to_chair_on": conference.report_to_chair_on,
            **data,
        }
        conference = self.call_service(
            services.conference_reports_record, conference=conference, seen_updated_at=version, **dates
        )
        return self.written(conference, created=False)

    @extend_schema(
        request=ConferenceRecordDistributionInput, responses={200: ConferenceSerializer, **WRITE_ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="record-distribution")
    def record_distribution(self, request, pk=None):
        """Record the dates the record and plan were completed and distributed
        (conferences.services.conference_record_distribute). A `distributed_on` not sent keeps
        its value."""
        conference = self.get_object()
        data = self.input_data(ConferenceRecordDistributionInput)
        conference = self.call_service(
            services.conference_record_distribute,
            conference=conference,
            completed_on=data["completed_on"],
            distributed_on=data.get("distributed_on", conference.record_distributed_on),
            seen_updated_at=data["version"],
        )
        return self.written(conference, created=False)


class ChildProtectionPlanViewSet(RecordsViewSet):
    """Child protection plans. They start and end at conferences: record them through
    POST /conferences/{id}/record/."""

    serializer_class = ChildProtectionPlanSerializer
    filterset_class = ChildProtectionPlanFilterSet
    access_what = "Child protection plan"

    def get_queryset(self):
        return ChildProtectionPlan.objects.order_by("child_id", "start_date", "pk")


class StrategyDiscussionViewSet(RecordsWriteViewSet):
    """Strategy discussions about families, with the section 47 enquiries they started and the
    conferences booked from them. POST records one."""

    serializer_class = StrategyDiscussionSerializer
    filterset_class = StrategyDiscussionFilterSet
    access_what = "Strategy discussion"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return StrategyDiscussion.objects.order_by("-date", "pk").prefetch_related(
            Prefetch("enquiries", queryset=Section47Enquiry.objects.order_by("pk")),
            Prefetch("conferences", queryset=Conference.objects.order_by("date", "pk")),
        )

    def child_ids_of(self, instance):
        return [enquiry.child_id for enquiry in instance.enquiries.all()]

    @extend_schema(
        request=StrategyDiscussionRecordInput,
        responses={201: with_dfe_warnings(StrategyDiscussionSerializer), **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        """Record a strategy discussion and the section 47 enquiries it started
        (conferences.services.strategy_discussion_record)."""
        data = self.input_data(StrategyDiscussionRecordInput)
        discussion = self.call_service(
            services.strategy_discussion_record,
            family=data["family"],
            on=data["date"],
            # A child sent twice has one enquiry.
            children=list(dict.fromkeys(data["children"])),
            s47_start_date=data["s47_start_date"],
        )
        return self.written(discussion, created=True)


class Section47EnquiryViewSet(RecordsWriteViewSet):
    """Section 47 enquiries, child by child, with the assessment each is part of. They start at
    strategy discussions: record them through POST /strategy-discussions/. POST
    .../assessment/ records the assessment."""

    serializer_class = Section47EnquirySerializer
    filterset_class = Section47EnquiryFilterSet
    access_what = "Section 47 enquiry"
    http_method_names = ["get", "post", "head", "options"]
    # The permission the page recording the assessment checks.
    action_permissions = {"assessment": "conferences.change_section47enquiry"}

    def get_queryset(self):
        return Section47Enquiry.objects.select_related("strategy_discussion").order_by(
            "child_id", "start_date", "pk"
        )

    @extend_schema(
        request=Section47AssessmentInput,
        responses={200: with_dfe_warnings(Section47EnquirySerializer), 400: WRITE_ERRORS[400]},
    )
    @action(detail=True, methods=["post"])
    def assessment(self, request, pk=None):
        """Record, correct or remove the assessment the enquiry is part of: when it started, when
        it was authorised and the factors it identified
        (conferences.services.section47_assessment_record)."""
        enquiry = self.get_object()
        data = self.input_data(Section47AssessmentInput)
        enquiry = self.call_service(
            services.section47_assessment_record,
            enquiry=enquiry,
            started_on=data["assessment_started_on"],
            authorised_on=data.get("assessment_authorised_on", enquiry.assessment_authorised_on),
            factors=data.get("assessment_factors", enquiry.assessment_factors),
        )
        return self.written(enquiry, created=False)


class AgencyInvitationViewSet(RecordsViewSet):
    """The agencies invited to conferences: whether each came and sent a report. Invitations are
    made when a conference is booked (POST /conferences/, `agencies`) and attendance is recorded
    with what it decided (POST /conferences/{id}/record/, `attendance`)."""

    serializer_class = AgencyInvitationDetailSerializer
    filterset_class = AgencyInvitationFilterSet
    access_what = "Conference agency invitation"

    def get_queryset(self):
        return (
            AgencyInvitation.objects.select_related("conference")
            .prefetch_related(
                Prefetch("conference__children", queryset=ConferenceChild.objects.order_by("pk"))
            )
            .order_by("-conference__date", "conference_id", "agency")
        )

    def child_ids_of(self, instance):
        return [link.child_id for link in instance.conference.children.all()]


class AppealViewSet(RecordsWriteViewSet):
    """Appeals and complaints about conferences. POST records one; PATCH moves it on (stage,
    outcome, date of the written response; send the `version` you read)."""

    serializer_class = AppealSerializer
    filterset_class = AppealFilterSet
    access_what = "Conference appeal"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Appeal.objects.order_by("-received_on", "pk").prefetch_related(
            Prefetch("conference__children", queryset=ConferenceChild.objects.order_by("pk"))
        )

    def child_ids_of(self, instance):
        # An appeal about one child is about that child; otherwise about the whole conference.
        if instance.child_id:
            return [instance.child_id]
        return [link.child_id for link in instance.conference.children.all()]

    @extend_schema(request=AppealRecordInput, responses={201: AppealSerializer, 400: WRITE_ERRORS[400]})
    def create(self, request, *args, **kwargs):
        """Record an appeal about a held conference (conferences.services.appeal_record)."""
        appeal = self.call_service(services.appeal_record, **self.input_data(AppealRecordInput))
        return self.written(appeal, created=True)

    @extend_schema(request=AppealChangeInput, responses={200: AppealSerializer, **WRITE_ERRORS})
    def partial_update(self, request, *args, **kwargs):
        """Move an appeal on (conferences.services.appeal_update). Fields not sent keep their
        values; refused (409) if the appeal changed since the `version` sent."""
        appeal = self.get_object()
        data = self.input_data(AppealChangeInput, instance=appeal)
        version = self.pop_version(data)
        current = {
            "stage": appeal.stage,
            "outcome": appeal.outcome,
            "response_sent_on": appeal.response_sent_on,
        }
        appeal = self.call_service(
            services.appeal_update, appeal=appeal, seen_updated_at=version, **{**current, **data}
        )
        return self.written(appeal, created=False)
