"""The pages of a map as a document: versions, compare, duplicate, import, the PDF."""

from django.urls import path

from . import pdf, versions

urlpatterns = [
    path("maps/<int:map_id>/export.pdf", pdf.map_export_pdf, name="map-export-pdf"),
    path("maps/<int:map_id>/versions/", versions.versions_page, name="map-versions"),
    path("maps/<int:map_id>/versions/<int:version_id>/", versions.version_view, name="map-version"),
    path(
        "maps/<int:map_id>/versions/<int:version_id>/restore/",
        versions.version_restore,
        name="map-version-restore",
    ),
    path(
        "maps/<int:map_id>/versions/<int:version_id>/delete/",
        versions.version_delete,
        name="map-version-delete",
    ),
    path("maps/<int:map_id>/compare/", versions.compare_page, name="map-compare"),
    path("maps/<int:map_id>/duplicate/", versions.map_duplicate, name="map-duplicate"),
    path(
        "workshops/<int:workshop_id>/maps/import/", versions.map_import, name="workshop-map-import"
    ),
]
