"""What helps around the pages: the facilitator's guide and the site's icon."""

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

FACILITATING_GUIDE = settings.BASE_DIR / "docs" / "facilitating.md"


@require_safe
def facilitating_guide(request):
    """docs/facilitating.md as the text it is (Markdown reads well as it stands), for anyone:
    people are handed it before they have an account."""
    text = FACILITATING_GUIDE.read_bytes()
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links (the API's docs, the admin, a file
    opened on its own): the icon's static file, under whatever name the storage gives it."""
    return redirect(staticfiles_storage.url("img/favicon.ico"))
