"""The pages of a map as a document: versions, compare, duplicate, import, the PDF."""

from django.urls import path

from . import exports, pdf, versions

urlpatterns = [
    path("maps/<id:map_id>/export.pdf", pdf.map_export_pdf, name="map-export-pdf"),
    path("maps/<id:map_id>/export/", exports.map_export_page, name="map-export"),
    path("maps/<id:map_id>/versions/", versions.versions_page, name="map-versions"),
    path("maps/<id:map_id>/versions/<id:version_id>/", versions.version_view, name="map-version"),
    path(
        "maps/<id:map_id>/versions/<id:version_id>/restore/",
        versions.version_restore,
        name="map-version-restore",
    ),
    path(
        "maps/<id:map_id>/versions/<id:version_id>/delete/",
        versions.version_delete,
        name="map-version-delete",
    ),
    path("maps/<id:map_id>/compare/", versions.compare_page, name="map-compare"),
    path("maps/<id:map_id>/duplicate/", versions.map_duplicate, name="map-duplicate"),
    path(
        "workshops/<id:workshop_id>/maps/import/", versions.map_import, name="workshop-map-import"
    ),
]
