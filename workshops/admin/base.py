"""The admin, held to the one rule of the architecture: every write goes through a service, with
the admin user as the actor (superusers count as facilitators everywhere). So an edit made here
bumps the map's revision, lands in its history and shows up on every open board.

Each ModelAdmin turns a saved form into a service call: `create` for an addition, `update` for
a change (given only the fields the form changed), `delete` for a deletion. A service's refusal
rolls the whole admin request back and comes back as an error message on the same page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect

from .. import services

REFUSALS = (ValidationError, PermissionDenied, Http404, services.EditConflict)


def _refusal_text(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "Not allowed."


def _adopt(obj, created) -> None:
    """Give the admin's unsaved instance the identity and values of what the service created,
    so the admin's log, message and redirect point at the real row."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(created, field.attname))
    obj._state.adding = False


class ServiceAdmin(admin.ModelAdmin):
    """Writes through `create`, `update` and `delete`; subclasses define them."""

    # Fields a service never changes once the object exists (it belongs where it was made).
    fixed_after_create: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        fixed = self.fixed_after_create if obj is not None else ()
        return (*super().get_readonly_fields(request, obj), *fixed)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            if changes:
                self.update(request.user, obj, changes)
        else:
            _adopt(obj, self.create(request.user, form.cleaned_data))

    def delete_model(self, request, obj):
        self.delete(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete(request.user, obj)

    def changeform_view(self, request, *args, **kwargs):
        return self._refusing(request, super().changeform_view, request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusing(request, super().delete_view, request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        # Bulk deletion is an action posted to the change list.
        return self._refusing(request, super().changelist_view, request, *args, **kwargs)

    def _refusing(self, request, view, *args, **kwargs):
        try:
            with transaction.atomic():
                return view(*args, **kwargs)
        except REFUSALS as error:
            # The input is lost, but nothing was written and the user learns why.
            messages.error(request, f"Not saved: {_refusal_text(error)}")
            return HttpResponseRedirect(request.get_full_path())

    def create(self, actor, data: dict):
        raise NotImplementedError

    def update(self, actor, obj, changes: dict):
        raise NotImplementedError

    def delete(self, actor, obj):
        raise NotImplementedError


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by the services: the admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
