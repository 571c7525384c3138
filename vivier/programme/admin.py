"""Admin for the expert programme: paths and steps are created here; the rest is read mostly."""

from django.contrib import admin

from vivier.programme.models import (
    Award,
    Criterion,
    Domain,
    Event,
    GovernanceSeat,
    Nomination,
    PathStep,
    SkillPath,
    StrategicProject,
    Transition,
)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ["name", "quorum", "label_years"]
    inlines = [CriterionInline]
    filter_horizontal = ["skills", "committee"]


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "from_state", "to_state", "reason", "at"]
    fields = readonly_fields


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "domain", "kind", "state", "created_at"]
    list_filter = ["state", "domain"]
    raw_id_fields = ["candidate", "nominated_by", "manager", "decided_by", "renewal_of"]
    # States change only through the services (audited): read-only here.
    readonly_fields = ["state"]
    inlines = [TransitionInline]


@admin.register(Award)
class AwardAdmin(admin.ModelAdmin):
    list_display = ["user", "domain", "level", "state", "expires_at"]
    list_filter = ["state", "domain", "level"]
    raw_id_fields = ["user", "nomination"]
    readonly_fields = ["state"]


class PathStepInline(admin.TabularInline):
    model = PathStep
    extra = 1


@admin.register(SkillPath)
class SkillPathAdmin(admin.ModelAdmin):
    list_display = ["name", "axis"]
    inlines = [PathStepInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "starts_at", "capacity"]
    raw_id_fields = ["created_by"]


admin.site.register(GovernanceSeat, raw_id_fields=["user"])
admin.site.register(StrategicProject, raw_id_fields=["user"])
