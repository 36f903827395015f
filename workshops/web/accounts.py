"""Signing up. Logging in and out and changing a password are Django's own views (cjm/urls.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.shortcuts import redirect, render


def signup(request):
    if request.user.is_authenticated:
        return redirect("workshop-list")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.save(), backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Create a workshop, or ask a facilitator to add you.")
        return redirect("workshop-list")
    return render(
        request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200
    )
