"""DRF serializers for the hsb app. Read serializers show the records; the *Input serializers
only parse what a REST client sends, which hsb.services then validates."""

from rest_framework import serializers

from hsb.codes import (
    AssessmentOutcome,
    AssessmentTool,
    BrookRating,
    BrookToolVersion,
    Course,
    Intervention,
    MeetingAgency,
    ReferralOutcome,
)
from hsb.models import (
    DESCRIPTION_LIMIT,
    REASON_LIMIT,
    SUMMARY_LIMIT,
    HsbAssessment,
    HsbMeeting,
    HsbReferral,
    HsbTrainingRecord,
    OutsidePractitioner,
)
from iro_service.api.fields import RecordDateField
from iro_service.people.codes import Ethnicity, Sex
from iro_service.people.models import Child, StaffMember

# --- reads ------------------------------------------------------------------------------------


class HsbReferralSerializer(serializers.ModelSerializer):
    rating_label = serializers.CharField(read_only=True, help_text="Amber is 'Orange' on the 2020 tool.")
    threshold_met = serializers.BooleanField(read_only=True, allow_null=True, help_text="Null until decided.")
    in_care_on_received = serializers.BooleanField(
        read_only=True, help_text="Derived from the periods of care: in care on the date received."
    )
    version = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="Send this back as `version` with the threshold decision.",
    )

    class Meta:
        model = HsbReferral
        fields = [
            "id",
            "child",
            "received_on",
            "referrer_name",
            "referrer_team",
            "description",
            "rating",
            "tool_version",
            "rating_label",
            "threshold_met",
            "decided_on",
            "decided_by",
            "outcome",
            "period_of_care",
            "cp_plan",
            "in_care_on_received",
            "version",
        ]


class HsbMeetingSerializer(serializers.ModelSerializer):
    child_in_care = serializers.BooleanField(
        read_only=True, help_text="Derived from the periods of care: in care on the meeting date."
    )
    version = serializers.DateTimeField(
        source="updated_at", read_only=True, help_text="Send this back as `version` with the record dates."
    )

    class Meta:
        model = HsbMeeting
        fields = [
            "id",
            "referral",
            "date",
            "chair",
            "agencies",
            "risk_summary",
            "recommendations",
            "intervention",
            "review_on",
            "override_reason",
            "record_produced_on",
            "record_distributed_on",
            "record_produced_due",
            "record_distributed_due",
            "child_in_care",
            "version",
        ]


class OutsidePractitionerSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutsidePractitioner
        fields = ["id", "name", "agency"]


class HsbAssessmentSerializer(serializers.ModelSerializer):
    assessor_practitioner = OutsidePractitionerSerializer(read_only=True)

    class Meta:
        model = HsbAssessment
        fields = [
            "id",
            "referral",
            "tool",
            "date",
            "assessor_staff",
            "assessor_practitioner",
            "outcome",
            "summary",
            "age_confirmed",
        ]


class HsbTrainingRecordSerializer(serializers.ModelSerializer):
    practitioner = OutsidePractitionerSerializer(read_only=True)

    class Meta:
        model = HsbTrainingRecord
        fields = ["id", "staff", "practitioner", "course", "completed_on"]


# --- writes -----------------------------------------------------------------------------------


class NewChildInput(serializers.Serializer):
    """A child new to the service, added with the referral."""

    local_child_id = serializers.CharField(max_length=20)
    first_name = serializers.CharField(max_length=80)
    last_name = serializers.CharField(max_length=80)
    date_of_birth = RecordDateField()
    sex = serializers.ChoiceField(Sex.choices, default=Sex.UNKNOWN)
    ethnicity = serializers.ChoiceField(Ethnicity.choices, default=Ethnicity.NOBT)


class HsbReferralRecordInput(serializers.Serializer):
    """A referral to the HSB lead: about a known `child`, or a `new_child` added with it."""

    child = serializers.PrimaryKeyRelatedField(
        queryset=Child.objects.all(), allow_null=True, required=False, default=None
    )
    new_child = NewChildInput(allow_null=True, required=False, default=None)
    received_on = RecordDateField(help_text="The date the referral was received.")
    referrer_name = serializers.CharField(max_length=120)
    referrer_team = serializers.CharField(max_length=120, help_text="The referrer's team or agency.")
    description = serializers.CharField(max_length=DESCRIPTION_LIMIT)
    rating = serializers.ChoiceField(BrookRating.choices, allow_blank=True, required=False, default="")
    tool_version = serializers.ChoiceField(
        BrookToolVersion.choices, allow_blank=True, required=False, default=""
    )
    # The related models through the referral's own fields: another app's records, whose rows
    # the service checks are the child's.
    period_of_care = serializers.PrimaryKeyRelatedField(
        queryset=HsbReferral._meta.get_field("period_of_care").related_model.objects.all(),
        allow_null=True,
        required=False,
        default=None,
    )
    cp_plan = serializers.PrimaryKeyRelatedField(
        queryset=HsbReferral._meta.get_field("cp_plan").related_model.objects.all(),
        allow_null=True,
        required=False,
        default=None,
    )


