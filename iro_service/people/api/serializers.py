"""Serializers for children, families and staff. Writes go through people.services."""

from rest_framework import serializers

from iro_service.api.fields import RecordDateField
from iro_service.people.models import Child, Family, FamilyMembership, StaffMember


class StaffMemberSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = StaffMember
        fields = ["id", "full_name", "job_role", "team"]


class ChildSerializer(serializers.ModelSerializer):
    current_iro = serializers.SerializerMethodField()
    version = serializers.DateTimeField(
        source="updated_at",
        read_only=True,
        help_text="Send this back as `version` when changing the child, to detect a stale edit.",
    )

    class Meta:
        model = Child
        fields = [
            "id",
            "local_child_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "disabilities",
            "upn",
            "current_iro",
            "version",
        ]

    def get_current_iro(self, child) -> dict | None:
        allocations = getattr(child, "current_allocations", None)
        if allocations is None:
            allocations = [a for a in child.iro_allocations.all() if a.end_date is None]
        return StaffMemberSummarySerializer(allocations[0].iro).data if allocations else None


class FamilyMembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = FamilyMembership
        fields = ["child", "start_date", "end_date"]


class FamilySerializer(serializers.ModelSerializer):
    memberships = FamilyMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Family
        fields = ["id", "reference", "name", "memberships"]


class ChildWriteSerializer(serializers.ModelSerializer):
    """What a REST client sends to add or change a child. ``people.services`` validates and
    saves it; this only parses the JSON."""

    date_of_birth = RecordDateField(required=False, allow_null=True)
    expected_date_of_birth = RecordDateField(required=False, allow_null=True)

    class Meta:
        model = Child
        fields = [
            "local_child_id",
            "first_name",
            "last_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "disabilities",
            "upn",
        ]
        # Names may be blank only on children imported from a statutory return; a client adding
        # a child knows them.
        extra_kwargs = {"first_name": {"allow_blank": False}, "last_name": {"allow_blank": False}}


class ChildChangeSerializer(ChildWriteSerializer):
    version = serializers.DateTimeField(
        help_text="The `version` of the child you read: the change is refused (409) if someone else "
        "has changed the child since."
    )

    class Meta(ChildWriteSerializer.Meta):
        fields = [*ChildWriteSerializer.Meta.fields, "version"]
