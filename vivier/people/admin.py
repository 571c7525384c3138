from django.contrib import admin

from vivier.core.text import normalize
from vivier.people.models import (
    Endorsement,
    JobFamily,
    JobRole,
    Location,
    OrgUnit,
    Profile,
    ProfileSkill,
    Skill,
    SkillAlias,
)
from vivier.people.services import org_unit_save


class SkillAliasInline(admin.TabularInline):
    model = SkillAlias
    fields = ["text", "is_label"]
    extra = 1


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["label_fr", "label_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["label_fr", "label_en", "slug", "aliases__normalized"]
    inlines = [SkillAliasInline]
    raw_id_fields = ["parent"]

    def save_formset(self, request, form, formset, change):
        for alias in formset.save(commit=False):
            alias.normalized = normalize(alias.text)[:120]
            alias.save()
        for alias in formset.deleted_objects:
            alias.delete()


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "manager", "depth"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "manager"]

    def save_model(self, request, obj, form, change):
        org_unit_save(actor=None, unit=obj)


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "org_unit", "location", "availability_percent"]
    search_fields = ["user__email", "user__last_name", "title"]
    raw_id_fields = ["user", "manager", "org_unit", "job_role", "location"]


admin.site.register(Location)
admin.site.register(JobFamily)
admin.site.register(
    JobRole, list_display=["title_fr", "family", "track", "level"], list_filter=["track", "family"]
)
admin.site.register(ProfileSkill, raw_id_fields=["user", "skill"])
admin.site.register(Endorsement, raw_id_fields=["endorser", "endorsee", "skill"])
