from django.urls import path

from . import pdf_views, views, views_invites
from . import views_versions as living

urlpatterns = [
    path("", views.workshop_list, name="workshop-list"),
    path("workshops/<int:workshop_id>/", views.workshop_detail, name="workshop-detail"),
    path("workshops/<int:workshop_id>/maps/", views.map_create, name="workshop-map-create"),
    path("workshops/<int:workshop_id>/personas/", views.persona_create,
         name="workshop-persona-create"),
    path("workshops/<int:workshop_id>/members/", views.member_add, name="workshop-member-add"),
    path("workshops/<int:workshop_id>/members/<int:user_id>/role/", views.member_role,
         name="workshop-member-role"),
    path("workshops/<int:workshop_id>/members/<int:user_id>/remove/", views.member_remove,
         name="workshop-member-remove"),
    path("workshops/<int:workshop_id>/invites/", views_invites.invite_create,
         name="workshop-invite-create"),
    path("workshops/<int:workshop_id>/invites/<int:invite_id>/revoke/",
         views_invites.invite_revoke, name="workshop-invite-revoke"),
    path("join/<str:token>/", views_invites.join, name="join"),
    path("join/<str:token>/guest/", views_invites.join_as_guest, name="join-guest"),
    path("maps/<int:map_id>/", views.map_board, name="map-board"),
    path("maps/<int:map_id>/export.pdf", pdf_views.map_export_pdf, name="map-export-pdf"),
]

# A living map: versions, comparing, duplicating, importing, review (views_versions.py).
urlpatterns += [
    path("maps/<int:map_id>/versions/", living.versions_page, name="map-versions"),
    path("maps/<int:map_id>/versions/<int:version_id>/", living.version_view, name="map-version"),
    path("maps/<int:map_id>/versions/<int:version_id>/restore/", living.version_restore,
         name="map-version-restore"),
    path("maps/<int:map_id>/versions/<int:version_id>/delete/", living.version_delete,
         name="map-version-delete"),
    path("maps/<int:map_id>/compare/", living.compare_page, name="map-compare"),
    path("maps/<int:map_id>/duplicate/", living.map_duplicate, name="map-duplicate"),
    path("maps/<int:map_id>/reviewed/", living.map_reviewed, name="map-reviewed"),
    path("workshops/<int:workshop_id>/maps/import/", living.map_import,
         name="workshop-map-import"),
]
