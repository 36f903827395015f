"""The pages of a map as a document: versions, compare, duplicate, import, the PDF, and the
map shared by a link (share_links.py for its facilitators, share.py for whoever holds one)."""

from django.urls import path

from . import exports, pdf, share, share_links, versions

urlpatterns = [
    path("maps/<id:map_id>/export.pdf", pdf.map_export_pdf, name="map-export-pdf"),
    path("maps/<id:map_id>/export/", exports.map_export_page, name="map-export"),
    path("maps/<id:map_id>/share/", share_links.map_share_page, name="map-share"),
    path(
        "maps/<id:map_id>/share/<id:link_id>/revoke/",
        share_links.map_share_revoke,
        name="map-share-revoke",
    ),
    # Any token matches, so that a malformed one gets the same empty 404 as a wrong one.
    path("share/<str:token>/", share.share_page, name="share-page"),
    path("share/<str:token>/board.json", share.share_board, name="share-board"),
    path("share/<str:token>/map.png", share.share_png, name="share-png"),
    path(
        "share/<str:token>/images/<id:pk>/<str:which>",
        share.share_image,
        name="share-image",
    ),
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
