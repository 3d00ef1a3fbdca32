"""DRF serializers for the conferences app. Read serializers show the records; the *Input
serializers only parse what a REST client sends, which conferences.services then validates."""

from rest_framework import serializers

from conferences.models import (
    AbuseCategory,
    Agency,
    AgencyInvitation,
    ChildProtectionPlan,
    ChildStage,
    Conference,
    ConferenceChild,
    ConferenceOutcome,
    ConferenceType,
    PlanEndReason,
    StoodDownReason,
    StrategyDiscussion,
)
from iro_service.core.api.fields import RecordDateField
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


# --- writes -----------------------------------------------------------------------------------


class ConferenceChildInput(serializers.Serializer):
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


class ChildDecisionInput(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    outcome = serializers.ChoiceField(ConferenceOutcome.choices)
    categories = serializers.ListField(
        child=serializers.ChoiceField(AbuseCategory.choices), required=False, default=list, max_length=4
    )
    end_reason = serializers.ChoiceField(PlanEndReason.choices, allow_blank=True, required=False, default="")


class AgencyAttendanceInput(serializers.Serializer):
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
