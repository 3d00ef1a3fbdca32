"""DRF serializers for the conferences app. Read serializers show the records; the *Input
serializers only parse what a REST client sends, which conferences.services then validates."""

from rest_framework import serializers

from conferences.codes import assessment_factors
from conferences.models import (
    AbuseCategory,
    Agency,
    AgencyInvitation,
    Appeal,
    AppealOutcome,
    Appellant,
    ChildProtectionPlan,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceType,
    PlanEndReason,
    Section47Enquiry,
    StoodDownReason,
    StrategyDiscussion,
)
from iro_service.api.fields import RecordDateField, WholeItemSerializer
from iro_service.people.models import Child, Family, StaffMember

# --- reads ------------------------------------------------------------------------------------


class ConferenceChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConferenceChild
        fields = ["child", "stage", "outcome", "due_date"]


class AgencyInvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgencyInvitation
        fields = ["agency", "invited", "attended", "report_submitted"]


class ConferenceSerializer(serializers.ModelSerializer):
    children = ConferenceChildSerializer(many=True, read_only=True)
    agencies = AgencyInvitationSerializer(source="invitations", many=True, read_only=True)
    version = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="Send this back as `version` when recording or standing down the conference.",
    )

    class Meta:
        model = Conference
        fields = [
            "id",
            "family",
            "conference_type",
            "date",
            "chair",
            "status",
            "strategy_discussion",
            "transfer_notified_on",
            "stood_down_reason",
            "stood_down_detail",
            "rearranged_as",
            "due_date",
            "parent_report_due",
            "chair_report_due",
            "record_due",
            "report_to_parents_on",
            "report_to_chair_on",
            "record_completed_on",
            "record_distributed_on",
            "children",
            "agencies",
            "version",
        ]


class ChildProtectionPlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChildProtectionPlan
        fields = [
            "id",
            "child",
            "start_conference",
            "start_date",
            "categories",
            "categories_not_itemised",
            "end_conference",
            "end_date",
            "end_reason",
            "previous_plans_declared",
        ]


# The assessment a section 47 enquiry is part of, shown with the enquiry wherever it is read
# and written through POST /section-47-enquiries/{id}/assessment/.
ASSESSMENT_FIELDS = ["assessment_started_on", "assessment_authorised_on", "assessment_factors"]


class DiscussionEnquirySerializer(serializers.ModelSerializer):
    """A section 47 enquiry inside its strategy discussion."""

    class Meta:
        model = Section47Enquiry
        fields = ["id", "child", "start_date", *ASSESSMENT_FIELDS]
        read_only_fields = ASSESSMENT_FIELDS


class StrategyDiscussionSerializer(serializers.ModelSerializer):
    enquiries = DiscussionEnquirySerializer(many=True, read_only=True)
    conferences = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The conferences booked from this discussion."
    )

    class Meta:
        model = StrategyDiscussion
        fields = ["id", "family", "date", "enquiries", "conferences"]


class Section47EnquirySerializer(serializers.ModelSerializer):
    family = serializers.IntegerField(source="strategy_discussion.family_id", read_only=True)

    class Meta:
        model = Section47Enquiry
        fields = ["id", "strategy_discussion", "family", "child", "start_date", *ASSESSMENT_FIELDS]
        read_only_fields = ASSESSMENT_FIELDS


class AgencyInvitationDetailSerializer(serializers.ModelSerializer):
    """An agency invited to a conference, with the conference's family and date."""

    family = serializers.IntegerField(source="conference.family_id", read_only=True)
    conference_date = serializers.DateField(source="conference.date", read_only=True)

    class Meta:
        model = AgencyInvitation
        fields = [
            "id",
            "conference",
            "family",
            "conference_date",
            "agency",
            "invited",
            "attended",
            "report_submitted",
        ]


class AppealSerializer(serializers.ModelSerializer):
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices, read_only=True)
    version = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="Send this back as `version` when moving the appeal on, to detect a stale edit.",
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "conference",
            "child",
            "appellant",
            "received_on",
            "stage",
            "outcome",
            "response_sent_on",
            "summary",
            "version",
        ]


# --- writes -----------------------------------------------------------------------------------


class ConferenceChildInput(WholeItemSerializer):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    stage = serializers.ChoiceField(ChildStage.choices)


class ConferenceBookInput(serializers.Serializer):
    """A conference to book for a family, about some of its children."""

    family = serializers.PrimaryKeyRelatedField(queryset=Family.objects.all())
    conference_type = serializers.ChoiceField(ConferenceType.choices)
    date = RecordDateField(help_text="The date of the conference.")
    chair = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all())
    children = ConferenceChildInput(many=True, allow_empty=False, max_length=30)
    strategy_discussion = serializers.PrimaryKeyRelatedField(
        queryset=StrategyDiscussion.objects.all(), allow_null=True, required=False, default=None
    )
    transfer_notified_on = RecordDateField(allow_null=True, required=False, default=None)
    agencies = serializers.ListField(
        child=serializers.ChoiceField(Agency.choices), required=False, default=list, max_length=len(Agency)
    )


