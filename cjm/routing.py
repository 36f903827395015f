"""WebSocket routes; cjm/asgi.py wraps them in the Origin check and the session login."""

from django.urls import path

from workshops.realtime.consumer import MapConsumer

websocket_urlpatterns = [
    path("ws/maps/<id:map_id>/", MapConsumer.as_asgi()),
]
