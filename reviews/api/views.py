"""Endpoints for periods of care, episodes and LAC reviews. Writes go through reviews.services,
so a REST client meets exactly the checks the web pages apply."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from iro_service.core.api.viewsets import WRITE_ERRORS, RecordsWriteViewSet
from reviews import services
from reviews.api.serializers import (
    EpisodeChangeInput,
    EpisodeSerializer,
    LacReviewChangeInput,
    LacReviewRecordInput,
    LacReviewSerializer,
    PeriodOfCareEndInput,
    PeriodOfCareSerializer,
    PeriodOfCareStartInput,
)
from reviews.filtersets import EpisodeFilterSet, LacReviewFilterSet, PeriodOfCareFilterSet
from reviews.models import Episode, LacReview, PeriodOfCare, ReviewPart

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

    @extend_schema(request=PeriodOfCareStartInput, responses={201: PeriodOfCareSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """The child comes into care (reviews.services.period_of_care_start)."""
        period = self.call_service(services.period_of_care_start, **self.input_data(PeriodOfCareStartInput))
        return self.written(period, created=True)

    @extend_schema(request=PeriodOfCareEndInput, responses={200: PeriodOfCareSerializer, **WRITE_ERRORS})
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

    @extend_schema(request=EpisodeChangeInput, responses={201: EpisodeSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """A new episode in an open period (reviews.services.episode_change)."""
        episode = self.call_service(services.episode_change, **self.input_data(EpisodeChangeInput))
        return self.written(episode, created=True)


class LacReviewViewSet(RecordsWriteViewSet):
    """Looked-after children's reviews with their parts. POST records a held review; PATCH
    changes one (send the `version` you read)."""

    serializer_class = LacReviewSerializer
    filterset_class = LacReviewFilterSet
    access_what = "LAC review"
    http_method_names = ["get", "post", "patch", "head", "options"]
    error_fields = _PART_FIELDS

    def get_queryset(self):
        return LacReview.objects.order_by("review_date", "pk").prefetch_related(
            Prefetch("parts", queryset=ReviewPart.objects.order_by("part_number"))
        )

    @staticmethod
    def _parts(data: dict) -> list[services.PartInput]:
        return [
            services.PartInput(date=part["date"], notes=part.get("notes", "")) for part in data.pop("parts")
        ]

    @extend_schema(request=LacReviewRecordInput, responses={201: LacReviewSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Record a review that has been held (reviews.services.lac_review_record)."""
        data = self.input_data(LacReviewRecordInput)
        review = self.call_service(services.lac_review_record, parts=self._parts(data), **data)
        return self.written(review, created=True)

    @extend_schema(request=LacReviewChangeInput, responses={200: LacReviewSerializer, **WRITE_ERRORS})
    def partial_update(self, request, *args, **kwargs):
        """Change a recorded review (reviews.services.lac_review_update). Fields not sent keep
        their values; the record's distribution date is business support's, not changed here."""
        review = self.get_object()
        data = self.input_data(LacReviewChangeInput, instance=review)
        version = self.pop_version(data)
        current = {
            "parts": [{"date": part.date, "notes": part.notes} for part in review.parts.all()],
            "chair": review.chair,
            "participation_code": review.participation_code,
            "sw_report_received": review.sw_report_received,
            "decisions_circulated": review.decisions_circulated,
            "record_completed": review.record_completed,
            "late_reason": review.late_reason,
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
