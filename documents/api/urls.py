"""The REST routes of a map as a document, included at api/ (see docs/api.md)."""

from django.urls import path

from . import pdf, versions

urlpatterns = [
    path("maps/<int:map_id>/export.pdf", pdf.MapExportPDFView.as_view(), name="api-map-export-pdf"),
    path("maps/<int:map_id>/versions/", versions.VersionList.as_view(), name="api-version-list"),
    path(
        "maps/<int:map_id>/versions/<int:version_id>/",
        versions.VersionDetail.as_view(),
        name="api-version-detail",
    ),
    path(
        "maps/<int:map_id>/versions/<int:version_id>/restore/",
        versions.VersionRestore.as_view(),
        name="api-version-restore",
    ),
    path(
        "maps/<int:map_id>/export.json",
        versions.MapExportJSON.as_view(),
        name="api-map-export-json",
    ),
    path(
        "workshops/<int:workshop_id>/maps/import/",
        versions.MapImport.as_view(),
        name="api-map-import",
    ),
    path("maps/<int:map_id>/duplicate/", versions.MapDuplicate.as_view(), name="api-map-duplicate"),
    path("maps/<int:map_id>/compare/", versions.MapCompare.as_view(), name="api-map-compare"),
]
