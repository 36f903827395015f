from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo workshops `make run` loads: the two case studies, evidence included. It builds
    on every other app, and none builds on it."""

    name = "demo"
