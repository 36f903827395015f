from django.apps import AppConfig
from django.urls import converters, register_converter


class WorkshopsConfig(AppConfig):
    name = "workshops"

    def ready(self):
        from axes.signals import user_locked_out

        from .converters import IdConverter
        from .serializers import register_board_part
        from .services.audit import record_lockout
        from .services.comments import (
            BOARD_COMMENTS_HELP,
            board_comments,
            register_comment_operations,
        )
        from .services.links import BOARD_LINKS_HELP, register_link_operations, visible_links
        from .services.opportunities import (
            BOARD_OPPORTUNITIES_HELP,
            register_opportunity_operations,
            visible_opportunities,
        )
        from .services.undo_ops import register_board_operations

        register_board_operations()
        register_comment_operations()
        register_board_part("comments", board_comments, BOARD_COMMENTS_HELP)
        register_link_operations()
        register_opportunity_operations()
        register_board_part("links", visible_links, BOARD_LINKS_HELP)
        register_board_part("opportunities", visible_opportunities, BOARD_OPPORTUNITIES_HELP)
        user_locked_out.connect(record_lockout, dispatch_uid="cjm-audit-lockout")
        # Before any URLconf is read: every app's routes name their ids <id:...>.
        if "id" not in converters.get_converters():  # ready() again, in a re-populated registry
            register_converter(IdConverter, "id")