class ChildDecisionInput(WholeItemSerializer):
    child = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    outcome = serializers.ChoiceField(ConferenceOutcome.choices)
    categories = serializers.ListField(
        child=serializers.ChoiceField(AbuseCategory.choices), required=False, default=list, max_length=4
    )
    end_reason = serializers.ChoiceField(PlanEndReason.choices, allow_blank=True, required=False, default="")


class AgencyAttendanceInput(WholeItemSerializer):
    agency = serializers.ChoiceField(Agency.choices)
    invited = serializers.BooleanField(default=True)
    attended = serializers.BooleanField(default=False)
    report_submitted = serializers.BooleanField(default=False)


class ConferenceRecordInput(serializers.Serializer):
    """What a held conference decided for each child (starting, continuing or ending their plans)
    and which agencies came."""

    decisions = ChildDecisionInput(many=True, allow_empty=False, max_length=30)
    attendance = AgencyAttendanceInput(many=True, required=False, default=list, max_length=len(Agency))
    version = serializers.DateTimeField(
        help_text="The `version` of the conference you read: refused (409) if it has changed since."
    )


class ConferenceStandDownInput(serializers.Serializer):
    """A booked conference that could not go ahead on the day, and its new date if known."""

    reason = serializers.ChoiceField(StoodDownReason.choices)
    detail = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)
    rearranged_on = RecordDateField(allow_null=True, required=False, default=None)
    version = serializers.DateTimeField()


class ConferenceReportsInput(serializers.Serializer):
    """The dates the social worker's report reached the parents and the chair. A date not sent
    keeps its value; send null to clear one."""

    report_to_parents_on = RecordDateField(allow_null=True, required=False)
    report_to_chair_on = RecordDateField(allow_null=True, required=False)
    version = serializers.DateTimeField(
        help_text="The `version` of the conference you read: refused (409) if it has changed since."
    )


class ConferenceRecordDistributionInput(serializers.Serializer):
    """The dates the record and plan were completed and distributed. A `distributed_on` not
    sent keeps its value; send null to clear it."""

    completed_on = RecordDateField(help_text="The date the record was completed.")
    distributed_on = RecordDateField(
        allow_null=True, required=False, help_text="The date the record and plan were distributed."
    )
    version = serializers.DateTimeField(
        help_text="The `version` of the conference you read: refused (409) if it has changed since."
    )


class StrategyDiscussionRecordInput(serializers.Serializer):
    """A strategy discussion about a family that started section 47 enquiries about some of its
    children."""

    family = serializers.PrimaryKeyRelatedField(queryset=Family.objects.all())
    date = RecordDateField(help_text="The date of the strategy discussion.")
    children = serializers.ListField(
        child=serializers.PrimaryKeyRelatedField(queryset=Child.objects.all()),
        max_length=30,
        help_text="The children the section 47 enquiries are about.",
    )
    s47_start_date = RecordDateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="The date the enquiries started, when not the day of the discussion.",
    )


class Section47AssessmentInput(serializers.Serializer):
    """The assessment a section 47 enquiry is part of. `assessment_authorised_on` and
    `assessment_factors` not sent keep their values; send a null start date (and no
    authorisation or factors) to remove the assessment."""

    assessment_started_on = RecordDateField(
        allow_null=True, help_text="The date the assessment started; null to remove the assessment."
    )
    assessment_authorised_on = RecordDateField(
        allow_null=True, required=False, help_text="The date the assessment was authorised."
    )
    assessment_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=list(assessment_factors().items())),
        required=False,
        max_length=len(assessment_factors()),
        help_text="The factors identified at the end of the assessment, the DfE's codes, once it is "
        "authorised: `21` (no factors identified) alone.",
    )


class AppealRecordInput(serializers.Serializer):
    """An appeal or complaint about a held conference."""

    conference = serializers.PrimaryKeyRelatedField(queryset=Conference.objects.all())
    appellant = serializers.ChoiceField(Appellant.choices)
    received_on = RecordDateField(help_text="The date the appeal was received.")
    child = serializers.PrimaryKeyRelatedField(
        queryset=Child.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="The child it is about, when it is about one child.",
    )
    summary = serializers.CharField(allow_blank=True, required=False, default="", max_length=500)


class AppealChangeInput(serializers.Serializer):
    """An appeal moved on: send only the fields that change, and the `version`."""

    stage = serializers.IntegerField(min_value=1, max_value=3, help_text="Stages only go forward.")
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices)
    response_sent_on = RecordDateField(
        allow_null=True, help_text="The date the written response was sent; needed for an outcome."
    )
    version = serializers.DateTimeField(
        help_text="The `version` of the appeal you read: refused (409) if it has changed since."
    )
