from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # The map domain never imports notifications: it tells whoever listens (pipeline.py).
        from workshops.services.pipeline import (
            register_announcement_listener,
            register_event_listener,
        )

        from .listeners import on_announcement, on_map_event

        register_event_listener(on_map_event)
        register_announcement_listener(on_announcement)
