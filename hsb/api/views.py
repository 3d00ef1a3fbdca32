"""Endpoints for harmful sexual behaviour: referrals (with the threshold decision), meetings
(with their record dates), assessments and the training register. Writes go through
hsb.services, so a REST client meets exactly the checks the web pages apply.

Who sees what is the pages' rule (``hsb.selectors``): a user who may see no HSB record gets
404 from every endpoint, as if it did not exist, and a record outside what the user may see is
404 too. The token still needs its scope ('read' to read, 'write' to write), and a write needs
the role's permission (403 for someone who may see but not change)."""

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action

from hsb import selectors, services
from hsb.api.serializers import (
    HsbAssessmentRecordInput,
    HsbAssessmentSerializer,
    HsbMeetingRecordInput,
    HsbMeetingSerializer,
    HsbReferralRecordInput,
    HsbReferralSerializer,
    HsbTrainingRecordInput,
    HsbTrainingRecordSerializer,
    RecordDatesInput,
    ThresholdDecisionInput,
)
from hsb.filtersets import (
    HsbAssessmentFilterSet,
    HsbMeetingFilterSet,
    HsbReferralFilterSet,
    HsbTrainingRecordFilterSet,
)
from hsb.models import HsbAssessment, HsbTrainingRecord
from hsb.roles import MANAGE_TRAINING, MANAGE_WORK
from iro_service.api.permissions import RecordsScope, method_offered
from iro_service.api.viewsets import WRITE_ERRORS, RecordsWriteViewSet
from iro_service.people.selectors import staff_member_of

# The fields of a new child, which the service's errors name; the API calls them new_child.
NEW_CHILD_ERRORS = {
    name: "new_child"
    for name in ("local_child_id", "first_name", "last_name", "date_of_birth", "sex", "ethnicity")
}


