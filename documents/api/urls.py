"""The REST routes of a map as a document, included at api/ (see docs/api.md)."""

from django.urls import path

from . import exports, pdf, png, share, versions

urlpatterns = [
    path("maps/<id:map_id>/export.pdf", pdf.MapExportPDFView.as_view(), name="api-map-export-pdf"),
    path("maps/<id:map_id>/export.png", png.MapExportPNGView.as_view(), name="api-map-export-png"),
    path(
        "maps/<id:map_id>/share-links/",
        share.ShareLinkList.as_view(),
        name="api-map-share-links",
    ),
    path(
        "maps/<id:map_id>/share-links/<id:share_link_id>/",
        share.ShareLinkDetail.as_view(),
        name="api-map-share-link",
    ),
    path("maps/<id:map_id>/exports/", exports.ExportList.as_view(), name="api-map-exports"),
    path(
        "maps/<id:map_id>/exports/<id:export_id>/",
        exports.ExportDetail.as_view(),
        name="api-map-export-detail",
    ),
    path(
        "maps/<id:map_id>/exports/<id:export_id>/file",
        exports.ExportFile.as_view(),
        name="api-map-export-file",
    ),
    path("maps/<id:map_id>/versions/", versions.VersionList.as_view(), name="api-version-list"),
    path(
        "maps/<id:map_id>/versions/<id:version_id>/",
        versions.VersionDetail.as_view(),
        name="api-version-detail",
    ),
    path(
        "maps/<id:map_id>/versions/<id:version_id>/restore/",
        versions.VersionRestore.as_view(),
        name="api-version-restore",
    ),
    path(
        "maps/<id:map_id>/export.json",
        versions.MapExportJSON.as_view(),
        name="api-map-export-json",
    ),
    path(
        "workshops/<id:workshop_id>/maps/import/",
        versions.MapImport.as_view(),
        name="api-map-import",
    ),
    path("maps/<id:map_id>/duplicate/", versions.MapDuplicate.as_view(), name="api-map-duplicate"),
    path("maps/<id:map_id>/compare/", versions.MapCompare.as_view(), name="api-map-compare"),
]
