"""Admin: the stage rules, thresholds and playbooks are configured here."""

from django.contrib import admin

from vivier.journey.models import (
    Ambassador,
    JourneySettings,
    Kudos,
    Playbook,
    PlaybookAction,
    VerbRule,
)


@admin.register(VerbRule)
class VerbRuleAdmin(admin.ModelAdmin):
    list_display = ["verb", "object_type", "kind"]
    list_editable = ["kind"]
    list_filter = ["kind"]
    search_fields = ["verb", "object_type"]


@admin.register(JourneySettings)
class JourneySettingsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "active_days",
        "baseline_days",
        "baseline_percent",
        "promotion_others",
        "nudge_every_days",
        "control_percent",
        "uplift_days",
        "min_group",
    ]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return not JourneySettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


class PlaybookActionInline(admin.StackedInline):
    model = PlaybookAction
    extra = 0


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["name_fr", "stage", "is_active", "control_percent"]
    list_filter = ["stage", "is_active"]
    inlines = [PlaybookActionInline]

    def get_changeform_initial_data(self, request):  # type: ignore[no-untyped-def]
        """A new playbook starts with the settings' default control share."""
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("control_percent", JourneySettings.current().control_percent)
        return initial


@admin.register(Ambassador)
class AmbassadorAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "invited_at", "answered_at"]
    list_filter = ["status"]
    raw_id_fields = ["user"]


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["sender", "recipient", "created_at"]
    raw_id_fields = ["sender", "recipient"]
