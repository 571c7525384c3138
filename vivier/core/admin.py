from django.contrib import admin

from vivier.core.models import ActivityEvent


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "actor", "verb", "object_type", "object_id"]
    list_filter = ["verb", "object_type"]
    raw_id_fields = ["actor", "target_user"]

    def has_change_permission(self, request, obj=None):
        return False
