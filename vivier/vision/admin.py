"""The vision map in Django admin, for staff (pages are the normal way to author it)."""

from django.contrib import admin

from vivier.vision.models import Axis, Indicator, Objective, ObjectiveLink, Vision


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("title_fr", "axis", "parent", "owner", "status", "period_end")
    list_filter = ("status", "axis")
    search_fields = ("title_fr", "title_en")
    raw_id_fields = ("owner",)
    # The parent is moved through the pages or the API, whose service refuses cycles.
    readonly_fields = ("parent",)
    inlines = [IndicatorInline]


@admin.register(ObjectiveLink)
class ObjectiveLinkAdmin(admin.ModelAdmin):
    list_display = (
        "objective",
        "post",
        "opportunity",
        "idea",
        "commitment",
        "community",
        "created_at",
    )
    raw_id_fields = (
        "objective",
        "post",
        "opportunity",
        "idea",
        "commitment",
        "community",
        "created_by",
    )


admin.site.register(Vision)
admin.site.register(Axis)
