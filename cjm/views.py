"""The project's own pages: where to get the source of the program this server runs.

AGPL section 13: everyone who uses the tool over the network must be offered its source, so every
page's footer links here, and this page needs no login.
"""

from importlib import metadata

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

LICENSE_FILE = settings.BASE_DIR / "LICENSE"


def running_version() -> str:
    try:
        return metadata.version("cjm")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


@require_safe
def source(request):
    context = {"version": running_version(), "source_url": settings.SOURCE_URL}
    return render(request, "source.html", context)


@require_safe
def license_text(request):
    return HttpResponse(LICENSE_FILE.read_bytes(), content_type="text/plain; charset=utf-8")
