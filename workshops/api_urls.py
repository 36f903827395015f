"""The REST API's routes, included at api/ (see docs/api.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import obtain_auth_token

from . import api, api_invites, versions_api

workshop_routes = [
    path("workshops/", api.WorkshopList.as_view(), name="api-workshop-list"),
    path("workshops/<int:workshop_id>/", api.WorkshopDetail.as_view(), name="api-workshop-detail"),
    path("workshops/<int:workshop_id>/members/", api.MemberList.as_view(), name="api-member-list"),
    path(
        "workshops/<int:workshop_id>/members/<int:user_id>/",
        api.MemberDetail.as_view(),
        name="api-member-detail",
    ),
    path("workshops/<int:workshop_id>/invites/", api_invites.InviteList.as_view(),
         name="api-invite-list"),
    path("workshops/<int:workshop_id>/invites/<int:invite_id>/",
         api_invites.InviteDetail.as_view(), name="api-invite-detail"),
    path(
        "workshops/<int:workshop_id>/personas/", api.PersonaList.as_view(), name="api-persona-list"
    ),
    path(
        "workshops/<int:workshop_id>/personas/<int:persona_id>/",
        api.PersonaDetail.as_view(),
        name="api-persona-detail",
    ),
]

map_routes = [
    path("maps/", api.MapList.as_view(), name="api-map-list"),
    path("maps/<int:map_id>/", api.MapDetail.as_view(), name="api-map-detail"),
    path("maps/<int:map_id>/events/", api.MapEvents.as_view(), name="api-map-events"),
    path("maps/<int:map_id>/undo/", api.MapUndo.as_view(), name="api-map-undo"),
    path("maps/<int:map_id>/redo/", api.MapRedo.as_view(), name="api-map-redo"),
    path("maps/<int:map_id>/stages/", api.StageList.as_view(), name="api-stage-list"),
    path(
        "maps/<int:map_id>/stages/<int:stage_id>/",
        api.StageDetail.as_view(),
        name="api-stage-detail",
    ),
    path(
        "maps/<int:map_id>/stages/<int:stage_id>/move/",
        api.StageMove.as_view(),
        name="api-stage-move",
    ),
    path("maps/<int:map_id>/lanes/", api.LaneList.as_view(), name="api-lane-list"),
    path(
        "maps/<int:map_id>/lanes/<int:lane_id>/", api.LaneDetail.as_view(), name="api-lane-detail"
    ),
    path(
        "maps/<int:map_id>/lanes/<int:lane_id>/move/", api.LaneMove.as_view(), name="api-lane-move"
    ),
    path("maps/<int:map_id>/cards/", api.CardList.as_view(), name="api-card-list"),
    path(
        "maps/<int:map_id>/cards/<int:card_id>/", api.CardDetail.as_view(), name="api-card-detail"
    ),
    path(
        "maps/<int:map_id>/cards/<int:card_id>/move/", api.CardMove.as_view(), name="api-card-move"
    ),
]

# Versions, restore, JSON export and import, duplicate, compare, review (versions_api.py).
living_map_routes = [
    path("maps/<int:map_id>/versions/", versions_api.VersionList.as_view(),
         name="api-version-list"),
    path("maps/<int:map_id>/versions/<int:version_id>/", versions_api.VersionDetail.as_view(),
         name="api-version-detail"),
    path("maps/<int:map_id>/versions/<int:version_id>/restore/",
         versions_api.VersionRestore.as_view(), name="api-version-restore"),
    path("maps/<int:map_id>/export.json", versions_api.MapExportJSON.as_view(),
         name="api-map-export-json"),
    path("workshops/<int:workshop_id>/maps/import/", versions_api.MapImport.as_view(),
         name="api-map-import"),
    path("maps/<int:map_id>/duplicate/", versions_api.MapDuplicate.as_view(),
         name="api-map-duplicate"),
    path("maps/<int:map_id>/compare/", versions_api.MapCompare.as_view(), name="api-map-compare"),
    path("maps/<int:map_id>/reviewed/", versions_api.MapReviewed.as_view(),
         name="api-map-reviewed"),
]

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    *workshop_routes,
    *map_routes,
    *living_map_routes,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from drf-spectacular-sidecar's static files (SWAGGER_UI_DIST = "SIDECAR"): no CDN.
    # The split view serves its script from a URL: the Content Security Policy refuses inline ones.
    path("docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="workshops/api_docs.html"), name="api-docs"),
]
