from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from iro_service.people.models import (
    Child,
    Family,
    FamilyMembership,
    IroAllocation,
    StaffMember,
    Team,
)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "job_role", "team", "fte", "employment", "end_date"]
    list_filter = ["job_role", "employment", "team"]
    search_fields = ["first_name", "last_name", "email"]


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["local_child_id", "last_name", "first_name", "date_of_birth", "sex"]
    search_fields = ["local_child_id", "first_name", "last_name"]


@admin.register(Family)
class FamilyAdmin(SimpleHistoryAdmin):
    search_fields = ["reference", "name"]


admin.site.register(FamilyMembership, SimpleHistoryAdmin)
admin.site.register(IroAllocation, SimpleHistoryAdmin)
