"""Headers every response carries, and JSON for every error of the API.

- `Permissions-Policy` on every response (settings.PERMISSIONS_POLICY): the browser features the
  pages never use are turned off for them and anything they might embed.
- `Cache-Control: no-store` on API responses that say nothing of caching: they are one person's
  view of their workshops, and must not stay in a shared or a browser cache. A view that chose
  its own (the evidence pictures, `private`) keeps its choice.
- Under /api/, an error that Django rather than the API answered (an unknown URL, a body past
  Django's own limits, a server error) is JSON as well, in every mode: a script reads
  {"detail": "..."} whatever went wrong, never Django's HTML page.

Daphne's `Server: daphne` header (no version) is the server's, not the application's: run
Daphne with --no-server-name to send none (docs/deploy.md).
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
# The headers of Django's error response that still hold for its JSON replacement.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Cache-Control")
# As the API words them (workshops/api/errors.py); other statuses say their reason phrase.
DETAILS = {404: "Not found.", 500: "Server error.", 403: "Forbidden."}


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith(API_PREFIX):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class ApiErrorsAsJsonMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        return _as_json(response, DETAILS.get(response.status_code, f"{response.reason_phrase}."))

    def process_exception(self, request, exception):
        # A body past DATA_UPLOAD_MAX_MEMORY_SIZE or too many form fields: Django's 400 would
        # not say which limit; this answer does.
        if request.path.startswith(API_PREFIX) and isinstance(exception, SuspiciousOperation):
            log.warning("Refused %s %s: %s", request.method, request.path, exception)
            return JsonResponse({"detail": str(exception)}, status=400)
        return None


def _as_json(response, detail: str) -> JsonResponse:
    replacement = JsonResponse({"detail": detail}, status=response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            replacement[header] = response[header]
    return replacement
