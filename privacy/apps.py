from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Personal data: the access export, erasure on request, and retention (docs/privacy.md).
    It sits above every other app of ours, for it reads what each of them holds about people."""

    name = "privacy"
    verbose_name = "Personal data"
