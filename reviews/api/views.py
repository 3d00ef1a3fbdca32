"""Endpoints for periods of care, episodes, LAC reviews and what happens around them (meetings,
the IRO's contacts, permanence plans, Children's Guardians, legal advice referrals). Writes go
through reviews.services, so a REST client meets exactly the checks the web pages apply."""

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from iro_service.api.viewsets import WRITE_ERRORS, RecordsWriteViewSet, with_dfe_warnings
from iro_service.people.codes import JobRole
from iro_service.people.selectors import staff_member_of
from reviews import selectors, services
from reviews.api.serializers import (
    CafcassInvolvementChangeInput,
    CafcassInvolvementRecordInput,
    CafcassInvolvementSerializer,
    EpisodeChangeInput,
    EpisodeSerializer,
    IroContactRecordInput,
    IroContactSerializer,
    LacReviewChangeInput,
    LacReviewRecordInput,
    LacReviewSerializer,
    LegalAdviceReferralChangeInput,
    LegalAdviceReferralRecordInput,
    LegalAdviceReferralSerializer,
    PeriodOfCareEndInput,
    PeriodOfCareSerializer,
    PeriodOfCareStartInput,
    PermanencePlanRecordInput,
    PermanencePlanSerializer,
    ReviewMeetingBookInput,
    ReviewMeetingCancelInput,
    ReviewMeetingSerializer,
    ReviewRecordsDistributeInput,
)
from reviews.filtersets import (
    CafcassInvolvementFilterSet,
    EpisodeFilterSet,
    IroContactFilterSet,
    LacReviewFilterSet,
    LegalAdviceReferralFilterSet,
    PeriodOfCareFilterSet,
    PermanencePlanFilterSet,
    ReviewMeetingFilterSet,
)
from reviews.models import (
    CafcassInvolvement,
    Episode,
    IroContact,
    LacReview,
    LegalAdviceReferral,
    PeriodOfCare,
    PermanencePlan,
    ReviewMeeting,
    ReviewPart,
)

# The services name a review's date and later parts after the web form's fields; the API sends
# them all as ``parts``.
_PART_FIELDS = {"review_date": "parts", **{f"part_{number}": "parts" for number in range(2, 21)}}


