"""The audit log in the admin, for staff: lockouts, rate limits hit and refused actions. The
failed logins themselves are django-axes' "Access failures", beside it in the admin."""

from django.contrib import admin

from ..models import AuditEvent
from .base import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "username", "user", "ip_address", "method", "path", "detail")
    list_filter = ("kind", "at")
    search_fields = ("username", "ip_address", "path", "detail")
    date_hierarchy = "at"
    list_select_related = ("user",)
