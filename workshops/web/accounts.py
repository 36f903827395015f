"""Signing up and logging in. Logging out and changing a password are Django's own views
(cjm/urls.py).

Logins are limited twice: django-axes locks a username out from one address after
LOGIN_FAILURE_LIMIT wrong passwords (`locked_out` answers while it lasts, on this page, the
admin's and the API's token endpoint), and one address may try only so many passwords a minute
whatever the usernames (the `login` rate, workshops/rates.py). Sign-up can be closed
(OPEN_SIGNUP): people then get an account from an administrator, or join by an invite link.
"""

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import UserCreationForm
from django.http import JsonResponse
from django.shortcuts import redirect, render

from ..models import AuditKind
from ..rates import over_rate
from ..services.audit import audit_record


def signup(request):
    if request.user.is_authenticated:
        return redirect("workshop-list")
    if not settings.OPEN_SIGNUP:
        return render(request, "registration/signup_closed.html", status=403)
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.save(), backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Create a workshop, or ask a facilitator to add you.")
        return redirect("workshop-list")
    return render(
        request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200
    )


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        wait = over_rate(request, "login")
        if wait is not None:
            return over_the_rate(request, wait, "Too many login attempts from your address.")
        return super().post(request, *args, **kwargs)


def signup_open(request) -> dict:
    """A context processor: whether pages offer "Sign up"."""
    return {"open_signup": settings.OPEN_SIGNUP}


def locked_out(request, *_):
    """django-axes' answer while a username is locked out from an address (AXES_LOCKOUT_CALLABLE;
    the response and credentials it passes are not needed)."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    message = (
        f"Too many failed logins for this username from your address: logging in is paused for "
        f"{minutes} minutes. Check the username and password, then try again."
    )
    return too_many(request, settings.AXES_COOLOFF_TIME.total_seconds(), message)


def over_the_rate(request, wait_seconds: float, message: str):
    """A page's refusal for a rate limit (workshops/rates.py), recorded in the audit log."""
    audit_record(kind=AuditKind.THROTTLED, request=request, detail=message)
    return too_many(request, wait_seconds, message)


def too_many(request, wait_seconds: float, message: str):
    """429 with how long to wait: JSON for the API, the page for a browser."""
    wait = max(1, math.ceil(wait_seconds))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "too_many_attempts"}, status=429)
    else:
        minutes = max(1, math.ceil(wait / 60))
        context = {"message": message, "minutes": minutes}
        response = render(request, "registration/too_many.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
