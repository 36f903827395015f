"""A person's e-mail page (the weekly digest: on or off, and where it goes) and the unsubscribe
link of every digest, which works without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from workshops.access import guest_of
from workshops.web.forms import apply

from .. import preferences
from .forms import DigestForm


@login_required
def preferences_page(request):
    initial = {
        "email": request.user.email,
        "weekly_digest": preferences.digest_wanted(request.user),
    }
    form = DigestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            preferences.digest_settings_save,
            user=request.user,
            email=form.cleaned_data["email"],
            on=form.cleaned_data["weekly_digest"],
        )
        if saved:
            messages.success(request, "Saved.")
            return redirect("notifications-preferences")
    context = {"form": form, "guest": guest_of(request.user) is not None}
    return render(
        request, "notifications/preferences.html", context, status=400 if form.errors else 200
    )


# The link's token says who it is for, so it needs no session; mail clients' one-click
# unsubscribe (RFC 8058) POSTs to it from outside the site, without a CSRF token.
@csrf_exempt
def unsubscribe(request, token: str):
    person = preferences.user_of_token(token)
    if person is None:
        raise Http404("This unsubscribe link is not valid.")
    done = request.method == "POST"
    if done:
        preferences.digest_set(user=person, on=False)
    # GET only asks: a mail scanner that opens links must not unsubscribe anybody.
    return render(request, "notifications/unsubscribe.html", {"person": person, "done": done})
