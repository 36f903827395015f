from django.apps import AppConfig


class WorkshopsConfig(AppConfig):
    name = "workshops"

    def ready(self):
        from .services.undo_ops import register_board_operations

        register_board_operations()
