"""factory-boy factories for the shared kernel. Synthetic people only."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from iro_service.people.codes import Employment, JobRole, TeamKind
from iro_service.people.models import Child, Family, FamilyMembership, IroAllocation, StaffMember, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.IRO_SERVICE


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    job_role = JobRole.IRO
    team = factory.SubFactory(TeamFactory)
    fte = Decimal("1.00")
    employment = Employment.PERMANENT
    start_date = date(2010, 1, 4)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    local_child_id = factory.Sequence(lambda n: f"T{n:06d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(2010, 5, 17)
    sex = "F"
    ethnicity = "WBRI"


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    reference = factory.Sequence(lambda n: f"F{n:05d}")
    name = factory.LazyAttribute(lambda family: f"Household {family.reference}")


class FamilyMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyMembership

    family = factory.SubFactory(FamilyFactory)
    child = factory.SubFactory(ChildFactory)
    start_date = date(2015, 1, 1)


class IroAllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IroAllocation

    child = factory.SubFactory(ChildFactory)
    iro = factory.SubFactory(StaffMemberFactory)
    start_date = date(2016, 4, 1)
