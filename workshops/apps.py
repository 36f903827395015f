from django.apps import AppConfig
from django.urls import converters, register_converter


class WorkshopsConfig(AppConfig):
    name = "workshops"

    def ready(self):
        from axes.signals import user_locked_out

        from .converters import IdConverter
        from .services.audit import record_lockout
        from .services.undo_ops import register_board_operations

        register_board_operations()
        user_locked_out.connect(record_lockout, dispatch_uid="cjm-audit-lockout")
        # Before any URLconf is read: every app's routes name their ids <id:...>.
        if "id" not in converters.get_converters():  # ready() again, in a re-populated registry
            register_converter(IdConverter, "id")
