"""DRF serializers for the reviews app. Read serializers show the records; the *Input
serializers only parse what a REST client sends, which reviews.services then validates."""

from rest_framework import serializers

from iro_service.api.fields import RecordDateField, WholeItemSerializer
from iro_service.people.models import Child, StaffMember
from reviews.codes import ContactKind, MeetingStatus, ParticipationCode, PermanencePlanType
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

# --- reads ------------------------------------------------------------------------------------


def _version(what: str) -> serializers.DateTimeField:
    """The record's version (its ``updated_at``), which a client sends back with a change."""
    return serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text=f"Send this back as `version` when changing the {what}, to detect a stale edit.",
    )


def _seen_version(what: str) -> serializers.DateTimeField:
    return serializers.DateTimeField(
        help_text=f"The `version` of the {what} you read: refused (409) if it has changed since."
    )


class EpisodeSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="period.child_id", read_only=True)

    class Meta:
        model = Episode
        fields = [
            "id",
            "period",
            "child",
            "start_date",
            "reason_for_new_episode",
            "legal_status",
            "category_of_need",
            "placement",
            "placement_provider",
            "end_date",
            "reason_ceased",
            "reason_place_change",
            "home_postcode",
            "placement_postcode",
            "urn",
        ]


class PeriodEpisodeSerializer(EpisodeSerializer):
    """An episode inside its period: the period and child are the parent's."""

    class Meta(EpisodeSerializer.Meta):
        fields = [name for name in EpisodeSerializer.Meta.fields if name not in ("period", "child")]


class PeriodOfCareSerializer(serializers.ModelSerializer):
    episodes = PeriodEpisodeSerializer(many=True, read_only=True)

    class Meta:
        model = PeriodOfCare
        fields = ["id", "child", "start_date", "end_date", "is_short_breaks", "next_review_due", "episodes"]


class ReviewPartSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReviewPart
        fields = ["part_number", "date", "notes"]


class LacReviewSerializer(serializers.ModelSerializer):
    parts = ReviewPartSerializer(many=True, read_only=True)
    is_on_time = serializers.BooleanField(read_only=True, help_text="Held on or before its due date.")
    version = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="Send this back as `version` when changing the review, to detect a stale edit.",
    )

    class Meta:
        model = LacReview
        fields = [
            "id",
            "child",
            "period",
            "sequence",
            "review_date",
            "due_date",
            "is_on_time",
            "chair",
            "participation_code",
            "sw_report_received",
            "sw_report_due",
            "decisions_circulated",
            "decisions_due",
            "record_completed",
            "record_distributed",
            "record_due",
            "late_reason",
            "parts",
            "version",
        ]


class ReviewMeetingSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="period.child_id", read_only=True)
    status = serializers.ChoiceField(choices=MeetingStatus.choices, read_only=True)
    version = _version("meeting (cancelling or moving it)")

    class Meta:
        model = ReviewMeeting
        fields = ["id", "period", "child", "date", "status", "reason", "review", "version"]


class IroContactSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices, read_only=True)

    class Meta:
        model = IroContact
        fields = ["id", "child", "iro", "date", "kind", "notes"]


class PermanencePlanSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="period.child_id", read_only=True)

    class Meta:
        model = PermanencePlan
        fields = ["id", "period", "child", "plan_type", "date_agreed"]


class CafcassInvolvementSerializer(serializers.ModelSerializer):
    version = _version("guardian's end and handover")

    class Meta:
        model = CafcassInvolvement
        fields = ["id", "child", "guardian_name", "start_date", "end_date", "handover_date", "version"]


class LegalAdviceReferralSerializer(serializers.ModelSerializer):
    version = _version("referral's outcome")

    class Meta:
        model = LegalAdviceReferral
        fields = ["id", "child", "date_referred", "reason", "outcome", "version"]


# --- writes -----------------------------------------------------------------------------------


def _code(max_length: int, *, required: bool = True, help_text: str = ""):
    if required:
        return serializers.CharField(max_length=max_length, help_text=help_text)
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="")


class PeriodOfCareStartInput(serializers.Serializer):
    """The child comes into care: a new period of care and its first episode (RNE S)."""

    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    start_date = RecordDateField(help_text="The date the child came into care.")
    legal_status = _code(2, help_text="SSDA903 legal status (LS).")
    category_of_need = _code(2, help_text="SSDA903 category of need (CIN).")
    placement = _code(3, help_text="SSDA903 placement type (PLACE).")
    placement_provider = _code(3, required=False)
    home_postcode = _code(8, required=False)
    placement_postcode = _code(8, required=False)
    urn = _code(10, required=False)


class PeriodOfCareEndInput(serializers.Serializer):
    """The child leaves care: the last episode and the period end that day."""

    end_date = RecordDateField(help_text="The date the child left care.")
    reason_ceased = _code(4, help_text="SSDA903 reason episode ceased (REC).")


