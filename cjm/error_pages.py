"""The site's own 404 and 500 pages with DEBUG=1 as well (templates/404.html, 500.html).

With DEBUG=0 Django answers with those templates itself. With DEBUG=1, which is what `make run`
and the demo run with, it answers with its technical pages instead: the project's URL list for
a wrong address, a traceback and the settings for a fault, shown to anyone in the room who
mistypes a link. This middleware answers with the site's pages in that mode too, and writes the
traceback to the console log, where the person running the server reads it.

DEBUG_TECHNICAL_PAGES=1 brings Django's pages back, for a developer chasing a fault. The API
is left alone: its errors are JSON in every mode (cjm/security.py).
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import Resolver404, resolve
from django.views import defaults

from .security import API_PREFIX

log = logging.getLogger("django.request")

# Exceptions Django already answers with its ordinary 400 and 403 handlers in every mode.
ANSWERED_ANYWAY = (PermissionDenied, BadRequest, SuspiciousOperation)


class SitePagesInDebugMiddleware:
    """Sits inside the authentication and messages middleware (the 404 page greets the person)
    and inside CommonMiddleware, whose slash redirect still sees this 404 ("/workshops/1")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.active(request):
            try:
                # An address no URL matches never reaches a view, so process_exception below
                # would not see it: Django would draw its technical 404 first.
                resolve(request.path_info)
            except Resolver404 as missing:
                return defaults.page_not_found(request, missing)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not self.active(request) or isinstance(exception, ANSWERED_ANYWAY):
            return None
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        log.error("Internal Server Error: %s", request.path, exc_info=exception)
        return defaults.server_error(request)

    @staticmethod
    def active(request) -> bool:
        return (
            settings.DEBUG
            and not settings.DEBUG_TECHNICAL_PAGES
            and not request.path.startswith(API_PREFIX)
        )
