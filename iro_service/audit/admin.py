from django.contrib import admin

from iro_service.audit.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["viewed_at", "user", "child", "channel", "what"]
    list_filter = ["channel"]
    search_fields = ["child__local_child_id", "user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