class EpisodeChangeInput(serializers.Serializer):
    """A new episode in an open period: the current one ends that day (X1)."""

    period = serializers.PrimaryKeyRelatedField(queryset=PeriodOfCare.objects.all())
    start_date = RecordDateField(help_text="The date the new episode started.")
    reason_for_new_episode = _code(2, help_text="SSDA903 reason for new episode (RNE), not S.")
    legal_status = _code(2)
    category_of_need = _code(2)
    placement = _code(3)
    placement_provider = _code(3, required=False)
    reason_place_change = _code(6, required=False)
    placement_postcode = _code(8, required=False)
    urn = _code(10, required=False)


class ReviewPartInput(WholeItemSerializer):
    date = RecordDateField()
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class LacReviewChangeInput(serializers.Serializer):
    """A change to a recorded review: send only the fields that change, and the `version`."""

    parts = ReviewPartInput(
        many=True, allow_empty=False, max_length=20, help_text="Part 1 first: its date is the review's date."
    )
    chair = serializers.PrimaryKeyRelatedField(queryset=StaffMember.objects.all(), allow_null=True)
    participation_code = serializers.ChoiceField(ParticipationCode.choices, allow_blank=True, default="")
    sw_report_received = RecordDateField(allow_null=True, required=False, default=None)
    decisions_circulated = RecordDateField(allow_null=True, required=False, default=None)
    record_completed = RecordDateField(allow_null=True, required=False, default=None)
    late_reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=10_000)
    version = serializers.DateTimeField(
        help_text="The `version` of the review you read: refused (409) if it has changed since."
    )


class LacReviewRecordInput(LacReviewChangeInput):
    """A review that has been held, with its parts."""

    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    record_distributed = RecordDateField(allow_null=True, required=False, default=None)
    version = None  # a new review has no version yet


class ReviewRecordsDistributeInput(serializers.Serializer):
    """Business support mark the records of some reviews distributed on one date: all or none."""

    reviews = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=500,
        help_text="The ids of the reviews whose records were distributed.",
    )
    distributed_on = RecordDateField(help_text="The date the records were distributed.")


class ReviewMeetingBookInput(serializers.Serializer):
    """The next review meeting for a child in care."""

    period = serializers.PrimaryKeyRelatedField(queryset=PeriodOfCare.objects.all())
    date = RecordDateField(help_text="The date of the meeting: today or later.")


class ReviewMeetingCancelInput(serializers.Serializer):
    """A booked meeting cancelled, or moved when `new_date` is sent."""

    reason = serializers.CharField(
        max_length=500, allow_blank=True, help_text="Why the meeting is cancelled or moved."
    )
    new_date = RecordDateField(
        allow_null=True, required=False, default=None, help_text="The date it is moved to, if it is moved."
    )
    version = _seen_version("meeting")


class IroContactRecordInput(serializers.Serializer):
    """A visit or other contact between the IRO holding the token and the child."""

    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    date = RecordDateField(help_text="The date of the contact: today or earlier.")
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class PermanencePlanRecordInput(serializers.Serializer):
    period = serializers.PrimaryKeyRelatedField(queryset=PeriodOfCare.objects.all())
    plan_type = serializers.ChoiceField(PermanencePlanType.choices)
    date_agreed = RecordDateField()


class CafcassInvolvementRecordInput(serializers.Serializer):
    """A Children's Guardian appointed in care proceedings."""

    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    guardian_name = serializers.CharField(max_length=120)
    start_date = RecordDateField(help_text="The date the guardian was appointed.")
    end_date = RecordDateField(allow_null=True, required=False, default=None)
    handover_date = RecordDateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="The date the guardian handed over to the IRO.",
    )


class LegalAdviceReferralRecordInput(serializers.Serializer):
    child = serializers.PrimaryKeyRelatedField(queryset=Child.objects.all())
    date_referred = RecordDateField()
    reason = serializers.CharField(max_length=10_000)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class CafcassInvolvementChangeInput(serializers.Serializer):
    """The end of a guardian's involvement and their handover to the IRO: send only what
    changes, and the `version`; null clears a date."""

    end_date = RecordDateField(
        allow_null=True, required=False, help_text="The date the guardian's involvement ended."
    )
    handover_date = RecordDateField(
        allow_null=True, required=False, help_text="The date the guardian handed over to the IRO."
    )
    version = _seen_version("guardian's record")


class LegalAdviceReferralChangeInput(serializers.Serializer):
    """The outcome of a referral for legal advice, once it is known, and the `version`."""

    outcome = serializers.CharField(max_length=10_000, help_text="What came of the referral.")
    version = _seen_version("referral")
