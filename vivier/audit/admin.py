from django.contrib import admin

from vivier.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["occurred_at", "action", "actor_id", "target_type", "target_id", "actor_ip"]
    list_filter = ["action"]
    search_fields = ["action", "request_id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
