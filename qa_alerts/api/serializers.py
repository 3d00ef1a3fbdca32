"""DRF serializers for the qa_alerts app. Read serializers show the records; the *Input
serializers only parse what a REST client sends, which qa_alerts.services then validates."""

from rest_framework import serializers

from iro_service.api.fields import RecordDateField
from iro_service.people.models import Child, StaffMember, Team
from qa_alerts.models import (
    AlertKind,
    AlertOutcome,
    AlertResponse,
    AlertStage,
    AlertTransition,
    ChallengeAction,
    ChallengeMeeting,
    QaAlert,
    ReferralKind,
)

# --- reads ------------------------------------------------------------------------------------


class AlertStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertStage
        fields = ["number", "name", "addressee_name", "addressee_email", "started_on", "due_on"]


class QaAlertSerializer(serializers.ModelSerializer):
    children = serializers.SerializerMethodField(help_text="The ids of the children the alert is about.")
    categories = serializers.SerializerMethodField(help_text="The keys of the categories of concern.")
    stages = AlertStageSerializer(many=True, read_only=True)
    version = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="Send this back as `version` when you answer, escalate, refer or resolve the alert.",
    )

    class Meta:
        model = QaAlert
        fields = [
            "id",
            "reference",
            "raised_by",
            "raised_on",
            "kind",
            "context",
            "children",
            "categories",
            "description",
            "review",
            "conference",
            "family",
            "practitioner_name",
            "practitioner_email",
            "team",
            "team_manager_name",
            "team_manager_email",
            "status",
            "stage",
            "highest_stage",
            "response_due",
            "first_response_on",
            "resolved_on",
            "outcome",
            "outcome_detail",
            "stages",
            "version",
        ]

    def get_children(self, alert) -> list[int]:
        return [link.child_id for link in alert.children.all()]

    def get_categories(self, alert) -> list[str]:
        return [concern.category.code for concern in alert.concerns.all()]


class AlertResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertResponse
        fields = [
            "id",
            "alert",
            "stage",
            "received_on",
            "responder_name",
            "summary",
            "satisfactory",
            "through_link",
            "recorded_by",
            "recorded_at",
        ]


class AlertTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AlertTransition
        fields = ["id", "alert", "kind", "from_stage", "to_stage", "on", "reason", "by", "at"]


class ChallengeActionSerializer(serializers.ModelSerializer):
    version = serializers.DateTimeField(source="updated_at", read_only=True)

    class Meta:
        model = ChallengeAction
        fields = ["id", "meeting", "description", "owner", "due_on", "completed_on", "version"]


class ChallengeMeetingSerializer(serializers.ModelSerializer):
    alerts = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField(
        help_text="The ids of the other children whose cases were brought."
    )
    themes = serializers.SerializerMethodField()
    actions = ChallengeActionSerializer(many=True, read_only=True)
    version = serializers.DateTimeField(
        source="updated_at", read_only=True, help_text="Send this back as `version` to change the meeting."
    )

    class Meta:
        model = ChallengeMeeting
        fields = ["id", "held_on", "attendees", "alerts", "cases", "themes", "notes", "actions", "version"]

    def get_alerts(self, meeting) -> list[int]:
        return [alert.pk for alert in meeting.alerts.all()]

    def get_cases(self, meeting) -> list[int]:
        return [child.pk for child in meeting.children.all()]

    def get_themes(self, meeting) -> list[str]:
        return [theme.name for theme in meeting.themes.all()]


# --- writes: what the client sends --------------------------------------------------------


class AlertRaiseInput(serializers.Serializer):
    children = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all(), many=True, allow_empty=False)
    kind = serializers.ChoiceField(choices=AlertKind.choices)
    categories = serializers.ListField(
        child=serializers.SlugField(),
        required=False,
        default=list,
        help_text="Category keys, e.g. drift_delay.",
    )
    description = serializers.CharField(max_length=4000)
    raised_on = RecordDateField()
    practitioner_name = serializers.CharField(max_length=120)
    practitioner_email = serializers.EmailField()
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    team_manager_name = serializers.CharField(max_length=120)
    team_manager_email = serializers.EmailField()
    review = serializers.IntegerField(required=False, allow_null=True, default=None)
    conference = serializers.IntegerField(required=False, allow_null=True, default=None)
    raised_by = serializers.PrimaryKeyRelatedField(
        queryset=StaffMember.objects.iros(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The IRO raising it; leave out when the token's user is that IRO.",
    )


class _Versioned(serializers.Serializer):
    version = serializers.DateTimeField(help_text="The alert's `version` as you read it.")


class AlertResponseInput(_Versioned):
    received_on = RecordDateField()
    responder_name = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=4000)
    satisfactory = serializers.BooleanField(help_text="Whether the response resolves the concern.")


class AlertJudgeInput(_Versioned):
    satisfactory = serializers.BooleanField(help_text="Whether the response resolves the concern.")


class AlertEscalateInput(_Versioned):
    to_stage = serializers.IntegerField(
        min_value=1, help_text="The next stage, or a later one with a reason."
    )
    on = RecordDateField()
    addressee_name = serializers.CharField(max_length=120, required=False, default="", allow_blank=True)
    addressee_email = serializers.EmailField(required=False, default="", allow_blank=True)
    reason = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class AlertReferInput(_Versioned):
    kind = serializers.ChoiceField(choices=ReferralKind.choices)
    referred_on = RecordDateField()
    cafcass_involvement = serializers.IntegerField(required=False, allow_null=True, default=None)
    legal_advice_referral = serializers.IntegerField(required=False, allow_null=True, default=None)
    notes = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class AlertResolveInput(_Versioned):
    outcome = serializers.ChoiceField(choices=AlertOutcome.choices)
    resolved_on = RecordDateField()
    detail = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class ChallengeMeetingInput(serializers.Serializer):
    held_on = RecordDateField()
    attendees = serializers.CharField(max_length=2000)
    alerts = serializers.PrimaryKeyRelatedField(
        queryset=QaAlert.objects.all(), many=True, required=False, default=list
    )
    cases = serializers.PrimaryKeyRelatedField(
        queryset=Child.objects.all(), many=True, required=False, default=list
    )
    themes = serializers.ListField(child=serializers.CharField(max_length=160), required=False, default=list)
    notes = serializers.CharField(max_length=4000, required=False, default="", allow_blank=True)
    version = serializers.DateTimeField(required=False, help_text="For a change: the `version` you read.")


class ChallengeActionInput(serializers.Serializer):
    description = serializers.CharField(max_length=2000)
    owner = serializers.CharField(max_length=120)
    due_on = RecordDateField()


class ChallengeActionCompleteInput(serializers.Serializer):
    completed_on = RecordDateField()
