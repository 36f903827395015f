"""Whether this process can serve: /healthz for the proxy and the monitoring, and a clear answer
when the database is down."""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LAYER_TIMEOUT = 2  # seconds; a healthy layer answers in milliseconds
UNAVAILABLE = "The database is unavailable, so nothing was changed. Try again in a moment."


async def healthz(request):
    """200 when the database and the channel layer both answer, else 503; each is named."""
    checks = {"database": await check_database(), "channel_layer": await check_channel_layer()}
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


@sync_to_async
def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except DatabaseError as error:
        logger.warning("Health check: database unavailable: %s", error)
        connection.close()  # the next request connects afresh
        return f"unavailable ({type(error).__name__})"


async def check_channel_layer() -> str:
    """A message sent to a fresh channel comes back: the layer (Redis) carries messages."""
    layer = get_channel_layer()
    try:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.check"})
        await asyncio.wait_for(layer.receive(channel), LAYER_TIMEOUT)
        return "ok"
    except Exception as error:  # whatever the backend raises, the answer is "not serving"
        logger.warning("Health check: channel layer unavailable: %r", error)
        return f"unavailable ({type(error).__name__})"


class DatabaseUnavailableMiddleware:
    """A lost database answers 503 with a message that says so, not a bare server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": UNAVAILABLE, "code": "database_unavailable"}, status=503)
        return HttpResponse(UNAVAILABLE, content_type="text/plain; charset=utf-8", status=503)