class PeriodOfCareViewSet(RecordsWriteViewSet):
    """Periods of care, each with its SSDA903 episodes. POST starts a period (the child comes
    into care); POST .../end/ ends it."""

    serializer_class = PeriodOfCareSerializer
    filterset_class = PeriodOfCareFilterSet
    access_what = "Period of care"
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"end": "reviews.change_periodofcare"}

    def get_queryset(self):
        return PeriodOfCare.objects.order_by("child_id", "start_date", "pk").prefetch_related(
            Prefetch("episodes", queryset=Episode.objects.order_by("start_date"))
        )

    @extend_schema(
        request=PeriodOfCareStartInput,
        responses={201: with_dfe_warnings(PeriodOfCareSerializer), **WRITE_ERRORS},
    )
    def create(self, request, *args, **kwargs):
        """The child comes into care (reviews.services.period_of_care_start)."""
        period = self.call_service(services.period_of_care_start, **self.input_data(PeriodOfCareStartInput))
        return self.written(period, created=True)

    @extend_schema(
        request=PeriodOfCareEndInput,
        responses={200: with_dfe_warnings(PeriodOfCareSerializer), **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The child leaves care (reviews.services.period_of_care_end)."""
        period = self.get_object()
        period = self.call_service(
            services.period_of_care_end, period=period, **self.input_data(PeriodOfCareEndInput)
        )
        return self.written(period, created=False)


class EpisodeViewSet(RecordsWriteViewSet):
    """SSDA903 episodes. POST records a new episode in an open period of care (a change of
    legal status or placement)."""

    serializer_class = EpisodeSerializer
    filterset_class = EpisodeFilterSet
    access_what = "Care episode"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return Episode.objects.select_related("period").order_by("period__child_id", "start_date", "pk")

    def child_ids_of(self, instance):
        return [instance.period.child_id]

    @extend_schema(
        request=EpisodeChangeInput, responses={201: with_dfe_warnings(EpisodeSerializer), **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """A new episode in an open period (reviews.services.episode_change)."""
        episode = self.call_service(services.episode_change, **self.input_data(EpisodeChangeInput))
        return self.written(episode, created=True)


class LacReviewViewSet(RecordsWriteViewSet):
    """Looked-after children's reviews with their parts. POST records a held review; PATCH
    changes one (send the `version` you read), including the dates of its paperwork (social
    worker's report received, decisions circulated, record completed); POST
    .../distribute-records/ marks records distributed."""

    serializer_class = LacReviewSerializer
    filterset_class = LacReviewFilterSet
    access_what = "LAC review"
    http_method_names = ["get", "post", "patch", "head", "options"]
    error_fields = _PART_FIELDS
    # The permission the 'Records to distribute' page checks.
    action_permissions = {"distribute_records": "reviews.distribute_record"}

    def get_queryset(self):
        return LacReview.objects.order_by("review_date", "pk").prefetch_related(
            Prefetch("parts", queryset=ReviewPart.objects.order_by("part_number"))
        )

    @staticmethod
    def _parts(data: dict) -> list[services.PartInput]:
        return [services.PartInput(date=part["date"], notes=part["notes"]) for part in data.pop("parts")]

    @extend_schema(
        request=LacReviewRecordInput, responses={201: with_dfe_warnings(LacReviewSerializer), **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """Record a review that has been held (reviews.services.lac_review_record)."""
        data = self.input_data(LacReviewRecordInput)
        review = self.call_service(services.lac_review_record, parts=self._parts(data), **data)
        return self.written(review, created=True)

    @extend_schema(
        request=LacReviewChangeInput, responses={200: with_dfe_warnings(LacReviewSerializer), **WRITE_ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        """Change a recorded review (reviews.services.lac_review_update). Fields not sent keep
        their values; the record's distribution date is business support's, not changed here."""
        review = self.get_object()
        self.refuse_unless_theirs(chair_id=review.chair_id, child_ids=[review.child_id])
        data = self.input_data(LacReviewChangeInput, instance=review)
        version = self.pop_version(data)
        current = {
            "parts": [{"date": part.date, "notes": part.notes} for part in review.parts.all()],
            **selectors.lac_review_editable_values(review=review),
        }
        data = {**current, **data}
        review = self.call_service(
            services.lac_review_update,
            review=review,
            parts=self._parts(data),
            seen_updated_at=version,
            **data,
        )
        return self.written(review, created=False)

    @extend_schema(
        request=ReviewRecordsDistributeInput,
        responses={200: LacReviewSerializer(many=True), 400: WRITE_ERRORS[400]},
    )
    # Not a list: no filters or pagination, whatever the viewset's.
    @action(
        detail=False,
        methods=["post"],
        url_path="distribute-records",
        filter_backends=[],
        pagination_class=None,
    )
    def distribute_records(self, request):
        """Mark the records of the reviews sent distributed on one date, all or none, and
        return those reviews (reviews.services.review_records_distribute)."""
        data = self.input_data(ReviewRecordsDistributeInput)
        self.call_service(
            services.review_records_distribute,
            review_ids=data["reviews"],
            distributed_on=data["distributed_on"],
        )
        reviews = list(self.get_queryset().filter(pk__in=data["reviews"]))
        self._log(reviews, f"{self.access_what} (record distributed)")
        return Response(self.get_serializer(reviews, many=True).data)


class ReviewMeetingViewSet(RecordsWriteViewSet):
    """Review meetings booked by business support, and what became of them. POST books the next
    meeting of a period of care; POST .../cancel/ cancels one, or moves it when `new_date` is
    sent (send the `version` you read)."""

    serializer_class = ReviewMeetingSerializer
    filterset_class = ReviewMeetingFilterSet
    access_what = "Review meeting"
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"cancel": "reviews.change_reviewmeeting"}

    def get_queryset(self):
        return ReviewMeeting.objects.select_related("period").order_by("date", "pk")

    def child_ids_of(self, instance):
        return [instance.period.child_id]

    @extend_schema(request=ReviewMeetingBookInput, responses={201: ReviewMeetingSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Book the next review meeting (reviews.services.review_meeting_book)."""
        data = self.input_data(ReviewMeetingBookInput)
        meeting = self.call_service(
            services.review_meeting_book, period=data["period"], on=data["date"], by=request.user
        )
        return self.written(meeting, created=True)

    @extend_schema(
        request=ReviewMeetingCancelInput,
        # 201 with the new meeting when it was moved; 200 with the cancelled one.
        responses={200: ReviewMeetingSerializer, 201: ReviewMeetingSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a booked meeting with the reason; with `new_date`, move it and return the new
        meeting (reviews.services.review_meeting_cancel). Refused (409) if the meeting changed
        since the `version` sent."""
        meeting = self.get_object()
        data = self.input_data(ReviewMeetingCancelInput)
        # Booking the moved meeting names its date `date`; here it is the `new_date` sent.
        self.error_fields = {"date": "new_date"}
        moved = self.call_service(
            services.review_meeting_cancel,
            meeting=meeting,
            reason=data["reason"],
            new_date=data["new_date"],
            by=request.user,
            seen_updated_at=data["version"],
        )
        if moved is not None:
            return self.written(moved, created=True)
        return self.written(meeting, created=False)


class IroContactViewSet(RecordsWriteViewSet):
    """The IRO's visits and other contacts with children between reviews. POST records one for
    the IRO whose token it is, as the web page records the signed-in IRO's own contact."""

    serializer_class = IroContactSerializer
    filterset_class = IroContactFilterSet
    access_what = "IRO contact"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return IroContact.objects.order_by("child_id", "-date", "pk")

    @extend_schema(
        request=IroContactRecordInput,
        responses={
            201: IroContactSerializer,
            400: WRITE_ERRORS[400],
            403: OpenApiResponse(description="The token's user is not an IRO, or may not record contacts."),
        },
    )
    def create(self, request, *args, **kwargs):
        """Record the IRO's contact with a child (reviews.services.iro_contact_record)."""
        own = staff_member_of(request.user)
        if own is None or own.job_role != JobRole.IRO:
            raise exceptions.PermissionDenied(
                "Only an IRO can record their contact with a child: use a token issued to the IRO."
            )
        data = self.input_data(IroContactRecordInput)
        contact = self.call_service(
            services.iro_contact_record,
            child=data["child"],
            iro=own,
            on=data["date"],
            kind=data["kind"],
            notes=data["notes"],
        )
        return self.written(contact, created=True)


class PermanencePlanViewSet(RecordsWriteViewSet):
    """Permanence plans agreed for children in care. POST records one."""

    serializer_class = PermanencePlanSerializer
    filterset_class = PermanencePlanFilterSet
    access_what = "Permanence plan"
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return PermanencePlan.objects.select_related("period").order_by(
            "period__child_id", "date_agreed", "pk"
        )

    def child_ids_of(self, instance):
        return [instance.period.child_id]

    @extend_schema(
        request=PermanencePlanRecordInput, responses={201: PermanencePlanSerializer, **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """Record the permanence plan agreed (reviews.services.permanence_plan_record)."""
        plan = self.call_service(
            services.permanence_plan_record, **self.input_data(PermanencePlanRecordInput)
        )
        return self.written(plan, created=True)


class CafcassInvolvementViewSet(RecordsWriteViewSet):
    """Cafcass Children's Guardians in care proceedings and their handover to the IRO. POST
    records one; PATCH records the end of their involvement and the handover (send the
    `version` you read)."""

    serializer_class = CafcassInvolvementSerializer
    filterset_class = CafcassInvolvementFilterSet
    access_what = "Cafcass involvement"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return CafcassInvolvement.objects.order_by("child_id", "start_date", "pk")

    @extend_schema(
        request=CafcassInvolvementRecordInput, responses={201: CafcassInvolvementSerializer, **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """Record a Children's Guardian's involvement (reviews.services.cafcass_involvement_record)."""
        involvement = self.call_service(
            services.cafcass_involvement_record, **self.input_data(CafcassInvolvementRecordInput)
        )
        return self.written(involvement, created=True)

    @extend_schema(
        request=CafcassInvolvementChangeInput, responses={200: CafcassInvolvementSerializer, **WRITE_ERRORS}
    )
    def partial_update(self, request, *args, **kwargs):
        """Record when the guardian's involvement ended and when they handed over
        (reviews.services.cafcass_involvement_update). Fields not sent keep their values;
        refused (409) if the record changed since the `version` sent."""
        involvement = self.get_object()
        data = self.input_data(CafcassInvolvementChangeInput, instance=involvement)
        version = self.pop_version(data)
        current = {"end_date": involvement.end_date, "handover_date": involvement.handover_date}
        involvement = self.call_service(
            services.cafcass_involvement_update,
            involvement=involvement,
            seen_updated_at=version,
            **{**current, **data},
        )
        return self.written(involvement, created=False)


class LegalAdviceReferralViewSet(RecordsWriteViewSet):
    """Referrals of children for independent legal advice. POST records one; PATCH records
    its outcome once known (send the `version` you read)."""

    serializer_class = LegalAdviceReferralSerializer
    filterset_class = LegalAdviceReferralFilterSet
    access_what = "Legal advice referral"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return LegalAdviceReferral.objects.order_by("child_id", "date_referred", "pk")

    @extend_schema(
        request=LegalAdviceReferralRecordInput, responses={201: LegalAdviceReferralSerializer, **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """Record a referral for legal advice (reviews.services.legal_advice_referral_record)."""
        referral = self.call_service(
            services.legal_advice_referral_record, **self.input_data(LegalAdviceReferralRecordInput)
        )
        return self.written(referral, created=True)

    @extend_schema(
        request=LegalAdviceReferralChangeInput,
        responses={200: LegalAdviceReferralSerializer, **WRITE_ERRORS},
    )
    def partial_update(self, request, *args, **kwargs):
        """Record the outcome of the referral (reviews.services.legal_advice_referral_update).
        Refused (409) if the referral changed since the `version` sent."""
        referral = self.get_object()
        data = self.input_data(LegalAdviceReferralChangeInput, instance=referral)
        version = self.pop_version(data)
        referral = self.call_service(
            services.legal_advice_referral_update,
            referral=referral,
            outcome=data.get("outcome", referral.outcome),
            seen_updated_at=version,
        )
        return self.written(referral, created=False)