class ThresholdDecisionInput(serializers.Serializer):
    """The HSB lead's threshold decision, put down to the token's user (a member of staff)."""

    rating = serializers.ChoiceField(BrookRating.choices, allow_blank=True)
    tool_version = serializers.ChoiceField(BrookToolVersion.choices, allow_blank=True)
    outcome = serializers.ChoiceField(
        ReferralOutcome.choices,
        allow_blank=True,
        required=False,
        default="",
        help_text="Blank for amber or red (an HSB meeting); one of the others for green.",
    )
    decided_on = RecordDateField()
    version = serializers.DateTimeField(
        help_text="The `version` of the referral you read: refused (409) if it has changed since."
    )


class HsbMeetingRecordInput(serializers.Serializer):
    """An HSB meeting held about a referral."""

    referral = serializers.PrimaryKeyRelatedField(queryset=HsbReferral.objects.none())
    date = RecordDateField(help_text="The date of the meeting.")
    chair = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all())
    agencies = serializers.ListField(
        child=serializers.ChoiceField(MeetingAgency.choices),
        required=False,
        default=list,
        max_length=len(MeetingAgency),
    )
    risk_summary = serializers.CharField(max_length=SUMMARY_LIMIT)
    recommendations = serializers.CharField(max_length=SUMMARY_LIMIT)
    intervention = serializers.ChoiceField(Intervention.choices, allow_blank=True, required=False, default="")
    review_on = RecordDateField(allow_null=True, required=False, default=None)
    override_reason = serializers.CharField(
        max_length=REASON_LIMIT, allow_blank=True, required=False, default=""
    )
    record_produced_on = RecordDateField(allow_null=True, required=False, default=None)
    record_distributed_on = RecordDateField(allow_null=True, required=False, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a referral the client may see: any other is "does not exist", as on the pages
        # (none at all when the schema is drawn, which has no request).
        self.fields["referral"].queryset = self.context.get("visible_referrals", HsbReferral.objects.none())


class RecordDatesInput(serializers.Serializer):
    """When the meeting's record was produced and distributed (null: not yet)."""

    record_produced_on = RecordDateField(allow_null=True)
    record_distributed_on = RecordDateField(allow_null=True)
    version = serializers.DateTimeField(
        help_text="The `version` of the meeting you read: refused (409) if it has changed since."
    )


class HsbAssessmentRecordInput(serializers.Serializer):
    """An AIM assessment: by a member of staff or an outside practitioner trained in the model."""

    referral = serializers.PrimaryKeyRelatedField(queryset=HsbReferral.objects.none())
    tool = serializers.ChoiceField(AssessmentTool.choices)
    date = RecordDateField()
    outcome = serializers.ChoiceField(AssessmentOutcome.choices)
    assessor_staff = serializers.PrimaryKeyRelatedField(
        queryset=StaffMember.objects.all(), allow_null=True, required=False, default=None
    )
    assessor_practitioner = serializers.PrimaryKeyRelatedField(
        queryset=OutsidePractitioner.objects.all(), allow_null=True, required=False, default=None
    )
    summary = serializers.CharField(max_length=REASON_LIMIT, allow_blank=True, required=False, default="")
    age_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True to confirm the model for a child outside the age range it is designed for.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = self.context.get("visible_referrals", HsbReferral.objects.none())


class HsbTrainingRecordInput(serializers.Serializer):
    """A course completed by a member of staff, or by an outside practitioner named here."""

    course = serializers.ChoiceField(Course.choices)
    completed_on = RecordDateField()
    staff = serializers.PrimaryKeyRelatedField(
        queryset=StaffMember.objects.all(), allow_null=True, required=False, default=None
    )
    practitioner_name = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
    practitioner_agency = serializers.CharField(max_length=120, allow_blank=True, required=False, default="")
