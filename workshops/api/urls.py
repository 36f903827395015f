"""The REST API's routes for workshops and their boards, included at api/ (docs/api.md); the
project's schema and its interactive docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import board, comments, invites, maps, opportunities, tokens, workshops

workshop_routes = [
    path("workshops/", workshops.WorkshopList.as_view(), name="api-workshop-list"),
    path(
        "workshops/<id:workshop_id>/",
        workshops.WorkshopDetail.as_view(),
        name="api-workshop-detail",
    ),
    path(
        "workshops/<id:workshop_id>/members/",
        workshops.MemberList.as_view(),
        name="api-member-list",
    ),
    path(
        "workshops/<id:workshop_id>/members/<id:user_id>/",
        workshops.MemberDetail.as_view(),
        name="api-member-detail",
    ),
    path(
        "workshops/<id:workshop_id>/invites/", invites.InviteList.as_view(), name="api-invite-list"
    ),
    path(
        "workshops/<id:workshop_id>/invites/<id:invite_id>/",
        invites.InviteDetail.as_view(),
        name="api-invite-detail",
    ),
    path(
        "workshops/<id:workshop_id>/personas/",
        workshops.PersonaList.as_view(),
        name="api-persona-list",
    ),
    path(
        "workshops/<id:workshop_id>/personas/<id:persona_id>/",
        workshops.PersonaDetail.as_view(),
        name="api-persona-detail",
    ),
]

map_routes = [
    path("maps/", maps.MapList.as_view(), name="api-map-list"),
    path("maps/<id:map_id>/", maps.MapDetail.as_view(), name="api-map-detail"),
    path("maps/<id:map_id>/archive/", maps.MapArchive.as_view(), name="api-map-archive"),
    path("maps/<id:map_id>/events/", maps.MapEvents.as_view(), name="api-map-events"),
    path("maps/<id:map_id>/undo/", maps.MapUndo.as_view(), name="api-map-undo"),
    path("maps/<id:map_id>/redo/", maps.MapRedo.as_view(), name="api-map-redo"),
    path("maps/<id:map_id>/reviewed/", maps.MapReviewed.as_view(), name="api-map-reviewed"),
    path("maps/<id:map_id>/stages/", board.StageList.as_view(), name="api-stage-list"),
    path(
        "maps/<id:map_id>/stages/<id:stage_id>/",
        board.StageDetail.as_view(),
        name="api-stage-detail",
    ),
    path(
        "maps/<id:map_id>/stages/<id:stage_id>/move/",
        board.StageMove.as_view(),
        name="api-stage-move",
    ),
    path("maps/<id:map_id>/lanes/", board.LaneList.as_view(), name="api-lane-list"),
    path(
        "maps/<id:map_id>/lanes/<id:lane_id>/", board.LaneDetail.as_view(), name="api-lane-detail"
    ),
    path(
        "maps/<id:map_id>/lanes/<id:lane_id>/move/",
        board.LaneMove.as_view(),
        name="api-lane-move",
    ),
    path("maps/<id:map_id>/cards/", board.CardList.as_view(), name="api-card-list"),
    path(
        "maps/<id:map_id>/cards/<id:card_id>/", board.CardDetail.as_view(), name="api-card-detail"
    ),
    path(
        "maps/<id:map_id>/cards/<id:card_id>/move/",
        board.CardMove.as_view(),
        name="api-card-move",
    ),
]

comment_routes = [
    path("maps/<id:map_id>/comments/", comments.CommentList.as_view(), name="api-comment-list"),
    path(
        "maps/<id:map_id>/comments/<id:comment_id>/",
        comments.CommentDetail.as_view(),
        name="api-comment-detail",
    ),
    path(
        "maps/<id:map_id>/comments/<id:comment_id>/resolve/",
        comments.CommentResolve.as_view(),
        name="api-comment-resolve",
    ),
    path("me/mentions/", comments.MyMentions.as_view(), name="api-my-mentions"),
]

opportunity_routes = [
    path("maps/<id:map_id>/links/", opportunities.LinkList.as_view(), name="api-link-list"),
    path(
        "maps/<id:map_id>/links/<id:link_id>/",
        opportunities.LinkDetail.as_view(),
        name="api-link-detail",
    ),
    path(
        "maps/<id:map_id>/cards/<id:card_id>/opportunity/",
        opportunities.OpportunityDetail.as_view(),
        name="api-opportunity-detail",
    ),
    path(
        "workshops/<id:workshop_id>/opportunities/",
        opportunities.WorkshopOpportunities.as_view(),
        name="api-workshop-opportunities",
    ),
]

auth_routes = [
    path("auth/token/", tokens.TokenObtain.as_view(), name="api-token"),
    path("auth/tokens/", tokens.TokenList.as_view(), name="api-token-list"),
    path("auth/tokens/<str:key>/", tokens.TokenDetail.as_view(), name="api-token-detail"),
    path("auth/logout/", tokens.Logout.as_view(), name="api-logout"),
]

urlpatterns = [
    *auth_routes,
    *workshop_routes,
    *map_routes,
    *comment_routes,
    *opportunity_routes,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from drf-spectacular-sidecar's static files (SWAGGER_UI_DIST = "SIDECAR"): no CDN.
    # The split view serves its script from a URL: the Content Security Policy refuses inline ones.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="workshops/api_docs.html"
        ),
        name="api-docs",
    ),
]
