"""Evidence in the admin, written through the evidence services like every other path: a change
or a deletion here bumps the map's revision and reaches open boards. Pieces are added on the board
or through the API, where each kind has its own form."""

from django.contrib import admin

from workshops.admin.base import ServiceAdmin

from . import fields, services
from .models import Evidence

PLACE = ("kind", "map", "stage", "card", "added_by", "created_at")


@admin.register(Evidence)
class EvidenceAdmin(ServiceAdmin):
    list_display = ("__str__", "kind", "map", "stage", "card", "added_by", "created_at")
    list_filter = ("kind",)
    list_select_related = ("map", "stage", "card", "added_by")
    search_fields = ("name", "question", "answer", "text", "url", "caption", "map__title")
    readonly_fields = PLACE

    def get_fields(self, request, obj=None):
        # Only the fields of the piece's own kind.
        return (*PLACE, *fields.COMMON, *fields.FIELDS[obj.kind]) if obj else PLACE

    def has_add_permission(self, request):
        return False

    def update(self, actor, obj, changes):
        services.evidence_update(actor=actor, map=obj.map, evidence_id=obj.pk, **changes)

    def delete(self, actor, obj):
        services.evidence_delete(actor=actor, map=obj.map, evidence_id=obj.pk)
