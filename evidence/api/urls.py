"""The evidence API's routes, included at api/ beside the workshops API."""

from django.urls import path

from . import imports, pieces, scores

prefix = "maps/<id:map_id>/evidence/"

urlpatterns = [
    path(prefix, pieces.EvidenceList.as_view(), name="api-evidence-list"),
    path(
        f"{prefix}import/preview/",
        imports.ImportPreview.as_view(),
        name="api-evidence-import-preview",
    ),
    path(f"{prefix}import/", imports.ImportRows.as_view(), name="api-evidence-import"),
    path(f"{prefix}imports/", imports.ImportList.as_view(), name="api-evidence-import-list"),
    path(
        f"{prefix}imports/<id:import_id>/",
        imports.ImportDetail.as_view(),
        name="api-evidence-import-detail",
    ),
    path(f"{prefix}settings/", pieces.EvidenceSettings.as_view(), name="api-evidence-settings"),
    path(f"{prefix}scores/", scores.EvidenceScores.as_view(), name="api-evidence-scores"),
    path(
        f"{prefix}scores/stages/",
        scores.EvidenceScoresByStage.as_view(),
        name="api-evidence-scores-stages",
    ),
    path(
        f"{prefix}scores/segments/",
        scores.EvidenceScoresBySegment.as_view(),
        name="api-evidence-scores-segments",
    ),
    path(f"{prefix}<id:pk>/", pieces.EvidenceDetail.as_view(), name="api-evidence-detail"),
    path(f"{prefix}<id:pk>/image", pieces.EvidenceFile.as_view(), name="api-evidence-image"),
    path(
        f"{prefix}<id:pk>/thumbnail",
        pieces.EvidenceThumbnail.as_view(),
        name="api-evidence-thumbnail",
    ),
    path(
        "maps/<id:map_id>/coverage/",
        pieces.EvidenceCoverage.as_view(),
        name="api-evidence-coverage",
    ),
]
