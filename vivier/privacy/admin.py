from django.contrib import admin

from vivier.privacy.models import Erasure, LegalHold


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ["user", "reason", "set_by", "created_at"]
    raw_id_fields = ["user", "set_by"]


@admin.register(Erasure)
class ErasureAdmin(admin.ModelAdmin):
    list_display = ["user", "erased_at", "content", "automatic"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
