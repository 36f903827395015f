"""The "Your data" page (linked from the account menu): what the site holds about the person
logged in, in words and counts, and all of it to download as JSON (access.py). Erasure is done
by staff on request (erasure.py), which the page says how to ask for."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .access import personal_data

# The page's table: (section of the export, what it is, in words).
SECTIONS = (
    ("memberships", "Workshops you take part in, with your role"),
    ("cards", "Cards you wrote"),
    ("evidence", "Evidence you added"),
    ("comments", "Comments you wrote"),
    ("votes", "Your dots in revealed votes"),
    ("changes", "Changes you made to maps (their history)"),
    ("versions", "Versions you saved"),
    ("imports", "Files you imported"),
    ("pdf_exports", "PDFs you exported"),
    ("invites", "Invite links you made"),
    ("webhooks", "Webhooks you registered"),
    ("tokens", "API tokens (named by their first characters)"),
    ("audit", "Audit log entries about your account"),
)


@login_required
def your_data(request):
    data = personal_data(request.user)
    rows = [(words, len(data[section])) for section, words in SECTIONS]
    logins = data["logins"]
    context = {
        "data": data,
        "rows": rows,
        "logins": len(logins["made"]) + len(logins["failed"]),
        "audit_days": settings.AUDIT_RETENTION_DAYS,
        "evidence_days": settings.EVIDENCE_RETENTION_DAYS,
    }
    return render(request, "privacy/your_data.html", context)


@login_required
def your_data_download(request):
    body = json.dumps(personal_data(request.user), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"your-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
