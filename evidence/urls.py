"""The evidence API's routes, included at api/ beside the workshops API."""

from django.urls import path

from . import api

prefix = "maps/<int:map_id>/evidence/"

urlpatterns = [
    path(prefix, api.EvidenceList.as_view(), name="api-evidence-list"),
    path(
        f"{prefix}import/preview/", api.ImportPreview.as_view(), name="api-evidence-import-preview"
    ),
    path(f"{prefix}import/", api.ImportRows.as_view(), name="api-evidence-import"),
    path(f"{prefix}settings/", api.EvidenceSettings.as_view(), name="api-evidence-settings"),
    path(f"{prefix}<int:pk>/", api.EvidenceDetail.as_view(), name="api-evidence-detail"),
    path(f"{prefix}<int:pk>/image", api.EvidenceFile.as_view(), name="api-evidence-image"),
    path(
        f"{prefix}<int:pk>/thumbnail",
        api.EvidenceThumbnail.as_view(),
        name="api-evidence-thumbnail",
    ),
    path(
        "maps/<int:map_id>/coverage/", api.EvidenceCoverage.as_view(), name="api-evidence-coverage"
    ),
]
