"""Accounts in the admin, with what a privacy request needs: "Erase" (erasure.py, after a
confirmation page) and "Download their data" (access.py, for an access request made to staff).

Django's own delete is taken away: deleting an account row takes its dots out of revealed
votes and its name off the history's "who"; erasing keeps the maps whole."""

import json

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse

from .access import personal_data
from .erasure import account_erase

User = get_user_model()


class AccountAdmin(UserAdmin):
    actions = ["erase", "download_data"]

    def has_delete_permission(self, request, obj=None):
        return False  # erase instead (the action below)

    @admin.action(description="Erase the selected accounts (their work stays, unnamed)")
    def erase(self, request, queryset):
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "accounts": queryset,
                "opts": self.model._meta,
                "action": "erase",
            }
            return TemplateResponse(request, "privacy/erase_confirm.html", context)
        for account in queryset:
            self._erase_one(request, account)
        return None

    def _erase_one(self, request, account) -> None:
        name = account.get_username()
        try:
            account_erase(user=account, by=request.user)
        except ValidationError as refusal:
            self.message_user(
                request, f"{name}: not erased. {' '.join(refusal.messages)}", messages.ERROR
            )
            return
        self.message_user(request, f"{name} is erased: now “{account.username}”.")

    @admin.action(description="Download the selected account's data (JSON)")
    def download_data(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one account to download its data.", messages.ERROR)
            return None
        account = queryset.get()
        body = json.dumps(personal_data(account), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        disposition = f'attachment; filename="data-of-{account.pk}.json"'
        response["Content-Disposition"] = disposition
        return response


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