class HsbScope(RecordsScope):
    """The token's scope as for any records endpoint; then 404 for a user who may see no HSB
    record of this kind (``view.visible_to``), and for a write the one permission the view's
    ``write_permission`` names (403: they may see, not change)."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if not method_offered(request, view):
            return True  # the view answers 405
        if not self.scope_allows(request):
            return False
        if not view.visible_to(request.user):
            raise exceptions.NotFound()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return request.user.has_perm(view.write_permission)
        return True


class HsbViewSet(RecordsWriteViewSet):
    permission_classes = [HsbScope]
    http_method_names = ["get", "post", "head", "options"]
    write_permission = MANAGE_WORK

    def visible_to(self, user) -> bool:
        return selectors.has_any_hsb_access(user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "visible_referrals": self._visible_referrals()}

    def _visible_referrals(self):
        return selectors.referrals_visible_to(self.request.user)


class HsbReferralViewSet(HsbViewSet):
    """HSB referrals, with whether the child was in care when referred (from the periods of
    care). POST records one (for a known `child` or a `new_child`); POST
    .../threshold-decision/ records the HSB lead's decision."""

    serializer_class = HsbReferralSerializer
    filterset_class = HsbReferralFilterSet
    access_what = "HSB referral"
    error_fields = NEW_CHILD_ERRORS

    def get_queryset(self):
        return selectors.referrals_for_api(user=self.request.user)

    @extend_schema(request=HsbReferralRecordInput, responses={201: HsbReferralSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Record a referral (hsb.services.hsb_referral_record)."""
        data = self.input_data(HsbReferralRecordInput)
        if data["new_child"] is not None:
            data["new_child"] = dict(data["new_child"])
        referral = self.call_service(services.hsb_referral_record, **data)
        return self.written(referral, created=True)

    @extend_schema(request=ThresholdDecisionInput, responses={200: HsbReferralSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="threshold-decision")
    def threshold_decision(self, request, pk=None):
        """The threshold decision: amber or red meets it (an HSB meeting), green does not
        (hsb.services.hsb_referral_decide). Put down to the token's user."""
        referral = self.get_object()
        data = self.input_data(ThresholdDecisionInput)
        referral = self.call_service(
            services.hsb_referral_decide,
            referral=referral,
            rating=data["rating"],
            tool_version=data["tool_version"],
            outcome=data["outcome"],
            decided_on=data["decided_on"],
            decided_by=staff_member_of(request.user),
            seen_updated_at=data["version"],
        )
        return self.written(referral, created=False)


class HsbMeetingViewSet(HsbViewSet):
    """HSB meetings, with whether the child was in care on the day. POST records one; POST
    .../record-dates/ records when its record was produced and distributed."""

    serializer_class = HsbMeetingSerializer
    filterset_class = HsbMeetingFilterSet
    access_what = "HSB meeting"

    def get_queryset(self):
        return selectors.meetings_for_api(user=self.request.user)

    def child_ids_of(self, instance):
        return [instance.referral.child_id]

    @extend_schema(request=HsbMeetingRecordInput, responses={201: HsbMeetingSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Record an HSB meeting (hsb.services.hsb_meeting_record)."""
        data = self.input_data(HsbMeetingRecordInput)
        meeting = self.call_service(services.hsb_meeting_record, **data)
        return self.written(meeting, created=True)

    @extend_schema(request=RecordDatesInput, responses={200: HsbMeetingSerializer, **WRITE_ERRORS})
    @action(detail=True, methods=["post"], url_path="record-dates")
    def record_dates(self, request, pk=None):
        """When the record was produced and distributed (hsb.services.hsb_meeting_record_dates)."""
        meeting = self.get_object()
        data = self.input_data(RecordDatesInput)
        meeting = self.call_service(
            services.hsb_meeting_record_dates,
            meeting=meeting,
            produced_on=data["record_produced_on"],
            distributed_on=data["record_distributed_on"],
            seen_updated_at=data["version"],
        )
        return self.written(meeting, created=False)


class HsbAssessmentViewSet(HsbViewSet):
    """AIM2 and AIM3 assessments. POST records one: refused (400, naming the assessor) when the
    assessor has no training record for the model, and for a child outside the model's age
    range until `age_confirmed` is true."""

    serializer_class = HsbAssessmentSerializer
    filterset_class = HsbAssessmentFilterSet
    access_what = "HSB assessment"

    def get_queryset(self):
        return (
            HsbAssessment.objects.filter(referral__in=self._visible_referrals().values("pk"))
            .select_related("referral", "assessor_practitioner")
            .order_by("-date", "pk")
        )

    def child_ids_of(self, instance):
        return [instance.referral.child_id]

    @extend_schema(request=HsbAssessmentRecordInput, responses={201: HsbAssessmentSerializer, **WRITE_ERRORS})
    def create(self, request, *args, **kwargs):
        """Record an assessment (hsb.services.hsb_assessment_record)."""
        data = self.input_data(HsbAssessmentRecordInput)
        assessment = self.call_service(services.hsb_assessment_record, **data)
        return self.written(assessment, created=True)


class HsbTrainingRecordViewSet(HsbViewSet):
    """The HSB training register: courses completed by staff and outside practitioners. About
    staff, not children: nothing goes to the children's access log. For those who see every
    HSB record."""

    serializer_class = HsbTrainingRecordSerializer
    filterset_class = HsbTrainingRecordFilterSet
    access_what = "HSB training record"
    write_permission = MANAGE_TRAINING

    def visible_to(self, user) -> bool:
        return selectors.sees_all(user)

    def get_queryset(self):
        return HsbTrainingRecord.objects.select_related("practitioner").order_by("-completed_on", "pk")

    @extend_schema(
        request=HsbTrainingRecordInput, responses={201: HsbTrainingRecordSerializer, **WRITE_ERRORS}
    )
    def create(self, request, *args, **kwargs):
        """Add a training record (hsb.services.hsb_training_record_add)."""
        data = self.input_data(HsbTrainingRecordInput)
        record = self.call_service(services.hsb_training_record_add, **data)
        return self.written(record, created=True)
