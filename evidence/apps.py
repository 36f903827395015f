from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"

    def ready(self):
        # Evidence builds on the map domain, never the reverse: it tells the map what it adds.
        from workshops.serializers import register_board_part
        from workshops.services import restore

        from .coverage import BOARD_EVIDENCE_HELP, board_evidence
        from .scores import BOARD_SCORES_HELP, board_scores
        from .serializers import evidence_list
        from .undo import register_evidence_operations

        register_board_part("evidence", board_evidence, BOARD_EVIDENCE_HELP)
        register_board_part("scores", board_scores, BOARD_SCORES_HELP)
        restore.register_brought_back("evidence.Evidence", "evidence", evidence_list)
        register_evidence_operations()
